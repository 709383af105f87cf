package dev.cpr.backup.domain.snapshot;

import dev.cpr.kernel.Sha256;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Counts and hashes the bytes that go to the file, so the catalog records the sha256 of what is stored. */
public final class Sha256OutputStream extends FilterOutputStream {

    private final MessageDigest digest = Sha256.digest();
    private long count;

    public Sha256OutputStream(OutputStream downstream) {
        super(downstream);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** Hex sha256 of everything written; call once, after the last write. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
