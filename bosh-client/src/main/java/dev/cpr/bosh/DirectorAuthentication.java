package dev.cpr.bosh;

import static dev.cpr.bosh.DirectorAnswers.abbreviate;
import static dev.cpr.bosh.DirectorAnswers.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code Authorization} header the director expects, decided once from {@code GET /info}: basic auth, or a
 * UAA client-credentials token ({@code POST <uaa>/oauth/token}) cached until shortly before it expires.
 * Thread-safe.
 */
final class DirectorAuthentication {

    private final BoshDirectorConfig config;
    private final Clock clock;
    private final DirectorTransport transport;
    private final Supplier<BoshInfo> info;
    private final Object lock = new Object();

    // guarded by lock
    private BoshInfo.UserAuthentication authentication;
    private Token token;
    private int tokensFetched;

    private record Token(String header, Instant expiresAt) {
    }

    /** @param info reads {@code GET /info}, asked once, at the first authorized call */
    DirectorAuthentication(BoshDirectorConfig config, Clock clock, DirectorTransport transport,
            Supplier<BoshInfo> info) {
        this.config = config;
        this.clock = clock;
        this.transport = transport;
        this.info = info;
    }

    boolean isUaa() {
        return authentication().isUaa();
    }

    /** @param renew fetch a new UAA token even if the cached one has not expired (the director answered 401) */
    String header(boolean renew) {
        BoshInfo.UserAuthentication auth = authentication();
        if (!auth.isUaa()) {
            return basic(config.client(), config.clientSecret());
        }
        synchronized (lock) {
            if (renew || token == null || !clock.instant().isBefore(token.expiresAt())) {
                token = fetchToken(auth.uaaUrl());
            }
            return token.header();
        }
    }

    int tokensFetched() {
        synchronized (lock) {
            return tokensFetched;
        }
    }

    private BoshInfo.UserAuthentication authentication() {
        synchronized (lock) {
            if (authentication == null) {
                BoshInfo.UserAuthentication fromInfo = info.get().userAuthentication();
                authentication = fromInfo != null ? fromInfo : new BoshInfo.UserAuthentication("basic", Map.of());
                if (authentication.isUaa() && authentication.uaaUrl() == null) {
                    throw new BoshException("the director at " + config.base()
                            + " says it uses UAA but /info names no UAA url");
                }
            }
            return authentication;
        }
    }

    private Token fetchToken(String uaaUrl) {
        String base = uaaUrl.endsWith("/") ? uaaUrl.substring(0, uaaUrl.length() - 1) : uaaUrl;
        String call = "POST " + base + "/oauth/token";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .timeout(config.requestTimeout())
                .header("Authorization", basic(config.client(), config.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        Instant now = clock.instant();
        HttpResponse<String> response = transport.send(call, request);
        if (response.statusCode() != 200) {
            throw new BoshAuthenticationException("UAA at " + base + " refused client '" + config.client() + "': HTTP "
                    + response.statusCode() + " " + abbreviate(response.body()), response.statusCode());
        }
        JsonNode body = read(call, response.body(), JsonNode.class);
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null || accessToken.isBlank()) {
            throw new BoshAuthenticationException("UAA at " + base + " answered without an access_token", 200);
        }
        long expiresIn = body.path("expires_in").asLong(0);
        // renew a little early, so a token never expires between the check and the director reading it
        long margin = Math.min(60, expiresIn / 10);
        String type = body.path("token_type").asText("bearer");
        tokensFetched++;
        return new Token(type + " " + accessToken, now.plusSeconds(Math.max(0, expiresIn - margin)));
    }

    private static String basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
