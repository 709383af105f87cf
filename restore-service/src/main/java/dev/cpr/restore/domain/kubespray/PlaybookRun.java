package dev.cpr.restore.domain.kubespray;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code ansible-playbook} run: {@code ansible-playbook -i <inventory> <playbook> --limit <groups>
 * -e k=v ... <extra args>} from {@code workDir} (the kubespray checkout), bounded by {@code timeout}.
 */
public record PlaybookRun(Path workDir, Path inventory, String playbook, List<String> limit,
        Map<String, String> extraVars, List<String> extraArgs, Duration timeout) {

    /** {@code -e key=value} is split on whitespace by Ansible: values must not hold any (nor quotes). */
    private static final Pattern SAFE_VALUE = Pattern.compile("[^\\s'\"\\\\]+");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public PlaybookRun {
        limit = List.copyOf(limit);
        extraVars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
        extraArgs = List.copyOf(extraArgs);
        extraVars.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("extra var name '" + key + "' is not a valid Ansible variable name");
            }
            if (value == null || !SAFE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("extra var " + key + "=" + value
                        + " cannot be passed as -e key=value (empty, whitespace or quotes)");
            }
        });
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("playbook timeout must be positive");
        }
    }

    /** The command line, {@code binary} first. */
    public List<String> argv(String binary) {
        List<String> argv = new ArrayList<>(List.of(binary, "-i", inventory.toString(), playbook));
        if (!limit.isEmpty()) {
            argv.add("--limit");
            argv.add(String.join(",", limit));
        }
        extraVars.forEach((key, value) -> {
            argv.add("-e");
            argv.add(key + "=" + value);
        });
        argv.addAll(extraArgs);
        return argv;
    }
}
