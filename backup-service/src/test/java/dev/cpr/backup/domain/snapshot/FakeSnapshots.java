package dev.cpr.backup.domain.snapshot;

import dev.cpr.kernel.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/** Byte-for-byte the layout etcd streams: whole 512-byte blocks of database, then their sha256. */
final class FakeSnapshots {

    private FakeSnapshots() {
    }

    static byte[] snapshot(int blocks, long seed) {
        byte[] db = new byte[blocks * 512];
        new Random(seed).nextBytes(db);
        byte[] hash = Sha256.digest().digest(db);
        byte[] all = Arrays.copyOf(db, db.length + 32);
        System.arraycopy(hash, 0, all, db.length, 32);
        return all;
    }

    static String sha256Hex(byte[] bytes) {
        MessageDigest digest = Sha256.digest();
        return java.util.HexFormat.of().formatHex(digest.digest(bytes));
    }
}
