package dev.cpr.contracts.etcd;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An etcd release as a member reports it: the {@code version} of its status ({@code /v3/maintenance/status}), or
 * the first line of {@code etcd --version} ({@code etcd Version: 3.5.16}).
 */
public record EtcdVersion(int major, int minor, int patch) implements Comparable<EtcdVersion> {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * The first {@code major.minor[.patch]} in {@code text}: {@code 3.5.16}, {@code v3.6.0-rc.1},
     * {@code etcd Version: 3.4.23}; empty when there is none.
     */
    public static Optional<EtcdVersion> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Optional.of(new EtcdVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch));
    }

    /** As {@link #find(String)}, for text that must hold a version. */
    public static EtcdVersion parse(String text) {
        return find(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an etcd version"));
    }

    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new EtcdVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(EtcdVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
