package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Which console {@code cpr} talks to, with which token. First found wins:
 * <ol>
 *   <li>{@code --console} / {@code --token};</li>
 *   <li>{@code CPR_CONSOLE_URL} / {@code CPR_TOKEN};</li>
 *   <li>a context of the config file ({@code CPR_CONFIG}, else {@code ~/.config/cpr/config.yaml}): {@code --context},
 *       {@code CPR_CONTEXT} or the file's {@code current-context};</li>
 *   <li>the running {@code ./cpr up} world of this checkout ({@code .cpr/sandbox.json}: its console and operator token).</li>
 * </ol>
 * A config file looks like a kubeconfig, smaller:
 * <pre>
 * current-context: prod
 * contexts:
 *   prod:    {url: https://cpr.example.org, token-env: CPR_PROD_TOKEN}
 *   staging: {url: https://cpr-staging.example.org, token-file: ~/.config/cpr/staging.token}
 * </pre>
 * ({@code token} inline works too, but a file or a variable keeps it out of the config.)
 *
 * @param source where the address came from, for error messages
 */
public record Target(String url, String token, String source) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Target resolve(String urlFlag, String tokenFlag, String contextFlag, Function<String, String> env,
            Path home, Path checkout) {
        String url = blank(urlFlag) ? env.apply("CPR_CONSOLE_URL") : urlFlag;
        String token = blank(tokenFlag) ? env.apply("CPR_TOKEN") : tokenFlag;
        String source = !blank(urlFlag) ? "--console" : "CPR_CONSOLE_URL";
        if (!blank(url)) {
            return new Target(trim(url), token, source);
        }
        String configured = env.apply("CPR_CONFIG");
        Path config = !blank(configured) ? Path.of(configured) : home.resolve(".config/cpr/config.yaml");
        String context = !blank(contextFlag) ? contextFlag : env.apply("CPR_CONTEXT");
        if (Files.isRegularFile(config)) {
            return fromConfig(config, context, token, env, home);
        }
        if (!blank(context)) {
            throw new CliException(ExitCode.USAGE, "context '" + context + "' asked for, but there is no config file "
                    + config);
        }
        if (checkout != null) {
            Path sandbox = checkout.resolve(".cpr/sandbox.json");
            if (Files.isRegularFile(sandbox)) {
                return fromSandbox(sandbox, token);
            }
        }
        throw new CliException(ExitCode.USAGE, "no console to talk to: set CPR_CONSOLE_URL and CPR_TOKEN, pass "
                + "--console and --token, add a context to " + config + ", or start one with './cpr up'");
    }

    private static Target fromConfig(Path file, String wanted, String tokenOverride, Function<String, String> env,
            Path home) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "config " + file + " is not YAML: " + e.getMessage());
        }
        String name = !blank(wanted) ? wanted : root.path("current-context").asText(null);
        if (blank(name)) {
            throw new CliException(ExitCode.USAGE, "config " + file + ": no current-context, and none asked for "
                    + "(--context or CPR_CONTEXT)");
        }
        JsonNode context = root.path("contexts").path(name);
        if (context.isMissingNode() || !context.isObject()) {
            throw new CliException(ExitCode.USAGE, "config " + file + ": no context '" + name + "' (contexts: "
                    + String.join(", ", iterable(root.path("contexts").fieldNames())) + ")");
        }
        String url = context.path("url").asText(null);
        if (blank(url)) {
            throw new CliException(ExitCode.USAGE, "config " + file + ": contexts." + name + ".url is missing");
        }
        String token = tokenOverride;
        if (blank(token)) {
            token = tokenOf(file, name, context, env, home);
        }
        return new Target(trim(url), token, "context " + name + " of " + file);
    }

    private static String tokenOf(Path file, String name, JsonNode context, Function<String, String> env, Path home) {
        if (context.hasNonNull("token")) {
            return context.get("token").asText();
        }
        if (context.hasNonNull("token-env")) {
            String variable = context.get("token-env").asText();
            String value = env.apply(variable);
            if (blank(value)) {
                throw new CliException(ExitCode.USAGE, "config " + file + ": contexts." + name + ".token-env names "
                        + variable + ", which is not set");
            }
            return value;
        }
        if (context.hasNonNull("token-file")) {
            String path = context.get("token-file").asText();
            Path tokenFile = path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
            try {
                return Files.readString(tokenFile).trim();
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "config " + file + ": contexts." + name + ".token-file "
                        + tokenFile + " cannot be read: " + e.getMessage());
            }
        }
        return null;
    }

    private static Target fromSandbox(Path file, String tokenOverride) {
        try {
            JsonNode world = JSON.readTree(file.toFile());
            String url = world.path("services").path("console").path("url").asText(null);
            if (blank(url)) {
                throw new CliException(ExitCode.UNREACHABLE, "the world of " + file + " has no console (built before "
                        + "it had one?): './cpr down' and './cpr up' again");
            }
            String token = blank(tokenOverride) ? world.path("tokens").path("operator").asText(null) : tokenOverride;
            return new Target(trim(url), token, file.toString());
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, file + " cannot be read: " + e.getMessage());
        }
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> all = new java.util.ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** For tests and for {@code main}: the process environment. */
    static Function<String, String> processEnv() {
        Map<String, String> env = System.getenv();
        return env::get;
    }
}
