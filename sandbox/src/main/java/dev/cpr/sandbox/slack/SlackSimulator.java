package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A <b>simulator</b> of the public Slack Web API shapes, for the sandbox, tests and the demo: not Slack,
 * and not a complete implementation of it. It answers on a free loopback port the few methods cpr uses,
 * with the request and response shapes documented at api.slack.com:
 * <ul>
 *   <li>{@code POST /api/auth.test}</li>
 *   <li>{@code POST /api/chat.postMessage}: {@code channel}, {@code text}, {@code blocks}, {@code thread_ts},
 *       {@code metadata} ({@code event_type} + object {@code event_payload}, else {@code invalid_metadata_format})</li>
 *   <li>{@code POST /api/conversations.history}: {@code channel} (an id: a name is {@code channel_not_found}),
 *       {@code oldest}, {@code latest}, {@code inclusive}, {@code limit}, {@code cursor}, {@code include_all_metadata}:
 *       top-level messages newest first, {@code has_more}, {@code response_metadata.next_cursor}</li>
 *   <li>{@code POST /api/conversations.replies}: the same with {@code ts}: the parent, then its replies oldest first
 *       ({@code thread_not_found} for an unknown ts). Metadata is shown only with {@code include_all_metadata}.</li>
 *   <li>{@code POST /api/chat.update}: {@code channel}, {@code ts}, {@code text}, {@code blocks}</li>
 *   <li>{@code POST /api/chat.delete}: {@code channel}, {@code ts} (the message is forgotten)</li>
 *   <li>{@code POST /api/usergroups.users.list}: {@code usergroup} (groups made with {@link #defineUserGroup})</li>
 *   <li>{@code POST /services/...}: an incoming webhook ({@link #webhookUrl()}): JSON {@code text}, {@code blocks};
 *       answers {@code ok} as plain text, posts top-level in {@code #cpr-alerts}</li>
 * </ul>
 * It also plays Slack's side of interactivity: {@link #clickButton} and {@link #slashCommand} post what Slack would
 * post to an app (a {@code block_actions} payload, a slash command form) signed with the signing secret
 * (v0: {@code v0=} + hex HMAC-SHA256 of {@code v0:timestamp:body}), or deliberately forged or stale.
 * Bodies are accepted as {@code application/x-www-form-urlencoded} (what the official Java SDK sends,
 * with {@code blocks} as a JSON string) or as {@code application/json} (blocks as an array or a string).
 * The bearer token goes in {@code Authorization: Bearer xoxb-...} (or the legacy {@code token} parameter):
 * missing gives {@code {"ok":false,"error":"not_authed"}}, a value that is not a Slack-looking token
 * (or not the one required) gives {@code invalid_auth}. Errors are HTTP 200 with {@code ok:false}, as Slack
 * does; {@link #rateLimitNext} answers HTTP 429 with {@code Retry-After}, and so does a call beyond
 * {@link #rateLimit(int) the configured rate} (off by default); {@link #unavailable(boolean)} answers HTTP 503 to
 * every Web API and webhook call until switched back (Slack unreachable, as far as a client can tell).
 * <p>
 * Channels: {@code #cpr-alerts} (or {@code cpr-alerts}) is {@code C0SANDBOX}; any other name is created on first
 * use with a new id; an unknown id or a missing channel gives {@code channel_not_found}. Every posted message gets
 * a unique, increasing {@code ts}; {@code chat.update} of an unknown ts gives {@code message_not_found}.
 * <p>
 * Everything posted is recorded with its updates: {@link #messages()}, and {@code GET /_sim/messages}
 * ({@code ?channel=ID}) as a JSON array of {@link SimMessage}; {@code DELETE /_sim/messages} forgets them.
 */
public final class SlackSimulator implements AutoCloseable {

    public static final String DEFAULT_CHANNEL_NAME = "cpr-alerts";
    public static final String DEFAULT_CHANNEL_ID = "C0SANDBOX";
    public static final String TEAM_ID = "T0SANDBOX";
    public static final String BOT_USER_ID = "U0SANDBOX";
    public static final String BOT_ID = "B0SANDBOX";
    /** The signing secret requests to the app are signed with, unless another is given at start. */
    public static final String DEFAULT_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String APP_ID = "A0SANDBOX";
    public static final String WEBHOOK_PATH = "/services/T0SANDBOX/B0SANDBOX/sandboxwebhooksecret";

    /** How {@link #clickButton} and {@link #slashCommand} sign what they send. */
    public enum Signing {
        /** As Slack does: the signing secret, the current time. */
        VALID,
        /** Signed with a different secret. */
        FORGED,
        /** The right secret, but a timestamp 10 minutes old. */
        STALE
    }

    /** What the app answered a request the simulator sent as Slack, and the request itself (to replay it). */
    public record AppResponse(int status, String body, SignedRequest request) {
    }

    /** A request as sent to the app: URL, raw form body and the signing headers. */
    public record SignedRequest(String url, String body, String timestamp, String signature) {
    }

    private static final Logger LOG = Logger.getLogger(SlackSimulator.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final String TEXT_UTF8 = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String requiredToken;
    private final String signingSecret;
    private final SlackWorkspace workspace;
    private final SlackFaults faults;
    private final SlackToApp toApp;

    private SlackSimulator(int port, String requiredToken, Clock clock, String signingSecret) throws IOException {
        this.requiredToken = requiredToken;
        this.signingSecret = signingSecret;
        this.workspace = new SlackWorkspace(clock);
        this.faults = new SlackFaults(clock);
        this.server = SimHttp.loopbackServer(port, 0);
        this.toApp = new SlackToApp(workspace, clock, signingSecret, "http://127.0.0.1:" + port() + "/_sim/response/");
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "slack-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/", this::handleApi);
        server.createContext("/_sim/messages", this::handleSim);
        server.createContext("/services/", this::handleWebhook);
        server.start();
        LOG.info(() -> "Slack Web API simulator listening on " + apiUrl());
    }

    /** Starts on a free loopback port; any {@code xox...} bearer token is accepted. */
    public static SlackSimulator start() {
        return start(0, null, Clock.systemUTC());
    }

    /**
     * @param port          0 for a free port
     * @param requiredToken the only token accepted, or null to accept any token that starts with {@code xox}
     */
    public static SlackSimulator start(int port, String requiredToken, Clock clock) {
        return start(port, requiredToken, clock, DEFAULT_SIGNING_SECRET);
    }

    /** As {@link #start(int, String, Clock)}, signing requests to the app with {@code signingSecret}. */
    public static SlackSimulator start(int port, String requiredToken, Clock clock, String signingSecret) {
        try {
            return new SlackSimulator(port, requiredToken, clock, signingSecret);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Slack simulator on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The Web API base URL, what a client's "methods endpoint URL prefix" is: {@code http://127.0.0.1:PORT/api/}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port() + "/api/";
    }

    /** The incoming-webhook URL this simulator answers: {@code http://127.0.0.1:PORT/services/...}. */
    public String webhookUrl() {
        return "http://127.0.0.1:" + port() + WEBHOOK_PATH;
    }

    public String signingSecret() {
        return signingSecret;
    }

    /** Every message posted so far, in posting order, each with its current content and update history. */
    public List<SimMessage> messages() {
        return workspace.messages();
    }

    /** Messages of one channel (id or name). */
    public List<SimMessage> messages(String channel) {
        return workspace.messages(channel);
    }

    public Optional<SimMessage> message(String ts) {
        return workspace.message(ts);
    }

    /** Replies in the thread of {@code parentTs}, in posting order. */
    public List<SimMessage> replies(String parentTs) {
        return workspace.replies(parentTs);
    }

    /** Deletes a message as if someone removed it in Slack; false when there is no such message. */
    public boolean delete(String ts) {
        return workspace.delete(ts);
    }

    /** Forgets every message (channels stay) and every fault set up. */
    public void reset() {
        workspace.clear();
        faults.reset();
    }

    /** Beyond {@code perSecond} Web API calls in a second, HTTP 429 with {@code Retry-After: 1}; 0 (default): off. */
    public void rateLimit(int perSecond) {
        faults.rateLimit(perSecond);
    }

    /** While true, every Web API and webhook call answers HTTP 503: Slack is down as far as a client can tell. */
    public void unavailable(boolean down) {
        faults.unavailable(down);
    }

    /** A user group ({@code S...}) with these members, for {@code usergroups.users.list}. */
    public void defineUserGroup(String id, String... userIds) {
        workspace.defineUserGroup(id, userIds);
    }

    /** The next {@code calls} Web API calls answer HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitNext(int calls, int retryAfterSeconds) {
        faults.rateLimitNext(calls, retryAfterSeconds);
    }

    /** The next {@code calls} Web API calls answer {@code {"ok":false,"error":error}}, e.g. {@code internal_error}. */
    public void failNext(int calls, String error) {
        faults.failNext(calls, error);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- Slack -> the app

    /**
     * Clicks a button of a recorded message as {@code userId}, the way Slack tells the app: a signed POST of
     * {@code payload=<block_actions JSON>} to {@code <appBaseUrl>/slack/interactions}.
     *
     * @return the HTTP status the app answered
     */
    public int clickButton(String appBaseUrl, String userId, String messageTs, String actionId, String value) {
        return click(appBaseUrl, userId, messageTs, actionId, value, Signing.VALID).status();
    }

    /** A click signed as {@code signing} says; the answer carries the request, to replay it with {@link #resend}. */
    public AppResponse click(String appBaseUrl, String userId, String messageTs, String actionId, String value,
            Signing signing) {
        return toApp.click(appBaseUrl, userId, messageTs, actionId, value, signing);
    }

    /**
     * Types {@code /cpr <text>} as {@code userId}, the way Slack tells the app: a signed form POST to
     * {@code <appBaseUrl>/slack/commands}.
     */
    public AppResponse slashCommand(String appBaseUrl, String userId, String text, Signing signing) {
        return toApp.slashCommand(appBaseUrl, userId, text, signing);
    }

    /** Sends the very same request again (same body, timestamp and signature): a replay. */
    public AppResponse resend(SignedRequest request) {
        return toApp.resend(request);
    }

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:timestamp:body} with {@code secret}: Slack's request signature. */
    public static String sign(String secret, String timestamp, String body) {
        return SlackToApp.sign(secret, timestamp, body);
    }

    /** The JSON {@code GET /_sim/messages} returns, for callers that hold a simulator's messages list. */
    public static ArrayNode toJson(List<SimMessage> list) {
        return JSON.valueToTree(list);
    }

    // ---------------------------------------------------------------- HTTP

    private void handleApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            Map<String, Object> params;
            try {
                params = SlackParameters.parameters(exchange);
            } catch (IllegalArgumentException e) {
                sendJson(exchange, 200, SlackParameters.error(e.getMessage()));
                return;
            }
            SlackFaults.Refusal refusal = faults.refusal();
            if (refusal != null) {
                retryAfter(exchange, refusal);
                sendJson(exchange, refusal.status(), SlackParameters.error(refusal.status() == 503
                        ? "service_unavailable" : "ratelimited"));
                return;
            }
            String authError = authenticate(exchange, params);
            if (authError != null) {
                sendJson(exchange, 200, SlackParameters.error(authError));
                return;
            }
            String failure = faults.failure();
            if (failure != null) {
                sendJson(exchange, 200, SlackParameters.error(failure));
                return;
            }
            ObjectNode response = switch (method) {
                case "auth.test" -> workspace.authTest();
                case "chat.postMessage" -> workspace.postMessage(params);
                case "chat.update" -> workspace.update(params);
                case "chat.delete" -> workspace.delete(params);
                case "conversations.history" -> workspace.history(params);
                case "conversations.replies" -> workspace.replies(params);
                case "usergroups.users.list" -> workspace.userGroupUsers(params);
                default -> SlackParameters.error("unknown_method");
            };
            sendJson(exchange, 200, response);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Slack simulator failed to answer " + exchange.getRequestURI(), e);
        }
    }

    private void handleWebhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!WEBHOOK_PATH.equals(exchange.getRequestURI().getPath())) {
                sendText(exchange, 404, "no_service");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendText(exchange, 405, "invalid_method");
                return;
            }
            SlackFaults.Refusal refusal = faults.refusal();
            if (refusal != null) {
                retryAfter(exchange, refusal);
                sendText(exchange, refusal.status(), refusal.status() == 503 ? "service_unavailable" : "rate_limited");
                return;
            }
            JsonNode payload;
            try {
                payload = JSON.readTree(SimHttp.body(exchange));
            } catch (IOException e) {
                sendText(exchange, 400, "invalid_payload");
                return;
            }
            if (payload == null || !payload.isObject()) {
                sendText(exchange, 400, "invalid_payload");
                return;
            }
            String text = payload.path("text").asText("");
            JsonNode blocks;
            try {
                blocks = SlackParameters.blocks(payload.get("blocks"));
            } catch (IllegalArgumentException e) {
                sendText(exchange, 400, "invalid_blocks");
                return;
            }
            if (text.isEmpty() && blocks == null) {
                sendText(exchange, 400, "no_text");
                return;
            }
            workspace.postFromWebhook(text, blocks);
            sendText(exchange, 200, "ok");
        }
    }

    private void handleSim(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    String channel = SimHttp.query(exchange).get("channel");
                    List<SimMessage> list = channel == null ? messages() : messages(channel);
                    sendJson(exchange, 200, JSON.valueToTree(list));
                }
                case "DELETE" -> {
                    reset();
                    sendJson(exchange, 200, JSON.createObjectNode().put("ok", true));
                }
                default -> sendJson(exchange, 405, SlackParameters.error("method_not_allowed"));
            }
        }
    }

    /** The error of a call without a valid token ({@code not_authed}, {@code invalid_auth}), or null. */
    private String authenticate(HttpExchange exchange, Map<String, Object> params) {
        String token = SimHttp.bearerToken(exchange);
        if (token == null && params.get("token") instanceof String t) {
            token = t.trim();
        }
        if (token == null || token.isEmpty()) {
            return "not_authed";
        }
        boolean valid = requiredToken == null ? token.startsWith("xox") : requiredToken.equals(token);
        return valid ? null : "invalid_auth";
    }

    private static void retryAfter(HttpExchange exchange, SlackFaults.Refusal refusal) {
        if (refusal.status() == 429) {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(refusal.retryAfterSeconds()));
        }
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        SimHttp.send(exchange, status, JSON_UTF8, JSON.writeValueAsBytes(body));
    }

    private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
        SimHttp.sendText(exchange, status, TEXT_UTF8, body);
    }
}
