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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Message metadata and the two reading methods, {@code conversations.history} and {@code conversations.replies},
 * over HTTP the way the Slack Java SDK calls them (form bodies, metadata as a JSON string).
 */
class SlackSimulatorHistoryTest {

    private static final String TOKEN = "xoxb-test";
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
    void metadataPostedWithAMessageIsShownOnlyToACallThatAsksForAllMetadata() throws Exception {
        String ts = post(Map.of("channel", "#cpr-alerts", "text", "tagged", "metadata", metadata("41"))).path("ts").asText();

        JsonNode plain = call("conversations.history", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID));
        JsonNode withMetadata = call("conversations.history",
                Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID, "include_all_metadata", "true"));

        assertThat(plain.path("messages").get(0).has("metadata")).isFalse();
        JsonNode message = withMetadata.path("messages").get(0);
        assertThat(message.path("ts").asText()).isEqualTo(ts);
        assertThat(message.path("metadata").path("event_type").asText()).isEqualTo("cpr_message");
        assertThat(message.path("metadata").path("event_payload").path("outbox_id").asText()).isEqualTo("41");
        assertThat(simulator.message(ts).orElseThrow().metadata().path("event_type").asText()).isEqualTo("cpr_message");
    }

    @Test
    void metadataWithoutAnEventTypeIsRefusedAndNothingIsPosted() throws Exception {
        JsonNode answer = post(Map.of("channel", "#cpr-alerts", "text", "x", "metadata", "{\"event_payload\":{}}"));

        assertThat(answer.path("ok").asBoolean()).isFalse();
        assertThat(answer.path("error").asText()).isEqualTo("invalid_metadata_format");
        assertThat(simulator.messages()).isEmpty();
    }

    @Test
    void historyIsTopLevelNewestFirstAfterOldestAndPagedWithACursorUntilHasMoreIsFalse() throws Exception {
        String before = post(Map.of("channel", "#cpr-alerts", "text", "before")).path("ts").asText();
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String ts = post(Map.of("channel", "#cpr-alerts", "text", "m" + i)).path("ts").asText();
            posted.add(ts);
            post(Map.of("channel", "#cpr-alerts", "text", "reply to m" + i, "thread_ts", ts));
        }

        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = call("conversations.history", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID,
                    "oldest", before, "limit", "2", "cursor", cursor));
            assertThat(page.path("ok").asBoolean()).isTrue();
            page.path("messages").forEach(m -> seen.add(m.path("ts").asText()));
            cursor = page.path("has_more").asBoolean() ? page.path("response_metadata").path("next_cursor").asText() : "";
            pages++;
        } while (!cursor.isEmpty());

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(posted);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void historyTakesAChannelIdOnlyAndRefusesAnUnknownCursor() throws Exception {
        assertThat(call("conversations.history", Map.of("channel", "#cpr-alerts")).path("error").asText())
                .isEqualTo("channel_not_found");
        assertThat(call("conversations.history", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID,
                "cursor", "not-a-cursor")).path("error").asText()).isEqualTo("invalid_cursor");
    }

    @Test
    void repliesAreTheParentThenItsRepliesOldestFirstWithTheirMetadata() throws Exception {
        String parent = post(Map.of("channel", "#cpr-alerts", "text", "parent")).path("ts").asText();
        String first = post(Map.of("channel", "#cpr-alerts", "text", "r1", "thread_ts", parent,
                "metadata", metadata("7"))).path("ts").asText();
        String second = post(Map.of("channel", "#cpr-alerts", "text", "r2", "thread_ts", parent)).path("ts").asText();

        JsonNode all = call("conversations.replies", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID, "ts", parent,
                "include_all_metadata", "true"));
        JsonNode afterFirst = call("conversations.replies", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID,
                "ts", parent, "oldest", first, "limit", "1"));

        assertThat(all.path("messages").findValuesAsText("ts")).containsExactly(parent, first, second);
        assertThat(all.path("messages").get(1).path("metadata").path("event_payload").path("outbox_id").asText())
                .isEqualTo("7");
        assertThat(afterFirst.path("messages").findValuesAsText("ts")).containsExactly(parent, second);
        assertThat(afterFirst.path("has_more").asBoolean()).isFalse();
        assertThat(call("conversations.replies", Map.of("channel", SlackSimulator.DEFAULT_CHANNEL_ID, "ts", "1.000001"))
                .path("error").asText()).isEqualTo("thread_not_found");
    }

    private static String metadata(String outboxId) {
        return "{\"event_type\":\"cpr_message\",\"event_payload\":{\"outbox_id\":\"" + outboxId + "\"}}";
    }

    private JsonNode post(Map<String, String> params) throws IOException, InterruptedException {
        return call("chat.postMessage", params);
    }

    private JsonNode call(String method, Map<String, String> params) throws IOException, InterruptedException {
        String body = new LinkedHashMap<>(params).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.apiUrl() + method))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
