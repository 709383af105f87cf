package dev.cpr.bosh;

import static dev.cpr.bosh.DirectorAnswers.abbreviate;
import static dev.cpr.bosh.DirectorAnswers.error;
import static dev.cpr.bosh.DirectorAnswers.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticated calls to the director: a 401 fetches a new UAA token once and tries again, a second 401 is a
 * {@link BoshAuthenticationException}; a call that starts a task returns the task id its redirect points at.
 */
final class DirectorCalls {

    private static final Pattern TASK_PATH = Pattern.compile("/tasks/(\\d+)/?");

    private final BoshDirectorConfig config;
    private final DirectorTransport transport;
    private final DirectorAuthentication authentication;

    DirectorCalls(BoshDirectorConfig config, DirectorTransport transport, DirectorAuthentication authentication) {
        this.config = config;
        this.transport = transport;
        this.authentication = authentication;
    }

    HttpResponse<String> call(String method, String path, String contentType, String body,
            Map<String, String> headers) {
        String call = method + " " + path;
        HttpResponse<String> response = send(call, method, path, contentType, body, headers, false);
        if (response.statusCode() == 401 && authentication.isUaa()) {
            response = send(call, method, path, contentType, body, headers, true);
            if (response.statusCode() == 401) {
                throw unauthorized(call, response, true);
            }
        } else if (response.statusCode() == 401) {
            throw unauthorized(call, response, false);
        }
        return response;
    }

    /** Sends a call that should start a task; returns the task id from the redirect. */
    long startTask(String method, String path, String contentType, String body) {
        String call = method + " " + path;
        HttpResponse<String> response = call(method, path, contentType, body, Map.of());
        int status = response.statusCode();
        if (status == 302 || status == 301 || status == 303 || status == 307) {
            return taskIdFromLocation(call, response.headers().firstValue("Location").orElse(null));
        }
        if (status >= 200 && status < 300) {
            JsonNode node = read(call, response.body(), JsonNode.class);
            if (node.hasNonNull("id") && node.hasNonNull("state")) {
                return node.get("id").asLong(); // some endpoints answer the task itself
            }
            throw new BoshException(call + " answered " + status + " without a task: " + abbreviate(response.body()));
        }
        throw error(call, response);
    }

    /** The task id a redirect points at: {@code /tasks/42}, {@code https://director:25555/tasks/42}. */
    static long taskIdFromLocation(String call, String location) {
        if (location == null || location.isBlank()) {
            throw new BoshException(call + " answered a redirect without a Location header");
        }
        String path;
        try {
            path = URI.create(location.trim()).getPath();
        } catch (IllegalArgumentException e) {
            throw new BoshException(call + " redirected to an unparsable Location '" + location + "'", e);
        }
        Matcher matcher = path == null ? null : TASK_PATH.matcher(path);
        if (matcher == null || !matcher.matches()) {
            throw new BoshException(call + " redirected to '" + location + "', which is not a task");
        }
        return Long.parseLong(matcher.group(1));
    }

    private HttpResponse<String> send(String call, String method, String path, String contentType, String body,
            Map<String, String> headers, boolean renewToken) {
        return transport.send(call, transport.request(method, path, contentType, body, headers)
                .header("Authorization", authentication.header(renewToken))
                .build());
    }

    private BoshException unauthorized(String call, HttpResponse<String> response, boolean renewed) {
        BoshDirectorException error = error(call, response);
        if (error.code() != null) {
            return error; // e.g. 600000: authenticated but not authorized for the deployment
        }
        return new BoshAuthenticationException(call + ": the director at " + config.base() + " answered 401"
                + (renewed ? " even with a freshly fetched UAA token for client '" + config.client() + "'"
                        : " to user '" + config.client() + "' (basic auth)")
                + ": " + abbreviate(response.body()), 401);
    }
}
