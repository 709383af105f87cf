package dev.cpr.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator playing Slack's side: signed requests to an app (a tiny recording app here), user groups, the
 * configurable rate limit, an outage, and the incoming webhook.
 */
class SlackSimulatorAsSlackTest {

    private static final String TOKEN = "xoxb-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private SlackSimulator simulator;
    private HttpServer app;

    record Received(String path, String body, String timestamp, String signature) {
    }

    @BeforeEach
    void start() throws IOException {
        simulator = SlackSimulator.start(0, TOKEN, Clock.systemUTC());
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestURI().getPath(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        exchange.getRequestHeaders().getFirst("X-Slack-Request-Timestamp"),
                        exchange.getRequestHeaders().getFirst("X-Slack-Signature")));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        app.start();
    }

    @AfterEach
    void stop() {
        app.stop(0);
        simulator.close();
    }

    @Test
    void signMatchesSlacksDocumentedExample() {
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        String signature = SlackSimulator.sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body);

        assertThat(signature).isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void aClickIsASignedBlockActionsPayloadNamingUserMessageAndAction() throws Exception {
        String ts = postMessage("[{\"type\":\"actions\",\"block_id\":\"cpr_approval\",\"elements\":[{\"type\":\"button\","
                + "\"action_id\":\"cpr_approve\",\"value\":\"v\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"}}]}]");

        int status = simulator.clickButton(appUrl(), "U0APPROVER", ts, "cpr_approve", "{\"planId\":\"p1\"}");

        assertThat(status).isEqualTo(204);
        Received click = received.get(0);
        assertThat(click.path()).isEqualTo("/slack/interactions");
        assertThat(click.signature()).isEqualTo(SlackSimulator.sign(simulator.signingSecret(), click.timestamp(), click.body()));
        assertThat(Long.parseLong(click.timestamp())).isCloseTo(Instant.now().getEpochSecond(),
                org.assertj.core.data.Offset.offset(5L));
        assertThat(click.body()).startsWith("payload=");
        JsonNode payload = JSON.readTree(URLDecoder.decode(click.body().substring("payload=".length()), StandardCharsets.UTF_8));
        assertThat(payload.path("type").asText()).isEqualTo("block_actions");
        assertThat(payload.path("user").path("id").asText()).isEqualTo("U0APPROVER");
        assertThat(payload.path("container").path("message_ts").asText()).isEqualTo(ts);
        assertThat(payload.path("actions").get(0).path("action_id").asText()).isEqualTo("cpr_approve");
        assertThat(payload.path("actions").get(0).path("block_id").asText()).isEqualTo("cpr_approval");
        assertThat(payload.path("actions").get(0).path("value").asText()).isEqualTo("{\"planId\":\"p1\"}");
    }

    @Test
    void forgedAndStaleClicksAreSignedWrongAndOldAndAResendIsByteForByteTheSame() {
        SlackSimulator.AppResponse forged = simulator.click(appUrl(), "U1", "1.000001", "cpr_approve", "v",
                SlackSimulator.Signing.FORGED);
        SlackSimulator.AppResponse stale = simulator.click(appUrl(), "U1", "1.000001", "cpr_approve", "v",
                SlackSimulator.Signing.STALE);
        simulator.resend(stale.request());

        Received f = received.get(0);
        assertThat(f.signature()).isNotEqualTo(SlackSimulator.sign(simulator.signingSecret(), f.timestamp(), f.body()));
        Received s = received.get(1);
        assertThat(s.signature()).isEqualTo(SlackSimulator.sign(simulator.signingSecret(), s.timestamp(), s.body()));
        assertThat(Instant.now().getEpochSecond() - Long.parseLong(s.timestamp())).isGreaterThanOrEqualTo(599);
        assertThat(received.get(2)).isEqualTo(s);
        assertThat(forged.status()).isEqualTo(204);
    }

    @Test
    void aSlashCommandIsASignedFormAsSlackSendsIt() {
        simulator.slashCommand(appUrl(), "U0OPS", "status sandbox", SlackSimulator.Signing.VALID);

        Received command = received.get(0);
        assertThat(command.path()).isEqualTo("/slack/commands");
        assertThat(command.body()).contains("command=%2Fcpr", "text=status+sandbox", "user_id=U0OPS");
        assertThat(command.signature()).isEqualTo(SlackSimulator.sign(simulator.signingSecret(), command.timestamp(),
                command.body()));
    }

    @Test
    void userGroupMembersAreListedAndAnUnknownGroupIsAnError() throws Exception {
        simulator.defineUserGroup("S0ONCALL", "U1", "U2");

        JsonNode known = api("usergroups.users.list", "usergroup=S0ONCALL");
        JsonNode unknown = api("usergroups.users.list", "usergroup=S0NOPE");

        assertThat(known.path("ok").asBoolean()).isTrue();
        assertThat(known.path("users")).extracting(JsonNode::asText).containsExactly("U1", "U2");
        assertThat(unknown.path("error").asText()).isEqualTo("no_such_subteam");
    }

    @Test
    void callsBeyondTheConfiguredRateAre429WithRetryAfter() throws Exception {
        simulator.rateLimit(2);

        int first = apiStatus("auth.test", "");
        int second = apiStatus("auth.test", "");
        HttpResponse<String> third = apiResponse("auth.test", "");

        assertThat(first).isEqualTo(200);
        assertThat(second).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void anOutageAnswers503UntilItEnds() throws Exception {
        simulator.unavailable(true);
        int during = apiStatus("chat.postMessage", "channel=%23cpr-alerts&text=x");
        simulator.unavailable(false);
        int after = apiStatus("chat.postMessage", "channel=%23cpr-alerts&text=x");

        assertThat(during).isEqualTo(503);
        assertThat(after).isEqualTo(200);
        assertThat(simulator.messages()).hasSize(1);
    }

    @Test
    void theIncomingWebhookPostsTopLevelAndAnswersOk() throws Exception {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(simulator.webhookUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"via webhook\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongPath = http.send(HttpRequest.newBuilder(URI.create(simulator.webhookUrl() + "x"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        assertThat(wrongPath.statusCode()).isEqualTo(404);
        assertThat(simulator.messages()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("via webhook");
            assertThat(m.isTopLevel()).isTrue();
        });
    }

    // ---------------------------------------------------------------- helpers

    private String appUrl() {
        return "http://127.0.0.1:" + app.getAddress().getPort();
    }

    private String postMessage(String blocks) throws Exception {
        return api("chat.postMessage", "channel=%23cpr-alerts&text=plan&blocks="
                + URLEncoder.encode(blocks, StandardCharsets.UTF_8)).path("ts").asText();
    }

    private JsonNode api(String method, String form) throws Exception {
        return JSON.readTree(apiResponse(method, form).body());
    }

    private int apiStatus(String method, String form) throws Exception {
        return apiResponse(method, form).statusCode();
    }

    private HttpResponse<String> apiResponse(String method, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.apiUrl() + method))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
