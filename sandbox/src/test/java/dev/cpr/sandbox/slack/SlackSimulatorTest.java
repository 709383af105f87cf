package dev.cpr.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Talks to the simulator over HTTP the way the Slack Java SDK does (form bodies, blocks as a JSON string) and as JSON. */
class SlackSimulatorTest {

    private static final String TOKEN = "xoxb-test";
    private static final String BLOCKS = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*hello*\"}}]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private SlackSimulator simulator;

    @BeforeEach
    void start() {
        simulator = SlackSimulator.start(0, TOKEN, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void postMessageAsFormWithBlocksStringIsRecordedAndAnsweredInSlackShape() throws Exception {
        JsonNode response = form("chat.postMessage", TOKEN,
                Map.of("channel", "#cpr-alerts", "text", "hello", "blocks", BLOCKS));

        assertThat(response.path("ok").asBoolean()).isTrue();
        assertThat(response.path("channel").asText()).isEqualTo(SlackSimulator.DEFAULT_CHANNEL_ID);
        assertThat(response.path("ts").asText()).matches("\\d{10}\\.\\d{6}");
        assertThat(response.path("message").path("text").asText()).isEqualTo("hello");
        assertThat(response.path("message").path("blocks").get(0).path("type").asText()).isEqualTo("section");
        assertThat(simulator.messages()).singleElement().satisfies(m -> {
            assertThat(m.channel()).isEqualTo("C0SANDBOX");
            assertThat(m.channelName()).isEqualTo("cpr-alerts");
            assertThat(m.ts()).isEqualTo(response.path("ts").asText());
            assertThat(m.isTopLevel()).isTrue();
            assertThat(m.blocks().get(0).path("text").path("text").asText()).isEqualTo("*hello*");
        });
    }

    @Test
    void postMessageAsJsonWithBlocksArrayIsAccepted() throws Exception {
        JsonNode response = json("chat.postMessage", TOKEN,
                "{\"channel\":\"cpr-alerts\",\"text\":\"hi\",\"blocks\":" + BLOCKS + "}");

        assertThat(response.path("ok").asBoolean()).isTrue();
        assertThat(simulator.messages()).singleElement()
                .satisfies(m -> assertThat(m.blocks().isArray()).isTrue());
    }

    @Test
    void everyPostGetsAUniqueIncreasingTs() throws Exception {
        String first = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "1")).path("ts").asText();
        String second = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "2")).path("ts").asText();
        String third = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "3")).path("ts").asText();

        assertThat(new java.math.BigDecimal(first)).isLessThan(new java.math.BigDecimal(second));
        assertThat(new java.math.BigDecimal(second)).isLessThan(new java.math.BigDecimal(third));
    }

    @Test
    void replyWithThreadTsIsRecordedInTheThread() throws Exception {
        String parent = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "top")).path("ts").asText();

        JsonNode reply = form("chat.postMessage", TOKEN,
                Map.of("channel", "C0SANDBOX", "text", "in thread", "thread_ts", parent));

        assertThat(reply.path("message").path("thread_ts").asText()).isEqualTo(parent);
        assertThat(simulator.replies(parent)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("in thread"));
    }

    @Test
    void updateReplacesContentAndKeepsHistory() throws Exception {
        String ts = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "v1")).path("ts").asText();

        JsonNode response = form("chat.update", TOKEN, Map.of("channel", "C0SANDBOX", "ts", ts, "text", "v2", "blocks", BLOCKS));

        assertThat(response.path("ok").asBoolean()).isTrue();
        assertThat(response.path("ts").asText()).isEqualTo(ts);
        assertThat(simulator.message(ts)).get().satisfies(m -> {
            assertThat(m.text()).isEqualTo("v2");
            assertThat(m.updates()).singleElement().satisfies(u -> assertThat(u.text()).isEqualTo("v2"));
        });
    }

    @Test
    void updateOfAnUnknownTsIsMessageNotFound() throws Exception {
        JsonNode response = form("chat.update", TOKEN, Map.of("channel", "C0SANDBOX", "ts", "1.000001", "text", "x"));

        assertThat(response.path("ok").asBoolean()).isFalse();
        assertThat(response.path("error").asText()).isEqualTo("message_not_found");
    }

    @Test
    void deletedMessageIsGoneAndCannotBeUpdated() throws Exception {
        String ts = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "v1")).path("ts").asText();

        JsonNode deleted = form("chat.delete", TOKEN, Map.of("channel", "C0SANDBOX", "ts", ts));
        JsonNode update = form("chat.update", TOKEN, Map.of("channel", "C0SANDBOX", "ts", ts, "text", "v2"));

        assertThat(deleted.path("ok").asBoolean()).isTrue();
        assertThat(update.path("error").asText()).isEqualTo("message_not_found");
        assertThat(simulator.messages()).isEmpty();
    }

    @Test
    void missingChannelIsChannelNotFound() throws Exception {
        JsonNode response = form("chat.postMessage", TOKEN, Map.of("text", "x"));

        assertThat(response.path("error").asText()).isEqualTo("channel_not_found");
        assertThat(simulator.messages()).isEmpty();
    }

    @Test
    void missingTokenIsNotAuthedAndWrongTokenIsInvalidAuth() throws Exception {
        JsonNode missing = form("chat.postMessage", null, Map.of("channel", "#cpr-alerts", "text", "x"));
        JsonNode wrong = form("chat.postMessage", "xoxb-other", Map.of("channel", "#cpr-alerts", "text", "x"));

        assertThat(missing.path("error").asText()).isEqualTo("not_authed");
        assertThat(wrong.path("error").asText()).isEqualTo("invalid_auth");
        assertThat(simulator.messages()).isEmpty();
    }

    @Test
    void authTestAnswersTheBotIdentity() throws Exception {
        JsonNode response = form("auth.test", TOKEN, Map.of());

        assertThat(response.path("ok").asBoolean()).isTrue();
        assertThat(response.path("team_id").asText()).isEqualTo(SlackSimulator.TEAM_ID);
    }

    @Test
    void rateLimitedCallAnswers429WithRetryAfter() throws Exception {
        simulator.rateLimitNext(1, 2);

        HttpResponse<String> limited = send(formRequest("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "x")));
        JsonNode next = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "x"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(next.path("ok").asBoolean()).isTrue();
    }

    @Test
    void simMessagesEndpointReturnsTheRecordedMessagesAsJson() throws Exception {
        String ts = form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "v1")).path("ts").asText();
        form("chat.update", TOKEN, Map.of("channel", "C0SANDBOX", "ts", ts, "text", "v2"));
        form("chat.postMessage", TOKEN, Map.of("channel", "#cpr-alerts", "text", "reply", "thread_ts", ts));

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + "/_sim/messages")).GET().build());
        JsonNode list = JSON.readTree(response.body());

        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("ts").asText()).isEqualTo(ts);
        assertThat(list.get(0).path("text").asText()).isEqualTo("v2");
        assertThat(list.get(0).path("updates").get(0).path("text").asText()).isEqualTo("v2");
        assertThat(list.get(1).path("threadTs").asText()).isEqualTo(ts);
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode form(String method, String token, Map<String, String> params) throws IOException, InterruptedException {
        HttpResponse<String> response = send(formRequest(method, token, params));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpRequest formRequest(String method, String token, Map<String, String> params) {
        String body = new LinkedHashMap<>(params).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + method))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private JsonNode json(String method, String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + method))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
