package dev.cpr.sandbox.bbr;

import dev.cpr.kernel.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uncompressed POSIX ustar archives, the way bbr stores one job's backup ({@code master-0-bbr-etcd.tar}): entries
 * named {@code ./file}, regular files only. Enough to write, list, checksum and extract what bbr-etcd writes.
 */
public final class Tar {

    private static final int BLOCK = 512;

    private Tar() {
    }

    /**
     * Writes every regular file directly under {@code dir} as {@code ./<name>} into {@code tarFile}.
     *
     * @return sha256 hex of each entry, keyed by its name in the tar
     */
    public static Map<String, String> create(Path dir, Path tarFile) throws IOException {
        Map<String, String> checksums = new LinkedHashMap<>();
        try (OutputStream out = Files.newOutputStream(tarFile); var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = "./" + file.getFileName();
                long size = Files.size(file);
                out.write(header(name, size, Files.getLastModifiedTime(file).toMillis() / 1000));
                MessageDigest digest = Sha256.digest();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                    in.transferTo(out);
                }
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                out.write(new byte[pad]);
                checksums.put(name, HexFormat.of().formatHex(digest.digest()));
            }
            out.write(new byte[2 * BLOCK]);
        }
        return checksums;
    }

    /** sha256 hex of every regular file in the tar, keyed by its name in the tar. */
    public static Map<String, String> checksums(Path tarFile) throws IOException {
        Map<String, String> checksums = new LinkedHashMap<>();
        read(tarFile, (name, in, size) -> {
            MessageDigest digest = Sha256.digest();
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(tarFile + ": entry " + name + " is truncated");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
            checksums.put(name, HexFormat.of().formatHex(digest.digest()));
        });
        return checksums;
    }

    /** Extracts every regular file of the tar into {@code dir} (flat, by its file name). */
    public static void extract(Path tarFile, Path dir) throws IOException {
        Files.createDirectories(dir);
        read(tarFile, (name, in, size) -> {
            Path target = dir.resolve(Path.of(name).getFileName().toString());
            try (OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException(tarFile + ": entry " + name + " is truncated");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        });
    }

    private interface EntryReader {
        void entry(String name, InputStream in, long size) throws IOException;
    }

    private static void read(Path tarFile, EntryReader reader) throws IOException {
        try (InputStream in = Files.newInputStream(tarFile)) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                    throw new IOException(tarFile + " is not a complete tar archive");
                }
                if (isZero(header)) {
                    return;
                }
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(string(header, 124, 12).trim().isEmpty() ? "0" : string(header, 124, 12).trim(), 8);
                byte type = header[156];
                if (type == '0' || type == 0) {
                    reader.entry(name, in, size);
                } else {
                    in.skipNBytes(size);
                }
                in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
            }
        }
    }

    private static byte[] header(String name, long size, long mtime) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", 0644));
        put(h, 108, 8, String.format("%07o", 1000));
        put(h, 116, 8, String.format("%07o", 1000));
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", mtime));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = '0';
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "vcap");
        put(h, 297, 32, "vcap");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 7, String.format("%06o", sum));
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > length) {
            throw new IllegalArgumentException("tar field too long: " + value);
        }
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }

    private static String string(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }


    /** sha256 hex of a file. */
    public static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }
}
