package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.sandbox.slack.SlackSimulator.AppResponse;
import dev.cpr.sandbox.slack.SlackSimulator.SignedRequest;
import dev.cpr.sandbox.slack.SlackSimulator.Signing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Slack's side of interactivity: what Slack posts to an app when someone clicks a button or types a slash command,
 * signed with the signing secret (v0), or deliberately forged or stale.
 */
final class SlackToApp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackWorkspace workspace;
    private final Clock clock;
    private final String signingSecret;
    private final String responseUrlBase;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private long triggerCounter;

    /** @param responseUrlBase where the app's {@code response_url}s point: the simulator's {@code /_sim/response/} */
    SlackToApp(SlackWorkspace workspace, Clock clock, String signingSecret, String responseUrlBase) {
        this.workspace = workspace;
        this.clock = clock;
        this.signingSecret = signingSecret;
        this.responseUrlBase = responseUrlBase;
    }

    AppResponse click(String appBaseUrl, String userId, String messageTs, String actionId, String value,
            Signing signing) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        ObjectNode user = payload.putObject("user");
        user.put("id", userId).put("username", userId.toLowerCase(Locale.ROOT))
                .put("name", userId.toLowerCase(Locale.ROOT))
                .put("team_id", SlackSimulator.TEAM_ID);
        payload.put("api_app_id", SlackSimulator.APP_ID);
        payload.put("token", "deprecated-verification-token");
        String triggerId;
        synchronized (this) {
            triggerId = (++triggerCounter) + "." + SlackSimulator.TEAM_ID + "." + Long.toHexString(System.nanoTime());
        }
        payload.put("trigger_id", triggerId);
        payload.putObject("team").put("id", SlackSimulator.TEAM_ID).put("domain", "cpr-sandbox");
        Optional<SimMessage> message = workspace.message(messageTs);
        String channel = message.map(SimMessage::channel).orElse(SlackSimulator.DEFAULT_CHANNEL_ID);
        ObjectNode container = payload.putObject("container");
        container.put("type", "message").put("message_ts", messageTs).put("channel_id", channel)
                .put("is_ephemeral", false);
        message.ifPresent(m -> {
            if (m.threadTs() != null) {
                container.put("thread_ts", m.threadTs());
            }
        });
        payload.putObject("channel").put("id", channel).put("name", message.map(SimMessage::channelName)
                .orElse(SlackSimulator.DEFAULT_CHANNEL_NAME));
        String blockId = "unknown";
        String label = actionId;
        if (message.isPresent()) {
            ObjectNode msg = payload.putObject("message");
            msg.put("type", "message").put("user", SlackSimulator.BOT_USER_ID).put("bot_id", SlackSimulator.BOT_ID)
                    .put("ts", messageTs).put("text", message.get().text());
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
        payload.put("response_url", responseUrlBase + triggerId);
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
    AppResponse slashCommand(String appBaseUrl, String userId, String text, Signing signing) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "deprecated-verification-token");
        form.put("team_id", SlackSimulator.TEAM_ID);
        form.put("team_domain", "cpr-sandbox");
        form.put("channel_id", SlackSimulator.DEFAULT_CHANNEL_ID);
        form.put("channel_name", SlackSimulator.DEFAULT_CHANNEL_NAME);
        form.put("user_id", userId);
        form.put("user_name", userId.toLowerCase(Locale.ROOT));
        form.put("command", "/cpr");
        form.put("text", text);
        form.put("api_app_id", SlackSimulator.APP_ID);
        form.put("is_enterprise_install", "false");
        String trigger;
        synchronized (this) {
            trigger = (++triggerCounter) + "." + SlackSimulator.TEAM_ID + "." + Long.toHexString(System.nanoTime());
        }
        form.put("response_url", responseUrlBase + trigger);
        form.put("trigger_id", trigger);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sendToApp(appBaseUrl + "/slack/commands", body.toString(), signing);
    }

    /** Sends the very same request again (same body, timestamp and signature): a replay. */
    AppResponse resend(SignedRequest request) {
        return post(request);
    }

    /** {@code v0=} + hex HMAC-SHA256 of {@code v0:timestamp:body} with {@code secret}: Slack's request signature. */
    static String sign(String secret, String timestamp, String body) {
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
}
