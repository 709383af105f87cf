package dev.cpr.restore.adapters.ssh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Editing {@code /etc/etcd.env} (a systemd {@code EnvironmentFile}, {@code KEY=value} per line) the way a
 * person would: the lines for the keys being set are changed in place, keys to drop are removed, every
 * other line (comments, blank lines, TLS settings, ...) is kept as it was and in its order; keys not
 * present yet are appended.
 */
public final class EtcdEnvFile {

    public static final String INITIAL_CLUSTER_STATE = "ETCD_INITIAL_CLUSTER_STATE";
    public static final String INITIAL_CLUSTER = "ETCD_INITIAL_CLUSTER";
    public static final String INITIAL_CLUSTER_TOKEN = "ETCD_INITIAL_CLUSTER_TOKEN";
    /** Left behind by a manual restore (seed 002); must not be set when joining a running cluster. */
    public static final String FORCE_NEW_CLUSTER = "ETCD_FORCE_NEW_CLUSTER";

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=.*$");
    /** Written unquoted, as kubespray does: refuse anything a shell or systemd would read differently. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.,:/=@%+\\-\\[\\]]*");

    private EtcdEnvFile() {
    }

    /** The edit that makes a member join the running cluster with these peers. */
    public static String joinExisting(String content, String initialCluster) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put(INITIAL_CLUSTER_STATE, "existing");
        set.put(INITIAL_CLUSTER, initialCluster);
        return edit(content, set, Set.of(FORCE_NEW_CLUSTER));
    }

    /**
     * The edit that starts a member with this state ({@code new} after a restore, {@code existing} to join),
     * these peers and this cluster token.
     */
    public static String start(String content, String initialCluster, String state, String token) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put(INITIAL_CLUSTER_STATE, state);
        set.put(INITIAL_CLUSTER, initialCluster);
        set.put(INITIAL_CLUSTER_TOKEN, token);
        return edit(content, set, Set.of(FORCE_NEW_CLUSTER));
    }

    /**
     * @param set    keys to set (changed in place, or appended in this order when absent)
     * @param remove keys whose lines are dropped
     * @throws IllegalArgumentException if a value holds characters that are unsafe unquoted
     */
    public static String edit(String content, Map<String, String> set, Set<String> remove) {
        set.forEach((key, value) -> {
            if (!SAFE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("refusing to write " + key + "=" + value
                        + " into the etcd env file: the value holds whitespace, quotes or shell characters");
            }
        });
        String text = content == null ? "" : content;
        boolean endsWithNewline = text.isEmpty() || text.endsWith("\n");
        List<String> out = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (String line : text.split("\n", -1)) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                String key = m.group(1);
                if (remove.contains(key)) {
                    continue;
                }
                if (set.containsKey(key)) {
                    if (written.add(key)) {
                        out.add(key + "=" + set.get(key));
                    }
                    continue;
                }
            }
            out.add(line);
        }
        // split(-1) leaves one empty trailing element for a text ending in "\n"
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty() && (text.isEmpty() || endsWithNewline)) {
            out.remove(out.size() - 1);
        }
        set.forEach((key, value) -> {
            if (!written.contains(key)) {
                out.add(key + "=" + value);
            }
        });
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    /** The value of {@code key} in the file, if a line sets it. */
    public static java.util.Optional<String> value(String content, String key) {
        for (String line : (content == null ? "" : content).split("\n")) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches() && m.group(1).equals(key)) {
                String value = line.substring(line.indexOf('=') + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                return java.util.Optional.of(value);
            }
        }
        return java.util.Optional.empty();
    }
}
