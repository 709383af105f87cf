package dev.cpr.sandbox.bbr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few director calls bbr makes: {@code /info}, a UAA client-credentials token (or basic auth), and the
 * deployment's VMs with their SSH access ({@code /_sim/deployments/<d>/ssh} on the simulator).
 */
final class DirectorApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final String username;
    private final String password;
    private final HttpClient http;
    private String authorization;

    DirectorApi(String target, String username, String password, Path caCert) throws BbrException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.username = username;
        this.password = password;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
        if (caCert != null) {
            builder.sslContext(trusting(caCert));
        }
        this.http = builder.build();
    }

    JsonNode get(String path) throws BbrException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(target + path))
                .header("Authorization", authorization()).GET());
        if (response.statusCode() != 200) {
            JsonNode error = parse(response.body());
            String description = error != null && error.has("description") ? error.get("description").asText()
                    : response.body().trim();
            throw new BbrException(Outcome.GENERAL, "Director responded with non-successful status code '"
                    + response.statusCode() + "' response '" + description + "'");
        }
        JsonNode body = parse(response.body());
        if (body == null) {
            throw new BbrException(Outcome.GENERAL, "director answered " + path + " with something that is not JSON");
        }
        return body;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String authorization() throws BbrException {
        if (authorization != null) {
            return authorization;
        }
        HttpResponse<String> info = send(HttpRequest.newBuilder(URI.create(target + "/info")).GET());
        JsonNode auth = parse(info.body());
        auth = auth == null ? null : auth.path("user_authentication");
        String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        if (auth != null && "uaa".equals(auth.path("type").asText())) {
            String uaa = auth.path("options").path("url").asText();
            HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(uaa + "/oauth/token"))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
            JsonNode body = parse(token.body());
            if (token.statusCode() != 200 || body == null || !body.hasNonNull("access_token")) {
                throw new BbrException(Outcome.GENERAL, "Error authenticating with the director's UAA at " + uaa
                        + " as client '" + username + "': " + token.statusCode() + " " + token.body().trim());
            }
            authorization = "bearer " + body.get("access_token").asText();
        } else {
            authorization = basic;
        }
        return authorization;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws BbrException {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "Director at " + target + " is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BbrException(Outcome.GENERAL, "interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static SSLContext trusting(Path pem) throws BbrException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new BbrException(Outcome.GENERAL, "cannot use --ca-cert " + pem + ": " + e.getMessage(), e);
        }
    }
}
