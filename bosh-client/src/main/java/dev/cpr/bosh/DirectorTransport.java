package dev.cpr.bosh;

import static dev.cpr.bosh.DirectorAnswers.describe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Sends one HTTP request to the director (or its UAA) and names what went wrong on the way: no connection in time
 * becomes {@link BoshTimeoutException}, no connection at all or a TLS failure {@link BoshUnreachableException}.
 * Redirects are not followed, because an asynchronous call's 302 carries the task id.
 */
final class DirectorTransport {

    private final BoshDirectorConfig config;
    private final HttpClient http;

    DirectorTransport(BoshDirectorConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout());
        if (config.caCert() != null) {
            builder.sslContext(Tls.trusting(config.caCert()));
        }
        this.http = builder.build();
    }

    /** A request to the director's {@code path}, not yet authorized. */
    HttpRequest.Builder request(String method, String path, String contentType, String body,
            Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.base() + path))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json");
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (headers != null) {
            headers.forEach(builder::header);
        }
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String call, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new BoshTimeoutException(call + " to " + config.base() + ": no connection within "
                    + config.connectTimeout(), e);
        } catch (HttpTimeoutException e) {
            throw new BoshTimeoutException(call + " to " + config.base() + ": no answer within "
                    + config.requestTimeout(), e);
        } catch (ConnectException e) {
            throw new BoshUnreachableException(call + ": cannot connect to " + request.uri().getScheme() + "://"
                    + request.uri().getRawAuthority() + " (" + describe(e) + ")", e);
        } catch (SSLException e) {
            throw new BoshUnreachableException(call + ": TLS with " + config.base() + " failed (" + describe(e)
                    + "); is the director's CA certificate configured?", e);
        } catch (IOException e) {
            throw new BoshUnreachableException(call + " to " + config.base() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoshException(call + " interrupted", e);
        }
    }
}
