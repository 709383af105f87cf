package dev.cpr.bosh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.cpr.kernel.Sleeper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A client of the BOSH director's public API, talking to it the way bosh-cli does.
 *
 * <ul>
 *   <li>Authentication as {@code GET /info} says: UAA client credentials ({@code POST <uaa>/oauth/token}, the
 *       token cached until shortly before it expires, fetched again once when the director answers 401, then a
 *       {@link BoshAuthenticationException}), or basic auth.</li>
 *   <li>Automatic redirects are off: an asynchronous call answers 302 to {@code /tasks/<id>} (the
 *       {@code Location} may be absolute; only its path is used) and the task is then polled with
 *       {@code GET /tasks/<id>} every {@link BoshDirectorConfig#taskPollInterval()}.</li>
 *   <li>Director errors ({@code {"code","description"}}, or a plain-text body) become
 *       {@link BoshDirectorException}; no answer in time becomes {@link BoshTimeoutException}; no connection
 *       {@link BoshUnreachableException}; a failed task {@link BoshTaskFailedException}.</li>
 * </ul>
 * Each action has a {@code submit...} form that returns the task id at once (for callers that record it before
 * waiting, so they can resume) and a form that waits for the task and returns it finished.
 * Thread-safe.
 */
public final class BoshDirectorClient {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Pattern TASK_PATH = Pattern.compile("/tasks/(\\d+)/?");

    private final BoshDirectorConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HttpClient http;
    private final Object authLock = new Object();

    // guarded by authLock
    private BoshInfo.UserAuthentication authentication;
    private Token token;
    private int tokensFetched;

    private record Token(String header, Instant expiresAt) {
    }

    public BoshDirectorClient(BoshDirectorConfig config) {
        this(config, Clock.systemUTC(), Sleeper.REAL);
    }

    /** @param clock decides token expiry and task timeouts; @param sleeper waits between task polls */
    public BoshDirectorClient(BoshDirectorConfig config, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout());
        if (config.caCert() != null) {
            builder.sslContext(Tls.trusting(config.caCert()));
        }
        this.http = builder.build();
    }

    public BoshDirectorConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- reading state

    /** {@code GET /info} (no authentication). */
    public BoshInfo info() {
        HttpResponse<String> response = send("GET /info", request("GET", "/info", null, null, null).build());
        expect("GET /info", response, 200);
        return read("GET /info", response.body(), BoshInfo.class);
    }

    /** {@code GET /deployments}. */
    public List<BoshDeployment> deployments() {
        String call = "GET /deployments";
        HttpResponse<String> response = call("GET", "/deployments", null, null, Map.of());
        expect(call, response, 200);
        return read(call, response.body(), new TypeReference<List<BoshDeployment>>() { });
    }

    /**
     * {@code GET /deployments/<d>/instances?format=full}: every instance with its VM's state, through the
     * {@code retrieve vm-stats} task the director redirects to.
     */
    public List<BoshInstance> instances(String deployment) {
        return fullListing("/deployments/" + segment(deployment) + "/instances?format=full");
    }

    /** {@code GET /deployments/<d>/vms?format=full}: like {@link #instances}, only the instances that have a VM. */
    public List<BoshInstance> vms(String deployment) {
        return fullListing("/deployments/" + segment(deployment) + "/vms?format=full");
    }

    private List<BoshInstance> fullListing(String path) {
        long task = startTask("GET", path, null, null);
        awaitTask(task);
        return parseInstances(taskResult(task));
    }

    /** Parses newline-delimited JSON instances (a {@code vm-stats} task's result output). */
    public static List<BoshInstance> parseInstances(String ndjson) {
        List<BoshInstance> instances = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                instances.add(read("instances result", line, BoshInstance.class));
            }
        }
        return instances;
    }

    // ---------------------------------------------------------------- acting on instances

    /**
     * Converging instance action, waits for its task:
     * {@code PUT /deployments/<d>/jobs/<group>/<id>?state=...} with {@code Content-Type: text/yaml}, empty body.
     */
    public BoshTask changeInstanceState(String deployment, String group, String idOrIndex, InstanceState state) {
        return awaitTask(submitChangeInstanceState(deployment, group, idOrIndex, state, false));
    }

    /** @return the task id; {@code skipDrain} adds {@code &skip_drain=true} */
    public long submitChangeInstanceState(String deployment, String group, String idOrIndex, InstanceState state,
            boolean skipDrain) {
        String path = "/deployments/" + segment(deployment) + "/jobs/" + segment(group) + "/" + segment(idOrIndex)
                + "?state=" + state.wire() + (skipDrain ? "&skip_drain=true" : "");
        return startTask("PUT", path, "text/yaml", "");
    }

    /**
     * Non-converging action, waits for its task:
     * {@code POST /deployments/<d>/instance_groups/<group>/<id>/actions/<action>[?ignore_unresponsive_agent=true]}.
     */
    public BoshTask instanceAction(String deployment, String group, String id, InstanceAction action,
            boolean ignoreUnresponsiveAgent) {
        return awaitTask(submitInstanceAction(deployment, group, id, action, ignoreUnresponsiveAgent));
    }

    public long submitInstanceAction(String deployment, String group, String id, InstanceAction action,
            boolean ignoreUnresponsiveAgent) {
        String path = "/deployments/" + segment(deployment) + "/instance_groups/" + segment(group) + "/" + segment(id)
                + "/actions/" + action.wire() + (ignoreUnresponsiveAgent ? "?ignore_unresponsive_agent=true" : "");
        return startTask("POST", path, "application/json", "");
    }

    /** {@code DELETE /vms/<cid>}, waits for its task. */
    public BoshTask deleteVm(String vmCid) {
        return awaitTask(submitDeleteVm(vmCid));
    }

    public long submitDeleteVm(String vmCid) {
        return startTask("DELETE", "/vms/" + segment(vmCid), null, null);
    }

    // ---------------------------------------------------------------- cloud check

    /** {@code POST /deployments/<d>/scans}, waits for the scan task ({@code "scan complete"}). */
    public BoshTask scan(String deployment) {
        return awaitTask(submitScan(deployment));
    }

    public long submitScan(String deployment) {
        return startTask("POST", "/deployments/" + segment(deployment) + "/scans", "application/json", "");
    }

    /** {@code GET /deployments/<d>/problems}: what the last scan found and is still unresolved. */
    public List<BoshProblem> problems(String deployment) {
        String path = "/deployments/" + segment(deployment) + "/problems";
        HttpResponse<String> response = call("GET", path, null, null, Map.of());
        expect("GET " + path, response, 200);
        return read("GET " + path, response.body(), new TypeReference<List<BoshProblem>>() { });
    }

    /**
     * {@code PUT /deployments/<d>/problems} {@code {"resolutions":{"4":"recreate_vm"}}}, waits for the task
     * ({@code "1 resolved"}).
     */
    public BoshTask resolveProblems(String deployment, Map<Integer, String> resolutions) {
        return awaitTask(submitResolveProblems(deployment, resolutions));
    }

    public long submitResolveProblems(String deployment, Map<Integer, String> resolutions) {
        Map<String, String> byId = new LinkedHashMap<>();
        resolutions.forEach((id, resolution) -> byId.put(Integer.toString(id), resolution));
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("resolutions", byId));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode resolutions " + resolutions, e);
        }
        return startTask("PUT", "/deployments/" + segment(deployment) + "/problems", "application/json", body);
    }

    // ---------------------------------------------------------------- tasks

    /** {@code GET /tasks/<id>}. */
    public BoshTask task(long id) {
        String path = "/tasks/" + id;
        HttpResponse<String> response = call("GET", path, null, null, Map.of());
        expect("GET " + path, response, 200);
        return read("GET " + path, response.body(), BoshTask.class);
    }

    /**
     * Polls {@code GET /tasks/<id>} until the task finishes: {@code queued}/{@code processing}/{@code cancelling}
     * keep waiting, {@code done} returns it.
     *
     * @throws BoshTaskFailedException on {@code error}, {@code cancelled} or {@code timeout}
     * @throws BoshTimeoutException    when it runs longer than {@link BoshDirectorConfig#taskTimeout()}
     */
    public BoshTask awaitTask(long id) {
        Instant deadline = clock.instant().plus(config.taskTimeout());
        while (true) {
            BoshTask task = task(id);
            if (task.isSucceeded()) {
                return task;
            }
            if (task.isFailed()) {
                throw new BoshTaskFailedException(task);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new BoshTimeoutException("BOSH task " + id + " '" + task.description() + "' still " + task.state()
                        + " after " + config.taskTimeout(), null);
            }
            try {
                sleeper.sleep(config.taskPollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoshException("interrupted while waiting for BOSH task " + id, e);
            }
        }
    }

    /** {@code GET /tasks/<id>/output?type=result}: the task's result output (newline-delimited JSON for listings). */
    public String taskResult(long id) {
        String path = "/tasks/" + id + "/output?type=result";
        HttpResponse<String> response = call("GET", path, null, null, Map.of());
        expect("GET " + path, response, 200);
        return response.body();
    }

    /**
     * {@code GET /tasks/<id>/output?type=event} from byte {@code offset} on ({@code Range: bytes=N-}): 206 gives
     * what is new, 416 means nothing is.
     */
    public TaskEvents taskEvents(long id, long offset) {
        String path = "/tasks/" + id + "/output?type=event";
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<String> response = call("GET", path, null, null, headers);
        int status = response.statusCode();
        if (status == 416) {
            return new TaskEvents(id, "", offset);
        }
        if (status != 200 && status != 206) {
            throw error("GET " + path, response);
        }
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        if (status == 200 && offset > 0) {
            // the director ignored the range: skip what we already have
            int from = (int) Math.min(offset, bytes.length);
            String rest = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            return new TaskEvents(id, rest, bytes.length);
        }
        return new TaskEvents(id, response.body(), (status == 206 ? offset : 0) + bytes.length);
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

    // ---------------------------------------------------------------- HTTP plumbing

    /** Sends an authenticated request that should start a task; returns the task id from the redirect. */
    private long startTask(String method, String path, String contentType, String body) {
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

    /** An authenticated call: fetches a new UAA token once if the director answers 401. */
    private HttpResponse<String> call(String method, String path, String contentType, String body,
            Map<String, String> headers) {
        String call = method + " " + path;
        HttpResponse<String> response = send(call, authorized(request(method, path, contentType, body, headers), false));
        if (response.statusCode() == 401 && authentication().isUaa()) {
            response = send(call, authorized(request(method, path, contentType, body, headers), true));
            if (response.statusCode() == 401) {
                throw unauthorized(call, response, true);
            }
        } else if (response.statusCode() == 401) {
            throw unauthorized(call, response, false);
        }
        return response;
    }

    private HttpRequest.Builder request(String method, String path, String contentType, String body,
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

    private HttpRequest authorized(HttpRequest.Builder builder, boolean renew) {
        return builder.header("Authorization", authorizationHeader(renew)).build();
    }

    private String authorizationHeader(boolean renew) {
        BoshInfo.UserAuthentication auth = authentication();
        if (!auth.isUaa()) {
            return basic(config.client(), config.clientSecret());
        }
        synchronized (authLock) {
            if (renew || token == null || !clock.instant().isBefore(token.expiresAt())) {
                token = fetchToken(auth.uaaUrl());
            }
            return token.header();
        }
    }

    private BoshInfo.UserAuthentication authentication() {
        synchronized (authLock) {
            if (authentication == null) {
                BoshInfo.UserAuthentication fromInfo = info().userAuthentication();
                authentication = fromInfo != null ? fromInfo : new BoshInfo.UserAuthentication("basic", Map.of());
                if (authentication.isUaa() && authentication.uaaUrl() == null) {
                    throw new BoshException("the director at " + config.base()
                            + " says it uses UAA but /info names no UAA url");
                }
            }
            return authentication;
        }
    }

    /** How many UAA tokens this client has fetched (a renewal after a 401 counts). */
    public int tokensFetched() {
        synchronized (authLock) {
            return tokensFetched;
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
        HttpResponse<String> response = send(call, request);
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
        long margin = Math.min(60, expiresIn / 10);
        String type = body.path("token_type").asText("bearer");
        tokensFetched++;
        return new Token(type + " " + accessToken, now.plusSeconds(Math.max(0, expiresIn - margin)));
    }

    private HttpResponse<String> send(String call, HttpRequest request) {
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

    private static void expect(String call, HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw error(call, response);
        }
    }

    private static BoshDirectorException error(String call, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject() && node.has("code")) {
                return new BoshDirectorException(call, response.statusCode(), node.get("code").asInt(),
                        node.path("description").asText(""));
            }
        } catch (IOException notJson) {
            // a plain-text error, e.g. "Endpoint '/x' not found."
        }
        return new BoshDirectorException(call, response.statusCode(), null, abbreviate(body.trim()));
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

    private static <T> T read(String call, String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BoshException(call + " answered something that is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " in " + abbreviate(body), e);
        }
    }

    private static <T> T read(String call, String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BoshException(call + " answered unexpected JSON: " + e.getOriginalMessage() + " in "
                    + abbreviate(body), e);
        }
    }

    private static String basic(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    /** The poll interval as configured, for callers that poll alongside. */
    public Duration taskPollInterval() {
        return config.taskPollInterval();
    }
}
