package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The director VM's "ssh" side, as {@code bbr director} reaches it: its own port (still up when the director API
 * is down), user {@code bbr} with the private key file this writes, the director's state to back up and put back,
 * and its job scripts.
 */
final class DirectorVm implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectorVm.class.getName());
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Path workDir;
    private final Path bbrPrivateKey;
    private final String bbrKeySha256;
    private final Supplier<DirectorState> state;
    private final Consumer<DirectorState> restore;
    private final List<String> directorScripts = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    DirectorVm(Path workDir, Executor executor, Supplier<DirectorState> state, Consumer<DirectorState> restore)
            throws IOException {
        this.workDir = workDir;
        this.state = state;
        this.restore = restore;
        this.bbrPrivateKey = writeBbrKey(workDir.resolve("bbr_id_rsa"));
        this.bbrKeySha256 = BoshDirectorSimulator.sha256(Files.readAllBytes(bbrPrivateKey));
        this.server = SimHttp.loopbackServer(0, 10);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    Path bbrPrivateKey() {
        return bbrPrivateKey;
    }

    List<String> directorScripts() {
        return List.copyOf(directorScripts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String user = exchange.getRequestHeaders().getFirst("X-Bbr-User");
            String key = exchange.getRequestHeaders().getFirst("X-Bbr-Key-Sha256");
            if (!"bbr".equals(user) || !bbrKeySha256.equalsIgnoreCase(key == null ? "" : key)) {
                SimHttp.sendText(exchange, 403, SimHttp.TEXT, "ssh: handshake failed: unable to authenticate user '"
                        + user + "' with the given private key\n");
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/_sim/director/state")) {
                SimHttp.send(exchange, 200, SimHttp.JSON, SNAKE.writeValueAsBytes(state.get()));
            } else if (method.equals("PUT") && path.equals("/_sim/director/state")) {
                restore.accept(SNAKE.readValue(SimHttp.body(exchange), DirectorState.class));
                SimHttp.sendText(exchange, 200, SimHttp.TEXT, "restored\n");
            } else if (method.equals("POST") && path.startsWith("/_sim/director/scripts/")) {
                String script = path.substring("/_sim/director/scripts/".length());
                directorScripts.add(script);
                SimHttp.sendText(exchange, 200, SimHttp.TEXT, script + " done\n");
            } else if (method.equals("GET") && path.equals("/_sim/director/store")) {
                SimHttp.sendText(exchange, 200, SimHttp.TEXT,
                        workDir.resolve("vms").resolve("bosh-0").resolve("store").toString());
            } else {
                SimHttp.sendText(exchange, 404, SimHttp.TEXT, "no such file or directory: " + path + "\n");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "BOSH simulator ssh side failed on " + exchange.getRequestURI(), e);
        }
    }

    private static Path writeBbrKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] bytes = new byte[192];
            new SecureRandom().nextBytes(bytes);
            String body = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
            Files.writeString(file, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body
                    + "\n-----END OPENSSH PRIVATE KEY-----\n");
        }
        return file;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
