package dev.cpr.restore.domain.etcd;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code etcdctl snapshot status <file> -w json} (or {@code etcdutl}) prints about a snapshot or a member's
 * {@code member/snap/db}: {@code {"hash":..,"revision":..,"totalKey":..,"totalSize":..}}.
 */
public record SnapshotStatus(long revision, long totalKeys, long totalSize) {

    private static final Pattern FIELD = Pattern.compile("\"(revision|totalKey|totalSize)\"\\s*:\\s*(\\d+)");

    /** The status in the tool's output, or empty when it holds none (an error message, say). */
    public static Optional<SnapshotStatus> parse(String output) {
        if (output == null) {
            return Optional.empty();
        }
        Long revision = null;
        long keys = 0;
        long size = 0;
        Matcher m = FIELD.matcher(output);
        while (m.find()) {
            long value = Long.parseLong(m.group(2));
            switch (m.group(1)) {
                case "revision" -> revision = value;
                case "totalKey" -> keys = value;
                default -> size = value;
            }
        }
        return revision == null ? Optional.empty() : Optional.of(new SnapshotStatus(revision, keys, size));
    }
}
