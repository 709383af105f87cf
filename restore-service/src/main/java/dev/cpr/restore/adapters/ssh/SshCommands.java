package dev.cpr.restore.adapters.ssh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands run on a member's node over ssh, as templates. The defaults fit a systemd host in the
 * kubespray layout (seeds 002 and 004): etcd is the {@code etcd} unit, configured by {@code /etc/etcd.env}.
 * <p>
 * Placeholders: {@code {unit}}, {@code {name}} (the member), {@code {dataDir}}, {@code {memberDir}}
 * ({@code <dataDir>/member}), {@code {envFile}}, {@code {clientUrl}}, {@code {peerUrl}}, {@code {host}}. Every value is
 * substituted single-quoted for {@code /bin/sh}, so {@code {dataDir}.pid} becomes {@code '/var/lib/etcd'.pid}.
 * {@code envFile} is a template too (without quoting), so {@code /etc/etcd-{name}.env} works.
 * When {@code prefix} is set (e.g. {@code sudo -n}) every command runs as {@code <prefix> sh -c '<command>'}.
 *
 * @param isActive exit 0 when the member's etcd runs, anything else when it does not
 * @param hasData  exit 0 when the member has data (its {@code member} directory exists)
 * @param readEnv  prints the env file
 * @param writeEnv replaces the env file with what it reads on stdin, keeping its owner and mode
 */
public record SshCommands(
        String unit,
        String envFile,
        String prefix,
        String isActive,
        String stop,
        String start,
        String hasData,
        String wipe,
        String readEnv,
        String writeEnv) {

    public static final String DEFAULT_UNIT = "etcd";
    public static final String DEFAULT_ENV_FILE = "/etc/etcd.env";
    public static final String DEFAULT_IS_ACTIVE = "systemctl is-active --quiet {unit}";
    public static final String DEFAULT_STOP = "systemctl stop {unit}";
    public static final String DEFAULT_START = "systemctl start {unit}";
    public static final String DEFAULT_HAS_DATA = "test -d {memberDir}";
    public static final String DEFAULT_WIPE = "rm -rf -- {memberDir}";
    public static final String DEFAULT_READ_ENV = "cat {envFile}";
    public static final String DEFAULT_WRITE_ENV =
            "cp -p {envFile} {envFile}.cpr-new && cat > {envFile}.cpr-new && mv -f {envFile}.cpr-new {envFile}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    public SshCommands {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(envFile, "envFile");
        prefix = prefix == null ? "" : prefix.trim();
        Objects.requireNonNull(isActive, "isActive");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(hasData, "hasData");
        Objects.requireNonNull(wipe, "wipe");
        Objects.requireNonNull(readEnv, "readEnv");
        Objects.requireNonNull(writeEnv, "writeEnv");
    }

    /** The systemd/kubespray defaults. */
    public static SshCommands systemd() {
        return new SshCommands(DEFAULT_UNIT, DEFAULT_ENV_FILE, "", DEFAULT_IS_ACTIVE, DEFAULT_STOP, DEFAULT_START,
                DEFAULT_HAS_DATA, DEFAULT_WIPE, DEFAULT_READ_ENV, DEFAULT_WRITE_ENV);
    }

    /** The values a template may name, for one member. */
    public record Target(String name, String dataDir, String clientUrl, String peerUrl, String host) {
    }

    /** The env file path for this member (the {@code envFile} template with raw values). */
    public String envFileFor(Target target) {
        return substitute(envFile, rawValues(target, null), false);
    }

    /**
     * Renders a template for a member: placeholders replaced by single-quoted values, then the prefix applied.
     *
     * @throws IllegalArgumentException naming an unknown placeholder
     */
    public String render(String template, Target target) {
        Map<String, String> values = rawValues(target, envFileFor(target));
        return wrap(substitute(template, values, true));
    }

    /** A command line of words, each quoted, with the prefix applied: {@code etcdctl snapshot restore ...}. */
    public String argv(java.util.List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return wrap(String.join(" ", words.stream().map(SshCommands::quote).toList()));
    }

    /** Applies the prefix ({@code sudo -n sh -c '...'}) to a ready shell command. */
    public String wrap(String command) {
        return prefix.isEmpty() ? command : prefix + " sh -c " + quote(command);
    }

    private Map<String, String> rawValues(Target target, String envFileValue) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("unit", unit);
        values.put("name", target.name());
        values.put("dataDir", target.dataDir());
        values.put("memberDir", memberDir(target.dataDir()));
        values.put("clientUrl", target.clientUrl());
        values.put("peerUrl", target.peerUrl());
        values.put("host", target.host());
        if (envFileValue != null) {
            values.put("envFile", envFileValue);
        }
        return values;
    }

    static String memberDir(String dataDir) {
        if (dataDir == null) {
            return null;
        }
        return (dataDir.endsWith("/") ? dataDir : dataDir + "/") + "member";
    }

    private static String substitute(String template, Map<String, String> values, boolean quoted) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown placeholder {" + key + "} in ssh command template '"
                        + template + "'; known: " + values.keySet());
            }
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("placeholder {" + key + "} in '" + template + "' has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(quoted ? quote(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Single-quotes a value for {@code /bin/sh}: {@code it's} becomes {@code 'it'\''s'}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
