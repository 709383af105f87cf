package dev.cpr.bosh.bbr;

import dev.cpr.kernel.Sha256;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an uncompressed tar (ustar, with GNU long names and pax {@code path} records, as bbr's job tars are) and
 * returns the sha256 of every regular file in it, keyed by its path in the tar, streaming: nothing is held in
 * memory but one buffer. JDK only; a truncated or malformed archive is an {@link IOException} naming the file.
 */
public final class TarEntries {

    private static final int BLOCK = 512;

    private TarEntries() {
    }

    public static Map<String, String> sha256(Path tar) throws IOException {
        Map<String, String> checksums = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 64 * 1024)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    throw new IOException(tar + " is truncated: no end-of-archive blocks");
                }
                if (isZero(header)) {
                    return checksums;
                }
                if (!checksumOk(header)) {
                    throw new IOException(tar + " is not a tar or is damaged: header checksum mismatch");
                }
                char type = (char) (header[156] == 0 ? '0' : header[156]);
                long size = octal(header, 124, 12, tar);
                String name = longName != null ? longName : name(header);
                longName = null;
                switch (type) {
                    case 'L' -> longName = trimNul(new String(readAll(in, size, tar), StandardCharsets.UTF_8));
                    case 'x' -> longName = paxPath(new String(readAll(in, size, tar), StandardCharsets.UTF_8));
                    case '0', '7' -> {
                        checksums.put(name, digest(in, size, tar));
                        skipPadding(in, size, tar);
                    }
                    default -> skip(in, size, tar);
                }
            }
        }
    }

    private static String digest(InputStream in, long size, Path tar) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException(tar + " is truncated inside an entry");
            }
            digest.update(buffer, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] readAll(InputStream in, long size, Path tar) throws IOException {
        if (size > 1 << 20) {
            throw new IOException(tar + ": a long-name record of " + size + " bytes is not plausible");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException(tar + " is truncated inside a long-name record");
        }
        skipPadding(in, size, tar);
        return data;
    }

    private static void skip(InputStream in, long size, Path tar) throws IOException {
        try {
            in.skipNBytes(size + (BLOCK - size % BLOCK) % BLOCK);
        } catch (EOFException e) {
            throw new EOFException(tar + " is truncated inside an entry");
        }
    }

    private static void skipPadding(InputStream in, long size, Path tar) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        try {
            in.skipNBytes(pad);
        } catch (EOFException e) {
            throw new EOFException(tar + " is truncated after an entry");
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        return n == BLOCK;
    }

    private static String name(byte[] h) {
        String name = string(h, 0, 100);
        String prefix = isUstar(h) ? string(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static boolean isUstar(byte[] h) {
        return string(h, 257, 6).startsWith("ustar");
    }

    private static String paxPath(String records) {
        // "<len> path=<value>\n" records
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static long octal(byte[] h, int offset, int length, Path tar) throws IOException {
        String s = string(h, offset, length).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(tar + ": bad size field '" + s + "' in a tar header");
        }
    }

    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            String s = string(h, 148, 8).trim();
            stored = Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return sum == stored;
    }

    private static String string(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

}
