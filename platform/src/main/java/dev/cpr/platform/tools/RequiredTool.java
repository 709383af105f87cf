package dev.cpr.platform.tools;

import java.util.List;

/**
 * A command-line tool a service runs for some purpose, with the settings that name it: any one of {@code choices}
 * found is enough (e.g. {@code etcdutl} or {@code etcdctl} for {@code snapshot restore}).
 *
 * @param purpose what cannot be done without it, for the not-ready reason
 * @param choices the acceptable tools, each with the setting that names it, in order of preference
 */
public record RequiredTool(String purpose, List<Choice> choices) {

    public RequiredTool {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a required tool needs at least one choice: " + purpose);
        }
    }

    public static RequiredTool of(String purpose, String setting, String command) {
        return new RequiredTool(purpose, List.of(new Choice(setting, command)));
    }

    /**
     * @param setting the configuration key naming the tool (e.g. {@code cpr.backup.drill.etcd})
     * @param command its value: a name looked up on {@code PATH}, or a path
     */
    public record Choice(String setting, String command) {
    }
}
