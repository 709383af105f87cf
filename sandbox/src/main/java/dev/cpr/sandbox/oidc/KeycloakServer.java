package dev.cpr.sandbox.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.sandbox.support.HttpReadiness;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak, the sandbox's OIDC provider, run as a process on a free loopback port like the sandbox's
 * Prometheus: {@code kc.sh start-dev} (in-process H2 database, plain HTTP) with the {@link CprRealm cpr realm}
 * imported at start. The issuer is exactly {@code http://127.0.0.1:<port>/realms/cpr}, fixed by {@code --hostname},
 * so tokens name the address the services are configured with.
 *
 * <p>The distribution in the cache is shared and stays read-only but for one thing: Keycloak's first start in dev
 * mode re-augments it (writes {@code lib/quarkus}, about 12 s more, once). Each server gets a home of its own under
 * {@code dir} instead ({@code -Dkc.home.dir}: {@code data/} is real, with the H2 files and the realm to import;
 * {@code conf}, {@code lib}, {@code providers}, {@code themes} link to the distribution), and starts are taken one at
 * a time under a lock in the distribution, so two first starts never augment it at once.
 */
public final class KeycloakServer implements AutoCloseable {

    // a cold first start (with the augmentation) took 39 s on a loaded 2-core machine
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    // kc.sh's own default is -Xmx512m; 256m was enough for start-up and fifty logins, this leaves room for a demo
    static final String HEAP = "-Xms64m -Xmx384m";
    // kc.sh until it re-launches java in its place, -Dkc.home.dir after: both command lines hold "kc."
    private static final String COMMAND_HINT = "kc.";
    private static final List<String> SHARED = List.of("conf", "lib", "providers", "themes");
    private static final Object START_LOCK = new Object();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where it runs, for {@code sandbox.json} and {@code ./cpr down}. */
    public record Description(String issuer, Long pid, String home, String log) {
    }

    private final Process process;
    private final int port;
    private final Path home;
    private final Path log;
    private Duration startedIn;

    private KeycloakServer(Process process, int port, Path home, Path log) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.log = log;
    }

    /** As {@link #start(Path, KeycloakDistribution)} with the distribution {@code scripts/keycloak.sh} gives. */
    public static KeycloakServer start(Path dir) {
        return start(dir, KeycloakDistribution.locate());
    }

    /**
     * Makes a home for it in {@code dir}, starts Keycloak with the cpr realm and returns once the realm's discovery
     * document answers; a port taken meanwhile is retried on a fresh one.
     *
     * @throws IllegalStateException if it exits or is not ready within three minutes, with its log's tail
     */
    public static KeycloakServer start(Path dir, KeycloakDistribution distribution) {
        Path home = home(dir, distribution);
        return Ports.retryIfTaken("keycloak", () -> startOnce(dir, home, distribution));
    }

    private static KeycloakServer startOnce(Path dir, Path home, KeycloakDistribution distribution) {
        synchronized (START_LOCK) {
            try (FileChannel channel = FileChannel.open(distribution.home().resolve(".cpr-start.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return launch(dir, home, distribution);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start keycloak from " + distribution.home(), e);
            }
        }
    }

    private static KeycloakServer launch(Path dir, Path home, KeycloakDistribution distribution) throws IOException {
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        Path log = dir.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(distribution.kcSh().toString(), "start-dev", "--import-realm",
                "--http-host=127.0.0.1", "--http-port=" + port, "--hostname=" + url, "-Dkc.home.dir=" + home)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(builder.environment(), distribution.javaHome());
        Instant launched = Instant.now();
        Process process = builder.start();
        Files.writeString(dir.resolve("keycloak.pid"), Long.toString(process.pid()));
        KeycloakServer server = new KeycloakServer(process, port, home, log);
        try {
            server.awaitReady(START_TIMEOUT);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.startedIn = Duration.between(launched, Instant.now());
        return server;
    }

    /**
     * kc.sh reads its JVM and Keycloak's options from the environment: what the caller's shell or Maven set there
     * (a JAVA_OPTS, a KC_DB) would change this server or force a re-augmentation, so only ours go through.
     */
    static void environment(Map<String, String> env, Path javaHome) {
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA") || name.startsWith("DEBUG")
                || name.equals("PRINT_ENV"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA_OPTS_KC_HEAP", HEAP);
    }

    /** {@code dir/home}: its own data directory with the realm to import, the rest linked to the distribution. */
    static Path home(Path dir, KeycloakDistribution distribution) {
        Path home = dir.resolve("home");
        try {
            Files.createDirectories(home.resolve("data/import"));
            for (String shared : SHARED) {
                Path link = home.resolve(shared);
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, distribution.home().resolve(shared));
                }
            }
            try (InputStream realm = KeycloakServer.class.getResourceAsStream(CprRealm.RESOURCE)) {
                if (realm == null) {
                    throw new IllegalStateException("the realm file " + CprRealm.RESOURCE + " is not on the classpath");
                }
                Files.copy(realm, home.resolve("data/import/cpr-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a keycloak home in " + dir, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port>/realms/cpr}: what the services' {@code quarkus.oidc.auth-server-url} names. */
    public String issuer() {
        return url() + "/realms/" + CprRealm.NAME;
    }

    public String clientId() {
        return CprRealm.CLIENT_ID;
    }

    public String clientSecret() {
        return CprRealm.CLIENT_SECRET;
    }

    /** From launch until the discovery document answered. */
    public Duration startedIn() {
        return startedIn;
    }

    public Description describe() {
        return new Description(issuer(), process.isAlive() ? process.pid() : null, home.toString(), log.toString());
    }

    /** The realm's OpenID discovery document. */
    public JsonNode discovery() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(discoveryUri())
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("keycloak GET " + discoveryUri() + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /**
     * The raw access token (a signed JWT) for this user, by the password grant of the cpr-console client.
     *
     * @throws TokenRefusedException if Keycloak refuses it (a wrong password answers 401)
     */
    public String passwordGrant(String username, String password) throws IOException, InterruptedException {
        String form = Map.of("grant_type", "password", "client_id", clientId(), "client_secret", clientSecret(),
                        "username", username, "password", password).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new TokenRefusedException(response.statusCode(), response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private URI discoveryUri() {
        return URI.create(issuer() + "/.well-known/openid-configuration");
    }

    private void awaitReady(Duration timeout) {
        boolean ready = HttpReadiness.await(HTTP, discoveryUri(), timeout, Duration.ofMillis(250), "keycloak", () -> {
            if (!process.isAlive()) {
                if (Ports.logSaysPortTaken(log)) {
                    throw new PortTakenException("keycloak could not bind port " + port + "\n" + Logs.tail(log, 20));
                }
                throw new IllegalStateException("keycloak exited during start-up (code " + process.exitValue() + ")\n"
                        + Logs.tail(log, 30));
            }
        });
        if (!ready) {
            throw new IllegalStateException("keycloak's " + discoveryUri() + " did not answer within "
                    + timeout.toSeconds() + " s\n" + Logs.tail(log, 30));
        }
    }

    /** Stops a Keycloak described by {@link #describe()} from any JVM ({@code ./cpr down}), with its java. */
    public static void stop(Description description) {
        if (description != null && description.pid() != null) {
            Processes.find(description.pid(), COMMAND_HINT).ifPresent(p -> Processes.stopTree(p, STOP_GRACE));
        }
    }

    /** Stops kc.sh and the java under it (kc.sh waits for its java, so the script alone is not enough). */
    @Override
    public void close() {
        Processes.stopTree(process.toHandle(), STOP_GRACE);
    }

    /** For error messages. */
    @Override
    public String toString() {
        return "keycloak " + issuer() + " (pid " + process.pid() + ")";
    }
}
