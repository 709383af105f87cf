package dev.cpr.bosh;

import static dev.cpr.bosh.DirectorAnswers.JSON;
import static dev.cpr.bosh.DirectorAnswers.error;
import static dev.cpr.bosh.DirectorAnswers.expect;
import static dev.cpr.bosh.DirectorAnswers.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.kernel.Sleeper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * The HTTP plumbing lives beside it: {@link DirectorTransport} sends, {@link DirectorAuthentication} authorizes,
 * {@link DirectorCalls} retries a 401 and reads task redirects, {@link DirectorAnswers} reads bodies and errors.
 * Thread-safe.
 */
public final class BoshDirectorClient {

    private final BoshDirectorConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DirectorTransport transport;
    private final DirectorAuthentication authentication;
    private final DirectorCalls calls;

    public BoshDirectorClient(BoshDirectorConfig config) {
        this(config, Clock.systemUTC(), Sleeper.REAL);
    }

    /** @param clock decides token expiry and task timeouts; @param sleeper waits between task polls */
    public BoshDirectorClient(BoshDirectorConfig config, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.transport = new DirectorTransport(config);
        this.authentication = new DirectorAuthentication(config, clock, transport, this::info);
        this.calls = new DirectorCalls(config, transport, authentication);
    }

    public BoshDirectorConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- reading state

    /** {@code GET /info} (no authentication). */
    public BoshInfo info() {
        HttpResponse<String> response = transport.send("GET /info",
                transport.request("GET", "/info", null, null, null).build());
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

    // ---------------------------------------------------------------- plumbing

    /** How many UAA tokens this client has fetched (a renewal after a 401 counts). */
    public int tokensFetched() {
        return authentication.tokensFetched();
    }

    private HttpResponse<String> call(String method, String path, String contentType, String body,
            Map<String, String> headers) {
        return calls.call(method, path, contentType, body, headers);
    }

    private long startTask(String method, String path, String contentType, String body) {
        return calls.startTask(method, path, contentType, body);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The poll interval as configured, for callers that poll alongside. */
    public Duration taskPollInterval() {
        return config.taskPollInterval();
    }
}
