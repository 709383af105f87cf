package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 *   <li>{@code POST /api/chat.postMessage}: {@code channel}, {@code text}, {@code blocks}, {@code thread_ts}</li>
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
 * Channels: {@code #cpr-alerts} (or {@code cpr-alerts}) is {@code C0SANDBOX}; any other name is created on
 * first use with a new id; an unknown id or a missing channel gives {@code channel_not_found}. Every posted
 * message gets a unique, increasing {@code ts}; {@code chat.update} of an unknown ts gives
 * {@code message_not_found}.
 * <p>
 * Everything posted is recorded with its updates: {@link #messages()} from Java, and
 * {@code GET /_sim/messages} (optionally {@code ?channel=ID}) as a JSON array of {@link SimMessage}
 * ({@code channel, channelName, ts, threadTs, text, blocks, postedAt, updates[{text, blocks, at}]});
 * {@code DELETE /_sim/messages} forgets them.
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

    /**
     * What the app answered a request the simulator sent as Slack, and the request itself (to replay it).
     */
    public record AppResponse(int status, String body, SignedRequest request) {
    }

    /** A request as sent to the app: URL, raw form body and the signing headers. */
    public record SignedRequest(String url, String body, String timestamp, String signature) {
    }

    private static final Logger LOG = Logger.getLogger(SlackSimulator.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final String requiredToken;
    private final String signingSecret;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    // guarded by "this"
    private final Map<String, String> channelIdsByName = new LinkedHashMap<>();
    private final List<StoredMessage> messages = new ArrayList<>();
    private long lastTsMicros;
    private int channelCounter;
    private int rateLimitedCalls;
    private int rateLimitRetryAfterSeconds;
    private int failingCalls;
    private String failingError;
    private int callsPerSecond;
    private final java.util.ArrayDeque<Instant> recentCalls = new java.util.ArrayDeque<>();
    private boolean unavailable;
    private final Map<String, List<String>> userGroups = new LinkedHashMap<>();
    private long triggerCounter;

    private SlackSimulator(int port, String requiredToken, Clock clock, String signingSecret) throws IOException {
        this.clock = clock;
        this.requiredToken = requiredToken;
        this.signingSecret = signingSecret;
        this.channelIdsByName.put(DEFAULT_CHANNEL_NAME, DEFAULT_CHANNEL_ID);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
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
    public synchronized List<SimMessage> messages() {
        return messages.stream().map(StoredMessage::snapshot).toList();
    }

    /** Messages of one channel (id or name). */
    public synchronized List<SimMessage> messages(String channel) {
        String id = channelIdsByName.getOrDefault(normalize(channel), channel);
        return messages.stream().filter(m -> m.channel.equals(id)).map(StoredMessage::snapshot).toList();
    }

    public synchronized Optional<SimMessage> message(String ts) {
        return messages.stream().filter(m -> m.ts.equals(ts)).findFirst().map(StoredMessage::snapshot);
    }

    /** Replies in the thread of {@code parentTs}, in posting order. */
    public synchronized List<SimMessage> replies(String parentTs) {
        return messages.stream().filter(m -> parentTs.equals(m.threadTs)).map(StoredMessage::snapshot).toList();
    }

    /** Forgets every message (channels stay) and every fault set up. */
    public synchronized void reset() {
        messages.clear();
        rateLimitedCalls = 0;
        failingCalls = 0;
        callsPerSecond = 0;
        unavailable = false;
    }

    /**
     * Beyond {@code perSecond} Web API calls in any one second, answer HTTP 429 with {@code Retry-After: 1}, as
     * Slack's per-method tiers do; 0 (the default) turns the limit off.
     */
    public synchronized void rateLimit(int perSecond) {
        this.callsPerSecond = Math.max(0, perSecond);
        recentCalls.clear();
    }

    /** While true, every Web API and webhook call answers HTTP 503: Slack is down as far as a client can tell. */
    public synchronized void unavailable(boolean down) {
        this.unavailable = down;
    }

    /** A user group ({@code S...}) with these members, for {@code usergroups.users.list}. */
    public synchronized void defineUserGroup(String id, String... userIds) {
        userGroups.put(id, List.of(userIds));
    }

    /** The next {@code calls} Web API calls answer HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    public synchronized void rateLimitNext(int calls, int retryAfterSeconds) {
        this.rateLimitedCalls = calls;
        this.rateLimitRetryAfterSeconds = retryAfterSeconds;
    }

    /** The next {@code calls} Web API calls answer {@code {"ok":false,"error":error}}, e.g. {@code internal_error}. */
    public synchronized void failNext(int calls, String error) {
        this.failingCalls = calls;
        this.failingError = error;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- HTTP

    private void handleApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            Map<String, Object> params;
            try {
                params = parameters(exchange);
            } catch (IllegalArgumentException e) {
                send(exchange, 200, error(e.getMessage()));
                return;
            }
            synchronized (this) {
                if (unavailable) {
                    send(exchange, 503, error("service_unavailable"));
                    return;
                }
                if (rateLimitedCalls > 0) {
                    rateLimitedCalls--;
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(rateLimitRetryAfterSeconds));
                    send(exchange, 429, error("ratelimited"));
                    return;
                }
                if (overRate()) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    send(exchange, 429, error("ratelimited"));
                    return;
                }
            }
            String authError = authenticate(exchange, params);
            if (authError != null) {
                send(exchange, 200, error(authError));
                return;
            }
            synchronized (this) {
                if (failingCalls > 0) {
                    failingCalls--;
                    send(exchange, 200, error(failingError));
                    return;
                }
            }
            ObjectNode response = switch (method) {
                case "auth.test" -> authTest();
                case "chat.postMessage" -> postMessage(params);
                case "chat.update" -> update(params);
                case "chat.delete" -> delete(params);
                case "usergroups.users.list" -> userGroupUsers(params);
                default -> error("unknown_method");
            };
            send(exchange, 200, response);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Slack simulator failed to answer " + exchange.getRequestURI(), e);
        }
    }

    /** Counts this call against the configured rate; true when it is over (callers hold the lock). */
    private boolean overRate() {
        if (callsPerSecond <= 0) {
            return false;
        }
        Instant now = clock.instant();
        while (!recentCalls.isEmpty() && !recentCalls.peekFirst().isAfter(now.minusSeconds(1))) {
            recentCalls.pollFirst();
        }
        if (recentCalls.size() >= callsPerSecond) {
            return true;
        }
        recentCalls.addLast(now);
        return false;
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
            synchronized (this) {
                if (unavailable) {
                    sendText(exchange, 503, "service_unavailable");
                    return;
                }
                if (rateLimitedCalls > 0) {
                    rateLimitedCalls--;
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(rateLimitRetryAfterSeconds));
                    sendText(exchange, 429, "rate_limited");
                    return;
                }
                if (overRate()) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    sendText(exchange, 429, "rate_limited");
                    return;
                }
            }
            JsonNode payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = JSON.readTree(in.readAllBytes());
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
                blocks = blocks(payload.get("blocks"));
            } catch (IllegalArgumentException e) {
                sendText(exchange, 400, "invalid_blocks");
                return;
            }
            if (text.isEmpty() && blocks == null) {
                sendText(exchange, 400, "no_text");
                return;
            }
            synchronized (this) {
                messages.add(new StoredMessage(DEFAULT_CHANNEL_ID, DEFAULT_CHANNEL_NAME, nextTs(), null, text, blocks,
                        clock.instant()));
            }
            sendText(exchange, 200, "ok");
        }
    }

    private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handleSim(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    String channel = query(exchange).get("channel");
                    List<SimMessage> list = channel == null ? messages() : messages(channel);
                    send(exchange, 200, JSON.valueToTree(list));
                }
                case "DELETE" -> {
                    reset();
                    send(exchange, 200, JSON.createObjectNode().put("ok", true));
                }
                default -> send(exchange, 405, error("method_not_allowed"));
            }
        }
    }

    private String authenticate(HttpExchange exchange, Map<String, Object> params) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if (params.get("token") instanceof String t) {
            token = t.trim();
        }
        if (token == null || token.isEmpty()) {
            return "not_authed";
        }
        boolean valid = requiredToken == null ? token.startsWith("xox") : requiredToken.equals(token);
        return valid ? null : "invalid_auth";
    }

    // ---------------------------------------------------------------- methods

    private ObjectNode authTest() {
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("url", "https://cpr-sandbox.slack.com/");
        out.put("team", "cpr sandbox");
        out.put("user", "cpr-bot");
        out.put("team_id", TEAM_ID);
        out.put("user_id", BOT_USER_ID);
        out.put("bot_id", BOT_ID);
        return out;
    }

    private synchronized ObjectNode postMessage(Map<String, Object> params) {
        String channel = resolveChannel(string(params, "channel"));
        if (channel == null) {
            return error("channel_not_found");
        }
        String text = string(params, "text");
        JsonNode blocks;
        try {
            blocks = blocks(params.get("blocks"));
        } catch (IllegalArgumentException e) {
            return error("invalid_blocks");
        }
        if ((text == null || text.isEmpty()) && blocks == null) {
            return error("no_text");
        }
        String threadTs = string(params, "thread_ts");
        if (threadTs != null && threadTs.isEmpty()) {
            threadTs = null;
        }
        if (threadTs != null && find(channel, threadTs) == null) {
            return error("thread_not_found");
        }
        StoredMessage message = new StoredMessage(channel, channelName(channel), nextTs(), threadTs,
                text == null ? "" : text, blocks, clock.instant());
        messages.add(message);
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("channel", channel);
        out.put("ts", message.ts);
        out.set("message", message.toSlackJson());
        return out;
    }

    private synchronized ObjectNode update(Map<String, Object> params) {
        String channel = resolveChannel(string(params, "channel"));
        if (channel == null) {
            return error("channel_not_found");
        }
        String ts = string(params, "ts");
        StoredMessage message = ts == null ? null : find(channel, ts);
        if (message == null) {
            return error("message_not_found");
        }
        String text = string(params, "text");
        JsonNode blocks;
        try {
            blocks = blocks(params.get("blocks"));
        } catch (IllegalArgumentException e) {
            return error("invalid_blocks");
        }
        if ((text == null || text.isEmpty()) && blocks == null) {
            return error("no_text");
        }
        message.update(text == null ? message.text : text, blocks, clock.instant());
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("channel", channel);
        out.put("ts", message.ts);
        out.put("text", message.text);
        out.set("message", message.toSlackJson());
        return out;
    }

    private synchronized ObjectNode delete(Map<String, Object> params) {
        String channel = resolveChannel(string(params, "channel"));
        if (channel == null) {
            return error("channel_not_found");
        }
        String ts = string(params, "ts");
        StoredMessage message = ts == null ? null : find(channel, ts);
        if (message == null) {
            return error("message_not_found");
        }
        messages.remove(message);
        return JSON.createObjectNode().put("ok", true).put("channel", channel).put("ts", ts);
    }

    private synchronized ObjectNode userGroupUsers(Map<String, Object> params) {
        String id = string(params, "usergroup");
        List<String> members = id == null ? null : userGroups.get(id);
        if (members == null) {
            return error("no_such_subteam");
        }
        ObjectNode out = JSON.createObjectNode().put("ok", true);
        ArrayNode users = out.putArray("users");
        members.forEach(users::add);
        return out;
    }

    /** Deletes a message as if someone removed it in Slack; false when there is no such message. */
    public synchronized boolean delete(String ts) {
        return messages.removeIf(m -> m.ts.equals(ts));
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
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        ObjectNode user = payload.putObject("user");
        user.put("id", userId).put("username", userId.toLowerCase(Locale.ROOT)).put("name", userId.toLowerCase(Locale.ROOT))
                .put("team_id", TEAM_ID);
        payload.put("api_app_id", APP_ID);
        payload.put("token", "deprecated-verification-token");
        String triggerId;
        synchronized (this) {
            triggerId = (++triggerCounter) + "." + TEAM_ID + "." + Long.toHexString(System.nanoTime());
        }
        payload.put("trigger_id", triggerId);
        payload.putObject("team").put("id", TEAM_ID).put("domain", "cpr-sandbox");
        Optional<SimMessage> message = message(messageTs);
        String channel = message.map(SimMessage::channel).orElse(DEFAULT_CHANNEL_ID);
        ObjectNode container = payload.putObject("container");
        container.put("type", "message").put("message_ts", messageTs).put("channel_id", channel)
                .put("is_ephemeral", false);
        message.ifPresent(m -> {
            if (m.threadTs() != null) {
                container.put("thread_ts", m.threadTs());
            }
        });
        payload.putObject("channel").put("id", channel).put("name", message.map(SimMessage::channelName)
                .orElse(DEFAULT_CHANNEL_NAME));
        String blockId = "unknown";
        String label = actionId;
        if (message.isPresent()) {
            ObjectNode msg = payload.putObject("message");
            msg.put("type", "message").put("user", BOT_USER_ID).put("bot_id", BOT_ID).put("ts", messageTs)
                    .put("text", message.get().text());
            if (message.get().blocks() != null) {
                msg.set("blocks", message.get().blocks());
                for (JsonNode block : message.get().blocks()) {
                    for (JsonNode element : block.path("elements")) {
                        if (actionId.equals(element.path("action_id").asText())) {
                            blockId = block.path("block_id").asText(blockId);
                            label = element.path("text").path("text").asText(label);
                        }
                    }
                }
            }
        }
        payload.put("response_url", "http://127.0.0.1:" + port() + "/_sim/response/" + triggerId);
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", actionId).put("block_id", blockId).put("type", "button").put("value", value)
                .put("action_ts", Long.toString(clock.instant().getEpochSecond()));
        action.putObject("text").put("type", "plain_text").put("text", label).put("emoji", true);
        String body = "payload=" + java.net.URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
        return sendToApp(appBaseUrl + "/slack/interactions", body, signing);
    }

    /**
     * Types {@code /cpr <text>} as {@code userId}, the way Slack tells the app: a signed form POST to
     * {@code <appBaseUrl>/slack/commands}.
     */
    public AppResponse slashCommand(String appBaseUrl, String userId, String text, Signing signing) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "deprecated-verification-token");
        form.put("team_id", TEAM_ID);
        form.put("team_domain", "cpr-sandbox");
        form.put("channel_id", DEFAULT_CHANNEL_ID);
        form.put("channel_name", DEFAULT_CHANNEL_NAME);
        form.put("user_id", userId);
        form.put("user_name", userId.toLowerCase(Locale.ROOT));
        form.put("command", "/cpr");
        form.put("text", text);
        form.put("api_app_id", APP_ID);
        form.put("is_enterprise_install", "false");
        String trigger;
        synchronized (this) {
            trigger = (++triggerCounter) + "." + TEAM_ID + "." + Long.toHexString(System.nanoTime());
        }
        form.put("response_url", "http://127.0.0.1:" + port() + "/_sim/response/" + trigger);
        form.put("trigger_id", trigger);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sendToApp(appBaseUrl + "/slack/commands", body.toString(), signing);
    }

    /** Sends the very same request again (same body, timestamp and signature): a replay. */
    public AppResponse resend(SignedRequest request) {
        return post(request);
    }

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:timestamp:body} with {@code secret}: Slack's request signature. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private AppResponse sendToApp(String url, String body, Signing signing) {
        long now = clock.instant().getEpochSecond();
        String timestamp = Long.toString(signing == Signing.STALE ? now - 600 : now);
        String secret = signing == Signing.FORGED ? "not-the-" + signingSecret : signingSecret;
        return post(new SignedRequest(url, body, timestamp, sign(secret, timestamp, body)));
    }

    private AppResponse post(SignedRequest request) {
        java.net.http.HttpRequest http = java.net.http.HttpRequest.newBuilder(java.net.URI.create(request.url()))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("X-Slack-Request-Timestamp", request.timestamp())
                .header("X-Slack-Signature", request.signature())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(request.body()))
                .build();
        try {
            java.net.http.HttpResponse<String> response = this.http.send(http,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new AppResponse(response.statusCode(), response.body(), request);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the app at " + request.url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to " + request.url(), e);
        }
    }

    // ---------------------------------------------------------------- state helpers (callers hold the lock)

    private StoredMessage find(String channel, String ts) {
        for (StoredMessage m : messages) {
            if (m.channel.equals(channel) && m.ts.equals(ts)) {
                return m;
            }
        }
        return null;
    }

    /** A channel id for a name (created on first use) or a known id; null when missing or an unknown id. */
    private String resolveChannel(String channel) {
        if (channel == null || channel.isBlank()) {
            return null;
        }
        String trimmed = channel.trim();
        if (channelIdsByName.containsValue(trimmed)) {
            return trimmed;
        }
        if (!trimmed.startsWith("#") && trimmed.matches("[CGD][A-Z0-9]{6,}")) {
            return null; // looks like an id we never handed out
        }
        return channelIdsByName.computeIfAbsent(normalize(trimmed),
                name -> String.format(Locale.ROOT, "C0SIM%04d", ++channelCounter));
    }

    private String channelName(String id) {
        return channelIdsByName.entrySet().stream().filter(e -> e.getValue().equals(id))
                .map(Map.Entry::getKey).findFirst().orElse(id);
    }

    private static String normalize(String channel) {
        return channel.startsWith("#") ? channel.substring(1) : channel;
    }

    /** Unique and increasing, in Slack's {@code seconds.micros} form. */
    private String nextTs() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
        lastTsMicros = Math.max(lastTsMicros + 1, micros);
        return String.format(Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000L, lastTsMicros % 1_000_000L);
    }

    // ---------------------------------------------------------------- request parsing

    private static Map<String, Object> parameters(HttpExchange exchange) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>(query(exchange));
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse("").toLowerCase(Locale.ROOT);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (body.length == 0) {
            return params;
        }
        if (contentType.startsWith("application/json")) {
            JsonNode tree;
            try {
                tree = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid_json");
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException("invalid_json");
            }
            tree.fields().forEachRemaining(f -> params.put(f.getKey(),
                    f.getValue().isTextual() ? f.getValue().asText() : f.getValue()));
        } else {
            params.putAll(form(new String(body, StandardCharsets.UTF_8)));
        }
        return params;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        return raw == null ? Map.of() : form(raw);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    private static String string(Map<String, Object> params, String key) {
        Object value = params.get(key);
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? (node.isNull() ? null : node.asText()) : value.toString();
    }

    /** Blocks as sent: a JSON array, or a string holding one. Null when absent or empty. */
    private static JsonNode blocks(Object value) {
        if (value == null) {
            return null;
        }
        JsonNode node;
        if (value instanceof JsonNode json) {
            node = json;
        } else {
            String s = value.toString();
            if (s.isBlank()) {
                return null;
            }
            try {
                node = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("invalid_blocks");
            }
        }
        if (node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("invalid_blocks");
        }
        return node.isEmpty() ? null : node;
    }

    private static ObjectNode error(String error) {
        return JSON.createObjectNode().put("ok", false).put("error", error);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---------------------------------------------------------------- stored message

    private static final class StoredMessage {
        final String channel;
        final String channelName;
        final String ts;
        final String threadTs;
        final Instant postedAt;
        final List<SimMessage.Update> updates = new ArrayList<>();
        String text;
        JsonNode blocks;

        StoredMessage(String channel, String channelName, String ts, String threadTs, String text, JsonNode blocks,
                Instant postedAt) {
            this.channel = channel;
            this.channelName = channelName;
            this.ts = ts;
            this.threadTs = threadTs;
            this.text = text;
            this.blocks = blocks;
            this.postedAt = postedAt;
        }

        void update(String newText, JsonNode newBlocks, Instant at) {
            text = newText;
            blocks = newBlocks;
            updates.add(new SimMessage.Update(newText, newBlocks == null ? null : newBlocks.deepCopy(), at));
        }

        SimMessage snapshot() {
            return new SimMessage(channel, channelName, ts, threadTs, text, blocks == null ? null : blocks.deepCopy(),
                    postedAt, List.copyOf(updates));
        }

        ObjectNode toSlackJson() {
            ObjectNode out = JSON.createObjectNode();
            out.put("type", "message");
            out.put("user", BOT_USER_ID);
            out.put("bot_id", BOT_ID);
            out.put("team", TEAM_ID);
            out.put("text", text);
            out.put("ts", ts);
            if (threadTs != null) {
                out.put("thread_ts", threadTs);
            }
            if (blocks != null) {
                out.set("blocks", blocks.deepCopy());
            }
            if (!updates.isEmpty()) {
                ObjectNode edited = out.putObject("edited");
                edited.put("user", BOT_USER_ID);
                edited.put("ts", ts);
            }
            return out;
        }
    }

    /** The JSON {@code GET /_sim/messages} returns, for callers that hold a simulator's messages list. */
    public static ArrayNode toJson(List<SimMessage> list) {
        return JSON.valueToTree(list);
    }
}
