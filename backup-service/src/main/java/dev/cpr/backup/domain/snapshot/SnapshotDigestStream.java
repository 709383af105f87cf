package dev.cpr.backup.domain.snapshot;

import dev.cpr.kernel.Sha256;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Passes an etcd v3 snapshot through unchanged while checking it, in constant memory.
 * <p>
 * etcd appends the sha256 of the database to the snapshot it streams: the last 32 bytes are the
 * hash of everything before them, and the database is a whole number of 512-byte blocks, so a
 * snapshot that carries its hash has {@code size % 512 == 32} (the rule {@code snapshot restore}
 * applies). The stream does not know where it ends, so it feeds the content digest with a lag of
 * 32 bytes and keeps the last 32 bytes seen as the candidate trailer.
 */
public final class SnapshotDigestStream extends FilterOutputStream {

    static final int HASH_SIZE = 32;
    static final int BLOCK = 512;

    private final MessageDigest content = Sha256.digest();
    private final byte[] tail = new byte[HASH_SIZE];
    private int tailLength;
    private long count;
    private boolean finished;
    private TrailerCheck check;
    private String wholeSha256;

    public SnapshotDigestStream(OutputStream downstream) {
        super(downstream);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("snapshot stream already finished");
        }
        out.write(b, off, len);
        count += len;
        if (len >= HASH_SIZE) {
            content.update(tail, 0, tailLength);
            content.update(b, off, len - HASH_SIZE);
            System.arraycopy(b, off + len - HASH_SIZE, tail, 0, HASH_SIZE);
            tailLength = HASH_SIZE;
            return;
        }
        int overflow = tailLength + len - HASH_SIZE;
        if (overflow > 0) {
            content.update(tail, 0, overflow);
            System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
            tailLength -= overflow;
        }
        System.arraycopy(b, off, tail, tailLength, len);
        tailLength += len;
    }

    /** Ends the check (does not close the downstream); call once every byte was written. */
    public TrailerCheck finish() {
        if (!finished) {
            finished = true;
            check = judge();
        }
        return check;
    }

    /** Bytes seen so far. */
    public long count() {
        return count;
    }

    /**
     * Hex sha256 of every byte that went through, trailer included (what a stored uncompressed file hashes to).
     * Computed in the same pass: SHA-256 state is cloned after the content and fed the last 32 bytes.
     * Available after {@link #finish()}.
     */
    public String wholeSha256() {
        if (!finished) {
            throw new IllegalStateException("finish() first");
        }
        return wholeSha256;
    }

    private TrailerCheck judge() {
        try {
            MessageDigest whole = (MessageDigest) content.clone();
            whole.update(tail, 0, tailLength);
            wholeSha256 = HexFormat.of().formatHex(whole.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
        if (count < HASH_SIZE || count % BLOCK != HASH_SIZE) {
            return new TrailerCheck(count, false, false, "no trailing sha256: " + count
                    + " bytes is not a whole number of 512-byte blocks plus 32 (truncated, or not an etcd snapshot)");
        }
        byte[] actual = content.digest();
        byte[] expected = Arrays.copyOf(tail, HASH_SIZE);
        if (!MessageDigest.isEqual(actual, expected)) {
            return new TrailerCheck(count, true, false, "trailing sha256 " + HexFormat.of().formatHex(expected)
                    + " does not match the content's " + HexFormat.of().formatHex(actual));
        }
        return new TrailerCheck(count, true, true, "trailing sha256 matches");
    }

}
