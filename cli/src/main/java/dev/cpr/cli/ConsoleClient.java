package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The console's API as the CLI calls it. Every failure becomes one {@link CliException} line with its exit code: a
 * wrong address, an unknown or expired token, a missing role, a missing thing, a service behind the console down.
 */
public final class ConsoleClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final HttpClient http;
    private final Duration timeout;

    public ConsoleClient(Target target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET().build()));
    }

    /** The console's answer to an action (its status tells 200 from 202, say). */
    public record Reply(int status, JsonNode body) {
    }

    public Reply post(String path, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpResponse<byte[]> answer = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        return new Reply(answer.statusCode(), json(answer));
    }

    /** Streams a download to {@code file}; checks the sha256 the service announced. Returns the bytes written. */
    public long download(String path, Path file) {
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request(path).header("Accept", "application/octet-stream, application/problem+json")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
        if (answer.statusCode() >= 400) {
            try (InputStream in = answer.body()) {
                throw refusal(answer.statusCode(), in.readAllBytes());
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        String expected = answer.headers().firstValue("X-Cpr-Sha256").orElse(null);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (DigestInputStream in = new DigestInputStream(answer.body(), MessageDigest.getInstance("SHA-256"))) {
            long bytes = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            String actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                Files.deleteIfExists(partial);
                throw new CliException(ExitCode.FAILED, "the download's sha256 " + actual + " is not the catalog's "
                        + expected + "; nothing was kept");
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            return bytes;
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(target.url() + path));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "'" + target.url() + "' (" + target.source()
                    + ") is not a URL: " + e.getMessage());
        }
        builder.timeout(timeout).header("Accept", "application/json");
        if (!Target.blank(target.token())) {
            builder.header("Authorization", "Bearer " + target.token());
        }
        return builder;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
        if (answer.statusCode() >= 400) {
            throw refusal(answer.statusCode(), answer.body());
        }
        return answer;
    }

    private JsonNode json(HttpResponse<byte[]> answer) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json")) {
            throw notAConsole(answer.statusCode(), type);
        }
        try {
            return answer.body().length == 0 ? JSON.nullNode() : JSON.readTree(answer.body());
        } catch (IOException e) {
            throw notAConsole(answer.statusCode(), type);
        }
    }

    private CliException refusal(int status, byte[] body) {
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (IOException e) {
            problem = null;
        }
        if (problem == null || !problem.has("status")) {
            return notAConsole(status, "no problem+json body");
        }
        String detail = problem.path("detail").asText(problem.path("title").asText(""));
        return switch (status) {
            case 401 -> new CliException(ExitCode.UNAUTHENTICATED, Target.blank(target.token())
                    ? "the console at " + target.url() + " needs a token: set CPR_TOKEN, pass --token, or use a context"
                    : "the console at " + target.url() + " refused the token (unknown or expired): " + detail);
            case 403 -> new CliException(ExitCode.FORBIDDEN, "forbidden: " + detail);
            case 404 -> new CliException(ExitCode.NOT_FOUND, "not found: " + detail);
            case 503 -> new CliException(ExitCode.SERVICE_DOWN, detail);
            default -> new CliException(ExitCode.FAILED, problem.path("title").asText("refused") + " (" + status + "): "
                    + detail);
        };
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
                : e instanceof ConnectException ? "connection refused"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new CliException(ExitCode.UNREACHABLE, "cannot reach the console at " + target.url() + " (from "
                + target.source() + "): " + why);
    }

    private CliException notAConsole(int status, String what) {
        return new CliException(ExitCode.UNREACHABLE, target.url() + " (from " + target.source()
                + ") does not answer like a cpr console (HTTP " + status + ", " + what + "): wrong address?");
    }
}
