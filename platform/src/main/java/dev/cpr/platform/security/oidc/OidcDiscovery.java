package dev.cpr.platform.security.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Reads an OIDC provider's discovery document (OpenID Connect Discovery 1.0). The document must name the issuer it was
 * fetched for: a provider that answers for another issuer is refused, as the specification requires, since its
 * tokens would never pass the issuer check anyway and the mismatch is a configuration error to say plainly.
 */
public final class OidcDiscovery {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;

    public OidcDiscovery(HttpClient http) {
        this.http = http;
    }

    /** @throws OidcUnavailableException naming the issuer and what went wrong */
    public OidcProvider discover(URI issuer) {
        URI document = URI.create(withoutTrailingSlash(issuer.toString()) + "/.well-known/openid-configuration");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(document).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OidcUnavailableException("the OIDC provider " + issuer + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcUnavailableException("interrupted while asking the OIDC provider " + issuer, e);
        }
        if (response.statusCode() != 200) {
            throw new OidcUnavailableException(document + " answered " + response.statusCode());
        }
        Map<String, Object> fields;
        try {
            fields = JsonUtil.parseJson(response.body());
        } catch (JoseException e) {
            throw new OidcUnavailableException(document + " is not JSON: " + e.getMessage(), e);
        }
        String published = text(fields, "issuer", document);
        if (!withoutTrailingSlash(published).equals(withoutTrailingSlash(issuer.toString()))) {
            throw new OidcUnavailableException(document + " names the issuer " + published + ", not " + issuer
                    + " (cpr.auth.oidc.issuer must be exactly the provider's issuer)");
        }
        return new OidcProvider(issuer, URI.create(text(fields, "authorization_endpoint", document)),
                URI.create(text(fields, "token_endpoint", document)), URI.create(text(fields, "jwks_uri", document)));
    }

    private static String text(Map<String, Object> fields, String name, URI document) {
        Object value = fields.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new OidcUnavailableException(document + " has no '" + name + "'");
        }
        return text;
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
