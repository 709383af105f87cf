package dev.cpr.sandbox.simhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cpr.sandbox.simhttp.SimHttp.BasicCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimHttpTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void startServerThatEchoesTheCredentials() throws Exception {
        server = SimHttp.loopbackServer(0, 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                BasicCredentials basic = SimHttp.basicCredentials(exchange);
                String body = "bearer=" + SimHttp.bearerToken(exchange)
                        + " basic=" + (basic == null ? null : basic.user() + ":" + basic.secret())
                        + " query=" + SimHttp.query(exchange);
                SimHttp.sendText(exchange, 200, SimHttp.TEXT, body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void formsAreDecodedInOrderAndAKeyWithoutValueIsEmpty() {
        Map<String, String> form = SimHttp.form("b=2&a=x%20y&flag&&c=%2F");

        assertThat(form).containsExactly(Map.entry("b", "2"), Map.entry("a", "x y"), Map.entry("flag", ""),
                Map.entry("c", "/"));
    }

    @Test
    void aBearerTokenIsReadWhateverTheCaseOfItsScheme() throws Exception {
        assertThat(get("/x?state=recreate&fix=true", "bEaReR  tok-1"))
                .isEqualTo("bearer=tok-1 basic=null query={state=recreate, fix=true}");
    }

    @Test
    void basicCredentialsAreSplitAtTheFirstColon() throws Exception {
        String header = "Basic " + Base64.getEncoder().encodeToString("ops:se:cret".getBytes(StandardCharsets.UTF_8));

        assertThat(get("/", header)).isEqualTo("bearer=null basic=ops:se:cret query={}");
    }

    @Test
    void basicCredentialsThatDoNotDecodeAreNone() throws Exception {
        assertThat(get("/", "Basic !!not-base64!!")).isEqualTo("bearer=null basic=null query={}");
    }

    private String get(String path, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .header("Authorization", authorization).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(SimHttp.TEXT);
        return response.body();
    }
}
