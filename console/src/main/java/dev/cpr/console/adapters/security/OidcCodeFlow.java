package dev.cpr.console.adapters.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.console.adapters.ConsoleConfig;
import dev.cpr.platform.security.AuthConfig;
import dev.cpr.platform.security.oidc.OidcDiscovery;
import dev.cpr.platform.security.oidc.OidcProvider;
import dev.cpr.platform.security.oidc.OidcUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A person's login through the OIDC provider: the authorization code flow with PKCE (RFC 7636). The console sends the
 * browser to the provider with a fresh {@code state} and code challenge, and on its way back trades the code for an
 * access token at the provider's token endpoint. That access token is what the console then keeps in its login cookie
 * and passes on to the services, which check it themselves ({@code cpr.auth.oidc}): the console gains no power of
 * its own from a login.
 */
@ApplicationScoped
public class OidcCodeFlow {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the console must remember between sending the browser away and its return. */
    public record Attempt(String state, String verifier, URI authorizeUrl) {
    }

    private final Optional<URI> issuer;
    private final ConsoleConfig.Oidc client;
    private final OidcDiscovery discovery;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile OidcProvider provider;

    public OidcCodeFlow(AuthConfig auth, ConsoleConfig config, ObjectMapper json) {
        this.issuer = auth.oidc().issuer();
        this.client = config.oidc();
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.discovery = new OidcDiscovery(http);
        this.json = json;
    }

    /** Both the provider and the console's client are configured. */
    public boolean enabled() {
        return issuer.isPresent() && client.clientId().isPresent();
    }

    /** The address the provider sends the browser back to, given the console's address as the browser used it. */
    public URI redirectUri(URI requestBase) {
        String base = client.publicUrl().map(URI::toString).orElse(requestBase.toString());
        return URI.create((base.endsWith("/") ? base : base + "/") + "login/oidc/callback");
    }

    /** @throws OidcUnavailableException when the provider cannot be asked where its login page is */
    public Attempt begin(URI redirectUri) {
        String state = randomText();
        String verifier = randomText();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId().orElseThrow());
        query.put("redirect_uri", redirectUri.toString());
        query.put("scope", "openid");
        query.put("state", state);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        return new Attempt(state, verifier, URI.create(provider().authorizationEndpoint() + "?" + form(query)));
    }

    /**
     * Trades the code the provider gave the browser for an access token.
     *
     * @throws OidcUnavailableException when the provider refuses the code or does not answer, saying which
     */
    public String accessToken(String code, URI redirectUri, String verifier) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("code", code);
        fields.put("redirect_uri", redirectUri.toString());
        fields.put("client_id", client.clientId().orElseThrow());
        fields.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(provider().tokenEndpoint()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        client.clientSecret().ifPresent(secret -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((encode(client.clientId().orElseThrow()) + ":" + encode(secret))
                        .getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OidcUnavailableException("the OIDC provider's token endpoint did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcUnavailableException("interrupted while asking the OIDC provider for a token", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
            // RFC 6749 5.2: error and error_description say why (an expired or reused code, a wrong secret)
            throw new OidcUnavailableException("the OIDC provider refused the login (" + response.statusCode() + " "
                    + body.path("error").asText("no error code") + ": " + body.path("error_description").asText("") + ")");
        }
        return body.get("access_token").asText();
    }

    private OidcProvider provider() {
        OidcProvider known = provider;
        if (known == null) {
            known = discovery.discover(issuer.orElseThrow());
            provider = known;
        }
        return known;
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String randomText() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
