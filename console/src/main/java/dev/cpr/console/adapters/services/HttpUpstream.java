package dev.cpr.console.adapters.services;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.console.adapters.ConsoleConfig;
import dev.cpr.console.app.ServiceDownException;
import dev.cpr.console.app.Upstream;
import dev.cpr.console.app.UpstreamRefusedException;
import dev.cpr.console.domain.Service;
import dev.cpr.console.domain.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** {@link Upstream} over HTTP with the JDK's client: one short timeout for every call, the caller's token passed on. */
@ApplicationScoped
public class HttpUpstream implements Upstream {

    private final Map<Service, String> urls = new EnumMap<>(Service.class);
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public HttpUpstream(ConsoleConfig config, ObjectMapper json) {
        urls.put(Service.HEALTH_MONITOR, trim(config.healthMonitorUrl()));
        urls.put(Service.BACKUP_SERVICE, trim(config.backupServiceUrl()));
        urls.put(Service.RESTORE_SERVICE, trim(config.restoreServiceUrl()));
        urls.put(Service.NOTIFIER, trim(config.notifierUrl()));
        this.timeout = config.callTimeout();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public ServiceStatus probe(Service service) {
        String url = urls.get(service);
        try {
            HttpResponse<String> answer = http.send(request(service, "/q/health/ready", null).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return new ServiceStatus(service.id(), url, true, "ready");
            }
            return new ServiceStatus(service.id(), url, false, "not ready (" + answer.statusCode() + ")");
        } catch (IOException e) {
            return new ServiceStatus(service.id(), url, false, reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceStatus(service.id(), url, false, "interrupted");
        }
    }

    @Override
    public <T> T get(Service service, String pathAndQuery, String token, TypeReference<T> type) {
        HttpResponse<byte[]> answer = send(service, request(service, pathAndQuery, token).GET().build());
        refuseErrors(service, answer);
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException(service.id() + " answered " + pathAndQuery + " with JSON the console cannot "
                    + "read: " + e.getMessage(), e);
        }
    }

    @Override
    public Reply post(Service service, String path, String token, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
        }
        HttpResponse<byte[]> answer = send(service, request(service, path, token)
                .header("Content-Type", "application/json").POST(publisher).build());
        refuseErrors(service, answer);
        return new Reply(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
                answer.body());
    }

    @Override
    public Download download(Service service, String path, String token) {
        // a snapshot, or a problem if refused: backup-service answers an Accept of JSON alone with 406
        HttpRequest request = request(service, path, token)
                .setHeader("Accept", "application/octet-stream, application/problem+json").GET().build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ServiceDownException(service, urls.get(service), reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceDownException(service, urls.get(service), "interrupted");
        }
        if (answer.statusCode() >= 400) {
            try (InputStream in = answer.body()) {
                throw new UpstreamRefusedException(service, answer.statusCode(),
                        answer.headers().firstValue("Content-Type").orElse("application/problem+json"), in.readAllBytes());
            } catch (IOException e) {
                throw new ServiceDownException(service, urls.get(service), reason(e));
            }
        }
        return new Download(answer.body(), answer.headers().firstValue("Content-Disposition").orElse(null),
                answer.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst().orElse(null),
                answer.headers().firstValue("X-Cpr-Sha256").orElse(null));
    }

    private HttpRequest.Builder request(Service service, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(urls.get(service) + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<byte[]> send(Service service, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServiceDownException(service, urls.get(service), reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceDownException(service, urls.get(service), "interrupted");
        }
    }

    private static void refuseErrors(Service service, HttpResponse<byte[]> answer) {
        if (answer.statusCode() >= 400) {
            throw new UpstreamRefusedException(service, answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse("application/problem+json"), answer.body());
        }
    }

    private String reason(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
