package dev.cpr.contracts.changelog;

import dev.cpr.kernel.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The stored form of a segment, format version 1:
 * <pre>
 *   "CPRCHG" version(u8)
 *   cluster(UTF) firstRevision(i64) lastRevision(i64) count(i32) openedAt(ms i64) closedAt(ms i64)
 *   count × [ revision(i64) type(u8: 0 put, 1 delete) lease(i64) createRevision(i64) version(i64) seenAt(ms i64)
 *             keyLength(i32) key valueLength(i32) value ]
 *   sha256 of every byte before it (32 bytes)
 * </pre>
 * Length-prefixed binary rather than gzip'd JSON lines: etcd keys and values are bytes (Kubernetes stores protobuf),
 * which JSON could only carry base64'd (a third larger); every field has a fixed place, so a reader needs no parser;
 * and the trailing sha256 makes a segment check itself, with no catalog at hand: a truncated or bit-flipped
 * segment fails {@link #decode} before any change of it is used. Not compressed: a segment holds at most a second
 * of changes, and a later version can add it (the version byte says which).
 */
public final class SegmentCodec {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = "CPRCHG".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 32;

    private SegmentCodec() {
    }

    /** A segment's catalog entry and the bytes to store. */
    public record Encoded(Segment segment, byte[] bytes) {
    }

    /** A segment read back: its header (with the sha256 of the bytes read) and its changes, in order. */
    public record Decoded(Segment segment, List<Change> changes) {
    }

    /**
     * @param changes in revision order, at least one; every revision from the first to the last must be there
     * @throws IllegalArgumentException when the changes are not a gap-free run in revision order
     */
    public static Encoded encode(String clusterId, List<Change> changes, Instant openedAt, Instant closedAt) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a segment of " + clusterId + " needs at least one change");
        }
        checkRun(clusterId, changes);
        long first = changes.get(0).revision();
        long last = changes.get(changes.size() - 1).revision();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeUTF(clusterId);
            out.writeLong(first);
            out.writeLong(last);
            out.writeInt(changes.size());
            out.writeLong(openedAt.toEpochMilli());
            out.writeLong(closedAt.toEpochMilli());
            for (Change c : changes) {
                out.writeLong(c.revision());
                out.writeByte(c.type().ordinal());
                out.writeLong(c.leaseId());
                out.writeLong(c.createRevision());
                out.writeLong(c.version());
                out.writeLong(c.seenAt().toEpochMilli());
                out.writeInt(c.key().length);
                out.write(c.key());
                out.writeInt(c.value().length);
                out.write(c.value());
            }
            out.flush();
            out.write(Sha256.digest().digest(buffer.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        byte[] bytes = buffer.toByteArray();
        Segment segment = new Segment(clusterId, first, last, changes.size(), Sha256.hex(bytes),
                openedAt, closedAt, changes.get(changes.size() - 1).seenAt());
        return new Encoded(segment, bytes);
    }

    /**
     * Reads a stored segment, checking it whole before trusting any of it.
     *
     * @param expectedSha256 the catalog's sha256 of the file, or null to rely on the segment's own trailer only
     * @throws CorruptSegmentException naming what is wrong: sha256, format, version, or content
     */
    public static Decoded decode(byte[] bytes, String expectedSha256) throws CorruptSegmentException {
        String sha256 = Sha256.hex(bytes);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
            throw new CorruptSegmentException("segment has sha256 " + sha256 + ", the catalog recorded " + expectedSha256
                    + " (" + bytes.length + " bytes read)");
        }
        if (bytes.length < MAGIC.length + 1 + TRAILER) {
            throw new CorruptSegmentException("segment is " + bytes.length + " bytes, shorter than any segment");
        }
        int bodyLength = bytes.length - TRAILER;
        MessageDigest digest = Sha256.digest();
        digest.update(bytes, 0, bodyLength);
        if (!MessageDigest.isEqual(digest.digest(), Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
            throw new CorruptSegmentException("segment's own sha256 does not match its " + bodyLength
                    + " bytes: truncated or altered");
        }
        if (!Arrays.equals(MAGIC, Arrays.copyOf(bytes, MAGIC.length))) {
            throw new CorruptSegmentException("not a change-log segment (starts with "
                    + HexFormat.of().formatHex(bytes, 0, MAGIC.length) + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                bodyLength - MAGIC.length))) {
            return readBody(in, sha256);
        } catch (EOFException e) {
            throw new CorruptSegmentException("segment ends before its last change");
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptSegmentException("segment cannot be read: " + e.getMessage());
        }
    }

    private static Decoded readBody(DataInputStream in, String sha256) throws IOException, CorruptSegmentException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new CorruptSegmentException("segment format version " + version + " is not known (this reads "
                    + VERSION + ")");
        }
        String clusterId = in.readUTF();
        long first = in.readLong();
        long last = in.readLong();
        int count = in.readInt();
        Instant openedAt = Instant.ofEpochMilli(in.readLong());
        Instant closedAt = Instant.ofEpochMilli(in.readLong());
        if (count <= 0) {
            throw new CorruptSegmentException("segment of " + clusterId + " says it holds " + count + " changes");
        }
        List<Change> changes = new ArrayList<>(Math.min(count, 100_000));
        for (int i = 0; i < count; i++) {
            changes.add(readChange(in));
        }
        if (in.available() > 0) {
            throw new CorruptSegmentException("segment of " + clusterId + " has " + in.available()
                    + " bytes after its " + count + " changes");
        }
        if (changes.get(0).revision() != first || changes.get(count - 1).revision() != last) {
            throw new CorruptSegmentException("segment of " + clusterId + " says " + first + ".." + last
                    + " but holds " + changes.get(0).revision() + ".." + changes.get(count - 1).revision());
        }
        checkRun(clusterId, changes);
        return new Decoded(new Segment(clusterId, first, last, count, sha256, openedAt, closedAt,
                changes.get(count - 1).seenAt()), List.copyOf(changes));
    }

    private static Change readChange(DataInputStream in) throws IOException {
        long revision = in.readLong();
        int type = in.readUnsignedByte();
        if (type >= Change.Type.values().length) {
            throw new IOException("unknown change type " + type + " at revision " + revision);
        }
        long lease = in.readLong();
        long createRevision = in.readLong();
        long version = in.readLong();
        Instant seenAt = Instant.ofEpochMilli(in.readLong());
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        return new Change(revision, Change.Type.values()[type], key, value, lease, createRevision, version, seenAt);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " runs past the segment's end");
        }
        return in.readNBytes(length);
    }

    /** Revisions must never go back and never skip one: each change is at the revision before it or the next. */
    private static void checkRun(String clusterId, List<Change> changes) {
        for (int i = 1; i < changes.size(); i++) {
            long previous = changes.get(i - 1).revision();
            long revision = changes.get(i).revision();
            if (revision != previous && revision != previous + 1) {
                throw new IllegalArgumentException("changes of " + clusterId + " go from revision " + previous + " to "
                        + revision + ": not a gap-free run in order");
            }
        }
    }
}
