package dev.cpr.bosh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.cpr.kernel.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's HTTP behaviour against a scripted stub: task polling on an injected clock and sleeper (no real
 * waiting), redirects not followed, and a director behind TLS with its CA given as a PEM file.
 */
class BoshDirectorClientTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Deque<String> taskStates = new ConcurrentLinkedDeque<>();

    /** A clock the sleeper moves forward instead of sleeping. */
    static final class FakeTime extends Clock implements Sleeper {
        Instant now = Instant.parse("2020-08-05T02:54:23Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String startStub(HttpServer http) {
        server = http;
        server.createContext("/", this::handle);
        server.start();
        return (http instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (path.equals("/info")) {
                send(exchange, 200, "{\"name\":\"stub\",\"user_authentication\":{\"type\":\"basic\",\"options\":{}}}");
            } else if (exchange.getRequestMethod().equals("PUT")) {
                assertThat(exchange.getRequestHeaders().getFirst("Content-Type")).isEqualTo("text/yaml");
                exchange.getResponseHeaders().set("Location", "https://nginx.elsewhere:25555/tasks/7");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/tasks/7")) {
                String state = taskStates.size() > 1 ? taskStates.poll() : taskStates.peek();
                String result = state.equals("error") ? "'master/abc (0)' is not running after update" : "";
                send(exchange, 200, "{\"id\":7,\"state\":\"" + state + "\",\"description\":\"recreate instance\","
                        + "\"result\":\"" + result + "\"}");
            } else {
                send(exchange, 404, "Endpoint '" + path + "' not found.");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static HttpServer plain() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    @Test
    void pollsTheTaskFromTheRedirectsPathOnTheInjectedClockUntilDone() throws IOException {
        String url = startStub(plain());
        taskStates.addAll(List.of("queued", "processing", "processing", "done"));
        FakeTime time = new FakeTime();
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(url, "admin", "pw"), time, time);

        BoshTask task = client.changeInstanceState("d", "master", "0", InstanceState.RECREATE);

        assertThat(task.isSucceeded()).isTrue();
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500));
        assertThat(requests).containsSubsequence("PUT /deployments/d/jobs/master/0?state=recreate", "GET /tasks/7");
        assertThat(requests).noneMatch(r -> r.startsWith("PUT /tasks"));
    }

    @Test
    void aFailedTaskThrowsWithItsResultAndASlowOneTimesOutOnTheClock() throws IOException {
        String url = startStub(plain());
        FakeTime time = new FakeTime();
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(url, "admin", "pw")
                .withTaskPolling(Duration.ofMillis(500), Duration.ofSeconds(2)), time, time);

        taskStates.addAll(List.of("processing", "error"));
        assertThatThrownBy(() -> client.changeInstanceState("d", "master", "0", InstanceState.RECREATE))
                .isInstanceOfSatisfying(BoshTaskFailedException.class, e -> {
                    assertThat(e.task().id()).isEqualTo(7);
                    assertThat(e.getMessage()).contains("ended error", "is not running after update");
                });

        taskStates.clear();
        taskStates.add("processing");
        time.sleeps.clear();
        assertThatThrownBy(() -> client.awaitTask(7))
                .isInstanceOf(BoshTimeoutException.class)
                .hasMessageContaining("task 7")
                .hasMessageContaining("still processing after PT2S");
        assertThat(time.sleeps).hasSize(4);
    }

    @Test
    void aPlainTextErrorBecomesADirectorExceptionWithoutACode() throws IOException {
        String url = startStub(plain());
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(url, "admin", "pw"));

        assertThatThrownBy(() -> client.problems("d"))
                .isInstanceOfSatisfying(BoshDirectorException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isNull();
                    assertThat(e.description()).isEqualTo("Endpoint '/deployments/d/problems' not found.");
                });
    }

    @Test
    void trustsADirectorSignedByTheConfiguredCaCertificateOnly(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("director.p12");
        Path ca = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "director", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "director", "-keystore", keystore.toString(), "-storepass",
                "changeit", "-file", ca.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        String url = startStub(https);

        BoshInfo info = new BoshDirectorClient(BoshDirectorConfig.of(url, "admin", "pw").withCaCert(ca)).info();

        assertThat(info.name()).isEqualTo("stub");
        assertThatThrownBy(() -> new BoshDirectorClient(BoshDirectorConfig.of(url, "admin", "pw")).info())
                .isInstanceOf(BoshUnreachableException.class)
                .hasMessageContaining("GET /info")
                .hasMessageContaining("CA certificate");
        assertThatThrownBy(() -> new BoshDirectorClient(BoshDirectorConfig.of(url, "a", "b")
                .withCaCert(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
    }
}
