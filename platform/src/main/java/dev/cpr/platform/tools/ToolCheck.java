package dev.cpr.platform.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the tools a service needs the way {@link ProcessBuilder} will: a command with a {@code /} is a path, anything
 * else is looked up on {@code PATH}; it must be an executable regular file. Plain Java, no I/O beyond
 * {@code stat}: a readiness check calls it on every probe.
 */
public final class ToolCheck {

    private final String path;

    /** @param path the {@code PATH} to search (the process's own in production) */
    public ToolCheck(String path) {
        this.path = path == null ? "" : path;
    }

    public static ToolCheck fromEnvironment() {
        return new ToolCheck(System.getenv("PATH"));
    }

    /** Where the command resolves to, if it is an executable file. */
    public Optional<Path> locate(String command) {
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        if (command.contains("/")) {
            Path file = Path.of(command);
            return executable(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path file = Path.of(dir, command);
                if (executable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** One sentence per requirement none of whose choices is found, naming the purpose, the commands and settings. */
    public List<String> missing(List<RequiredTool> required) {
        List<String> reasons = new ArrayList<>();
        for (RequiredTool tool : required) {
            if (tool.choices().stream().noneMatch(c -> locate(c.command()).isPresent())) {
                reasons.add(tool.purpose() + " needs " + tool.choices().stream()
                        .map(c -> "'" + c.command() + "' (" + c.setting() + ")")
                        .collect(Collectors.joining(" or ")) + ": not found" + (tool.choices().stream()
                        .anyMatch(c -> !c.command().contains("/")) ? " on PATH" : ""));
            }
        }
        return reasons;
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
