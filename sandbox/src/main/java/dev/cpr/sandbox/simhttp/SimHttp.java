package dev.cpr.sandbox.simhttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the simulators (Slack, the BOSH director) each did for themselves on the JDK's HTTP server: a loopback
 * server, replies (bytes, text, JSON), the query string and form bodies, and the credentials of the
 * {@code Authorization} header. Each simulator keeps its own error body (Slack's {@code ok:false}, the director's
 * {@code code/description}); this is only the plumbing under them.
 */
public final class SimHttp {

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A user and secret from {@code Authorization: Basic ...}. */
    public record BasicCredentials(String user, String secret) {
    }

    private SimHttp() {
    }

    /** An HTTP server bound to the loopback address ({@code port} 0 for a free one), not yet started. */
    public static HttpServer loopbackServer(int port, int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ...: a simulator never keeps a JVM alive. */
    public static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Sends {@code body} with its length; an empty body is sent as no body at all. */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public static void sendText(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void sendJson(HttpExchange exchange, int status, String contentType, JsonNode body)
            throws IOException {
        send(exchange, status, contentType, MAPPER.writeValueAsBytes(body));
    }

    public static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    /** The query string's parameters, decoded, in order. */
    public static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        return raw == null ? Map.of() : form(raw);
    }

    /** {@code a=1&b=2}, decoded, in order; a key without {@code =} has the value "". */
    public static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    public static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The token of {@code Authorization: Bearer <token>} (any case of "bearer"), trimmed; null without one. */
    public static String bearerToken(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    /** The user and secret of {@code Authorization: Basic ...}; null without one or when it does not decode. */
    public static BasicCredentials basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
