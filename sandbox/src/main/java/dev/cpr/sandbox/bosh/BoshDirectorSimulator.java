package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A <b>simulator</b> of the BOSH director's public API shapes (cloudfoundry/bosh, as bosh-cli talks to it), over
 * plain HTTP on a free loopback port: not a BOSH director, and only the subset cpr uses (see
 * {@code shared/reference/bosh-director-api.md}). It is backed by the sandbox's <b>real</b> etcd members: the
 * deployment (e.g. {@code service-instance_<uuid>}) has one {@code master/<uuid>} instance per member (index i is
 * member i, index 0 the bootstrap) and one {@code worker} that is always running.
 *
 * <p>Endpoints: {@code GET /info} (no auth); UAA {@code POST /uaa/oauth/token} (client credentials, Basic
 * client:secret) with bearer tokens, or basic auth; {@code GET /deployments};
 * {@code GET /deployments/<d>/instances|vms[?format=full]} (full: 302 to a {@code retrieve vm-stats} task whose
 * result is NDJSON); {@code PUT /deployments/<d>/jobs/<group>/<id>?state=recreate|restart|stopped|started|detached};
 * {@code POST /deployments/<d>/instance_groups/<group>/<id>/actions/recreate|restart|start|stop};
 * {@code DELETE /vms/<cid>}; {@code POST /deployments/<d>/scans}; {@code GET|PUT /deployments/<d>/problems};
 * {@code GET /tasks/<id>}; {@code GET /tasks/<id>/output?type=result|event|debug} (event honours
 * {@code Range: bytes=N-}, 206 / 416). Asynchronous calls answer 302 with an absolute {@code Location} to
 * {@code /tasks/<id>}, as the director's nginx does; each task goes {@code queued -> processing -> done|error} on a
 * background thread. Errors are {@code {"code","description"}} (10000, 70000, 70001, 70002, 600000); an unknown
 * route is a plain-text 404 {@code Endpoint '<path>' not found.}
 *
 * <p>Job state is read live: {@code running} when the member is healthy, {@code failing} when its process runs
 * unhealthy or does not run while the VM exists, {@code "unresponsive agent"} by fault, no VM (vm_cid null) after
 * {@code DELETE /vms} or {@link #deleteVm}. A recreate (instance action or {@code recreate_vm} resolution) restarts
 * the member <b>with its persistent data dir</b>, so a member whose WAL was deleted stays failing and the task fails
 * with "is not running after update", as seed 001 found.
 *
 * <p>For the sandbox's {@code bbr}: {@code GET /_sim/deployments/<d>/ssh} (authenticated like the director) stands
 * for the SSH sessions real bbr opens through the director: each instance's VM, its etcd member and its
 * {@code /var/vcap/store} directory. The director VM's own "ssh" side is a second port ({@link #bbrHost()}, still
 * up when the director API is down), authenticated by the private key file {@link #bbrPrivateKey()}:
 * {@code GET|PUT /_sim/director/state} and {@code POST /_sim/director/scripts/<script>}.
 */
public final class BoshDirectorSimulator implements AutoCloseable {

    /** How clients authenticate, as {@code /info} announces it. */
    public enum Auth { UAA, BASIC }

    /**
     * @param tokenLifetime   UAA {@code expires_in}
     * @param taskStepDelay   how long a task stays {@code queued}, then {@code processing} before its work
     * @param jobStartTimeout how long an update waits for the job to run before the task fails
     */
    public record Options(Auth auth, String client, String clientSecret, Duration tokenLifetime,
            Duration taskStepDelay, Duration jobStartTimeout) {

        public static Options defaults() {
            return new Options(Auth.UAA, "ops_manager", "sandbox-director-secret", Duration.ofMinutes(10),
                    Duration.ofMillis(30), Duration.ofSeconds(15));
        }

        public Options withAuth(Auth newAuth) {
            return new Options(newAuth, client, clientSecret, tokenLifetime, taskStepDelay, jobStartTimeout);
        }

        public Options withJobStartTimeout(Duration timeout) {
            return new Options(auth, client, clientSecret, tokenLifetime, taskStepDelay, timeout);
        }
    }

    private static final Logger LOG = Logger.getLogger(BoshDirectorSimulator.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final Pattern DEPLOYMENT_ROUTE = Pattern.compile("/deployments/([^/]+)(/.*)?");
    private static final Pattern JOB_ROUTE = Pattern.compile("/jobs/([^/]+)/([^/]+)");
    private static final Pattern ACTION_ROUTE = Pattern.compile("/instance_groups/([^/]+)/([^/]+)/actions/([^/]+)");
    private static final Pattern TASK_ROUTE = Pattern.compile("/tasks/([^/]+)(/output)?");
    private static final Pattern VM_ROUTE = Pattern.compile("/vms/([^/]+)");

    private final SimulatedDeployment deployment;
    private final Options options;
    private final Path workDir;
    private final Clock clock;
    private final String directorUuid = java.util.UUID.randomUUID().toString();
    private final ExecutorService httpExecutor;
    private final ExecutorService taskExecutor;
    private final HttpServer sshServer;
    private final Path bbrPrivateKey;
    private final String bbrKeySha256;
    private final int port;
    private final Map<Long, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final AtomicLong nextTaskId = new AtomicLong(1);
    private final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();
    private final Map<String, ClientGrant> clients = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger failingCalls = new AtomicInteger();
    private final List<String> directorScripts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();

    private volatile HttpServer apiServer;
    private volatile boolean rejectTokens;
    private volatile boolean deploymentPresent = true;
    private volatile CountDownLatch hang;

    private record TokenGrant(String client, Instant expiresAt) {
    }

    private record ClientGrant(String secret, boolean authorizedForDeployment) {
    }

    private BoshDirectorSimulator(EtcdCluster cluster, String deploymentName, Path workDir, Options options,
            Clock clock) throws IOException {
        this.options = options;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.clock = clock;
        this.deployment = new SimulatedDeployment(deploymentName, cluster, options.jobStartTimeout(), clock);
        clients.put(options.client(), new ClientGrant(options.clientSecret(), true));
        Files.createDirectories(this.workDir);
        this.bbrPrivateKey = writeBbrKey(this.workDir.resolve("bbr_id_rsa"));
        this.bbrKeySha256 = sha256(Files.readAllBytes(bbrPrivateKey));
        this.httpExecutor = Executors.newCachedThreadPool(daemon("bosh-simulator-http"));
        this.taskExecutor = Executors.newSingleThreadExecutor(daemon("bosh-simulator-task"));
        this.apiServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.port = apiServer.getAddress().getPort();
        configureApi(apiServer);
        apiServer.start();
        this.sshServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        sshServer.setExecutor(httpExecutor);
        sshServer.createContext("/", this::handleSsh);
        sshServer.start();
        LOG.info(() -> "BOSH director simulator for '" + deploymentName + "' listening on " + url());
    }

    /** Starts with {@link Options#defaults()} (UAA, client {@code ops_manager}). */
    public static BoshDirectorSimulator start(EtcdCluster cluster, String deployment, Path workDir) {
        return start(cluster, deployment, workDir, Options.defaults());
    }

    public static BoshDirectorSimulator start(EtcdCluster cluster, String deployment, Path workDir, Options options) {
        try {
            return new BoshDirectorSimulator(cluster, deployment, workDir, options, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the BOSH director simulator", e);
        }
    }

    // ---------------------------------------------------------------- where it is

    /** {@code http://127.0.0.1:PORT}, the director ({@code --target}, {@code BOSH_ENVIRONMENT}). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String uaaUrl() {
        return url() + "/uaa";
    }

    public String deployment() {
        return deployment.name();
    }

    public Options options() {
        return options;
    }

    public EtcdCluster cluster() {
        return deployment.cluster();
    }

    /** {@code 127.0.0.1:PORT}: the director VM as {@code bbr director --host} reaches it (stays up when the API is down). */
    public String bbrHost() {
        return "127.0.0.1:" + sshServer.getAddress().getPort();
    }

    /** The private key {@code bbr director --private-key-path} must present (user {@code bbr}). */
    public Path bbrPrivateKey() {
        return bbrPrivateKey;
    }

    public BoshSimulatorDescription description() {
        return new BoshSimulatorDescription(url(), options.auth().name().toLowerCase(), uaaUrl(), options.client(),
                options.clientSecret(), deployment(), bbrHost(), "bbr", bbrPrivateKey.toString(), workDir.toString());
    }

    /** The instances as the director records them (ids, VM cids, desired states). */
    public List<InstanceRecord> instances() {
        return deployment.records();
    }

    /** {@code master/<uuid>} of member {@code etcd-N}, or of {@code master/0}. */
    public InstanceRecord instance(String instance) {
        return deployment.find(instance);
    }

    // ---------------------------------------------------------------- faults and controls

    /** The job on this master fails (its etcd member is killed; the VM and agent stay): {@code failing}. */
    public void failJob(String instance) {
        deployment.failJob(instance);
    }

    /** The VM is deleted (vm_cid null): its member is killed, its persistent data kept. */
    public void deleteVm(String instance) {
        deployment.deleteVmOf(instance);
    }

    /** The VM stops answering (powered off): {@code unresponsive agent}, its member killed. */
    public void unresponsiveAgent(String instance) {
        deployment.unresponsiveAgent(instance);
    }

    /** The director stops answering: connections are refused until {@link #directorUp()}. */
    public synchronized void directorDown() {
        if (apiServer != null) {
            apiServer.stop(0);
            apiServer = null;
            LOG.info("BOSH director simulator: director down");
        }
    }

    /** The director answers again, on the same port. */
    public synchronized void directorUp() {
        if (apiServer != null) {
            return;
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            configureApi(server);
            server.start();
            apiServer = server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bring the BOSH director simulator back on port " + port, e);
        }
    }

    /** The director accepts connections but never answers, until {@link #stopHanging()}. */
    public void hang() {
        hang = new CountDownLatch(1);
    }

    public void stopHanging() {
        CountDownLatch latch = hang;
        hang = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** The next {@code calls} authenticated calls answer 500. */
    public void failNext(int calls) {
        failingCalls.set(calls);
    }

    /** Forgets every token issued so far: the next call with one gets 401 (a client should fetch a new one). */
    public void expireTokens() {
        tokens.clear();
    }

    /** While true, every bearer token is refused with 401, even fresh ones. */
    public void rejectTokens(boolean reject) {
        this.rejectTokens = reject;
    }

    /** How many UAA tokens were issued. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Another UAA client (or basic user); one not authorized for the deployment gets 600000 on its routes. */
    public void addClient(String client, String secret, boolean authorizedForDeployment) {
        clients.put(client, new ClientGrant(secret, authorizedForDeployment));
    }

    /** The director's database is lost (a rebuilt, empty director): the deployment is unknown until restored. */
    public void loseState() {
        deploymentPresent = false;
    }

    public DirectorState state() {
        return new DirectorState(deployment(), deploymentPresent, nextTaskId.get(), deployment.records());
    }

    /** Puts a director state back (what {@code bbr director restore} does). */
    public void restoreState(DirectorState state) {
        if (!deployment().equals(state.deployment())) {
            throw new IllegalArgumentException("director state is of deployment '" + state.deployment()
                    + "', this director runs '" + deployment() + "'");
        }
        deployment.replaceRecords(state.instances());
        nextTaskId.accumulateAndGet(state.nextTaskId(), Math::max);
        deploymentPresent = state.deploymentPresent();
    }

    /** The director job scripts {@code bbr director} ran, in order ({@code pre-backup-lock}, ...). */
    public List<String> directorScripts() {
        return List.copyOf(directorScripts);
    }

    @Override
    public void close() {
        stopHanging();
        directorDown();
        sshServer.stop(0);
        taskExecutor.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            taskExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- director API

    private void configureApi(HttpServer server) {
        server.setExecutor(httpExecutor);
        server.createContext("/", this::handleApi);
    }

    private void handleApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            CountDownLatch latch = hang;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                route(exchange);
            } catch (DirectorError e) {
                sendError(exchange, e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "BOSH simulator failed to answer " + exchange.getRequestURI(), e);
                sendError(exchange, 500, 100, "Internal error: " + e.getMessage());
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange);
        if (method.equals("GET") && path.equals("/info")) {
            send(exchange, 200, info());
            return;
        }
        if (method.equals("POST") && path.equals("/uaa/oauth/token")) {
            token(exchange);
            return;
        }
        String client = authenticate(exchange);
        if (client == null) {
            sendText(exchange, 401, "Not authorized: '" + path + "'\n");
            return;
        }
        if (failingCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sendError(exchange, 500, 100, "simulated director failure");
            return;
        }
        Matcher m;
        if (method.equals("GET") && path.equals("/deployments")) {
            send(exchange, 200, deployments(client));
        } else if ((m = DEPLOYMENT_ROUTE.matcher(path)).matches()) {
            String name = decode(m.group(1));
            authorize(client, name);
            if (!deploymentPresent || !deployment.name().equals(name)) {
                throw DirectorError.deploymentNotFound(name);
            }
            deploymentRoute(exchange, method, m.group(2) == null ? "" : m.group(2), query, client);
        } else if (method.equals("DELETE") && (m = VM_ROUTE.matcher(path)).matches()) {
            String cid = decode(m.group(1));
            redirectToTask(exchange, submit("delete vm " + cid, null, client, task -> {
                deployment.deleteVm(cid, task);
                return "";
            }));
        } else if (method.equals("GET") && (m = TASK_ROUTE.matcher(path)).matches()) {
            SimulatedTask task = task(m.group(1));
            if (m.group(2) == null) {
                send(exchange, 200, task.toJson());
            } else {
                taskOutput(exchange, task, query.getOrDefault("type", "event"));
            }
        } else if (method.equals("GET") && path.startsWith("/_sim/deployments/") && path.endsWith("/ssh")) {
            String name = decode(path.substring("/_sim/deployments/".length(), path.length() - "/ssh".length()));
            authorize(client, name);
            if (!deploymentPresent || !deployment.name().equals(name)) {
                throw DirectorError.deploymentNotFound(name);
            }
            send(exchange, 200, sshAccess());
        } else {
            notFound(exchange, path);
        }
    }

    private void deploymentRoute(HttpExchange exchange, String method, String rest, Map<String, String> query,
            String client) throws IOException {
        String d = deployment.name();
        boolean full = "full".equals(query.get("format"));
        Matcher m;
        if (method.equals("GET") && (rest.equals("/instances") || rest.equals("/vms"))) {
            boolean vms = rest.equals("/vms");
            if (!full) {
                send(exchange, 200, deployment.shortListing(vms));
                return;
            }
            redirectToTask(exchange, submit("retrieve vm-stats", d, client, task -> {
                for (ObjectNode line : deployment.fullListing(vms)) {
                    task.appendResult(line.toString());
                }
                return "";
            }));
        } else if (method.equals("GET") && rest.isEmpty()) {
            send(exchange, 200, JSON.createObjectNode().put("manifest", "name: " + d + "\n"));
        } else if (method.equals("PUT") && (m = JOB_ROUTE.matcher(rest)).matches()) {
            InstanceRecord r = deployment.find(decode(m.group(1)), decode(m.group(2)));
            String state = query.getOrDefault("state", "");
            Function<SimulatedTask, String> work = switch (state) {
                case "recreate" -> task -> {
                    if (deployment.isUnresponsive(r) && !"true".equals(query.get("fix"))) {
                        throw new IllegalStateException("Timed out pinging VM '" + r.vmCid() + "' with agent '"
                                + r.agentId() + "' after 600 seconds (use --fix to recreate it)");
                    }
                    deployment.recreate(r, true, task);
                    return "";
                };
                case "restart" -> task -> { deployment.restart(r, task); return ""; };
                case "stopped" -> task -> { deployment.stop(r, task); return ""; };
                case "started" -> task -> { deployment.start(r, task); return ""; };
                case "detached" -> task -> { deployment.detach(r, task); return ""; };
                default -> throw new DirectorError(400, 40000, "Invalid state '" + state
                        + "': expected recreate, restart, stopped, started or detached");
            };
            redirectToTask(exchange, submit(changeDescription(state, r), d, client, work));
        } else if (method.equals("POST") && (m = ACTION_ROUTE.matcher(rest)).matches()) {
            InstanceRecord r = deployment.find(decode(m.group(1)), decode(m.group(2)));
            String action = decode(m.group(3));
            boolean ignoreUnresponsive = "true".equals(query.get("ignore_unresponsive_agent"));
            Function<SimulatedTask, String> work = switch (action) {
                case "recreate" -> task -> {
                    if (deployment.isUnresponsive(r) && !ignoreUnresponsive) {
                        throw new IllegalStateException("Timed out pinging VM '" + r.vmCid() + "' with agent '"
                                + r.agentId() + "' after 600 seconds");
                    }
                    deployment.recreate(r, true, task);
                    return "";
                };
                case "restart" -> task -> { deployment.restart(r, task); return ""; };
                case "start" -> task -> { deployment.start(r, task); return ""; };
                case "stop" -> task -> { deployment.stop(r, task); return ""; };
                default -> null;
            };
            if (work == null) {
                notFound(exchange, exchange.getRequestURI().getPath());
                return;
            }
            redirectToTask(exchange, submit(action + " instance " + r.group() + "/" + r.id(), d, client, work));
        } else if (method.equals("POST") && rest.equals("/scans")) {
            redirectToTask(exchange, submit("scan cloud", d, client, deployment::scan));
        } else if (method.equals("GET") && rest.equals("/problems")) {
            send(exchange, 200, deployment.problemsJson());
        } else if (method.equals("PUT") && rest.equals("/problems")) {
            Map<Integer, String> resolutions = resolutions(exchange);
            redirectToTask(exchange, submit("apply resolutions", d, client, task -> deployment.resolve(resolutions, task)));
        } else {
            notFound(exchange, exchange.getRequestURI().getPath());
        }
    }

    private static String changeDescription(String state, InstanceRecord r) {
        String verb = switch (state) {
            case "stopped" -> "stop";
            case "started" -> "start";
            case "detached" -> "stop";
            default -> state;
        };
        return verb + " instance " + r.group() + "/" + r.id();
    }

    private Map<Integer, String> resolutions(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            throw new DirectorError(400, 40001, "Malformed JSON body: " + e.getMessage());
        }
        JsonNode resolutions = body == null ? null : body.get("resolutions");
        if (resolutions == null || !resolutions.isObject()) {
            throw new DirectorError(400, 40001, "Body must be {\"resolutions\":{\"<problem id>\":\"<resolution>\"}}");
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        var fields = resolutions.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            try {
                out.put(Integer.parseInt(field.getKey()), field.getValue().asText());
            } catch (NumberFormatException e) {
                throw new DirectorError(400, 40001, "Problem id '" + field.getKey() + "' is not a number");
            }
        }
        return out;
    }

    private ObjectNode info() {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", "p-bosh");
        out.put("uuid", directorUuid);
        out.put("version", "270.11.0 (00000000) [cpr sandbox simulator]");
        out.putNull("user");
        out.put("cpi", "vsphere_cpi");
        ObjectNode auth = out.putObject("user_authentication");
        if (options.auth() == Auth.UAA) {
            auth.put("type", "uaa");
            auth.putObject("options").put("url", uaaUrl());
        } else {
            auth.put("type", "basic");
            auth.putObject("options");
        }
        ObjectNode features = out.putObject("features");
        features.putObject("local_dns").put("status", true).putObject("extras").put("domain_name", "bosh");
        features.putObject("power_dns").put("status", false);
        features.putObject("snapshots").put("status", false);
        features.putObject("config_server").put("status", true).putObject("extras").putArray("urls");
        return out;
    }

    private ArrayNode deployments(String client) {
        ArrayNode out = JSON.createArrayNode();
        if (!deploymentPresent || !clients.getOrDefault(client, new ClientGrant("", true)).authorizedForDeployment()) {
            return out;
        }
        ObjectNode d = out.addObject();
        d.put("name", deployment.name());
        d.put("cloud_config", "latest");
        d.putArray("releases").addObject().put("name", "kubo").put("version", "0.34.0");
        d.putArray("stemcells").addObject().put("name", "bosh-vsphere-esxi-ubuntu-xenial-go_agent")
                .put("version", "621.76");
        d.putArray("teams");
        d.put("locked", false);
        return out;
    }

    private ObjectNode sshAccess() {
        ObjectNode out = JSON.createObjectNode();
        out.put("deployment", deployment.name());
        out.put("initial_cluster", cluster().spec().initialClusterFlag());
        out.put("cluster_token", cluster().spec().token());
        ArrayNode list = out.putArray("instances");
        for (InstanceRecord r : deployment.records()) {
            ObjectNode o = list.addObject();
            o.put("job_name", r.group());
            o.put("id", r.id());
            o.put("index", r.index());
            o.put("bootstrap", r.bootstrap());
            o.put("vm_cid", r.vmCid());
            o.put("agent_responsive", !deployment.isUnresponsive(r));
            o.put("host", "127.0.0.1");
            o.put("store_dir", workDir.resolve("vms").resolve(r.group() + "-" + r.index()).resolve("store").toString());
            ArrayNode jobs = o.putArray("bbr_jobs");
            if (r.member() == null) {
                o.putNull("etcd");
                continue;
            }
            jobs.add("bbr-etcd");
            MemberSpec member = cluster().member(r.member());
            ObjectNode etcd = o.putObject("etcd");
            etcd.put("name", member.name());
            etcd.put("client_url", member.clientUrl());
            etcd.put("peer_url", member.peerUrl());
            etcd.put("data_dir", member.dataDir());
            etcd.put("pid_file", member.localPidFile());
            etcd.put("log_file", member.localLogFile());
            etcd.put("etcd_binary", member.etcdBinary());
        }
        return out;
    }

    // ---------------------------------------------------------------- authentication

    private void token(HttpExchange exchange) throws IOException {
        if (options.auth() != Auth.UAA) {
            notFound(exchange, exchange.getRequestURI().getPath());
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] credentials = basicCredentials(exchange);
        ClientGrant grant = credentials == null ? null : clients.get(credentials[0]);
        if (grant == null || !grant.secret().equals(credentials[1])) {
            send(exchange, 401, JSON.createObjectNode().put("error", "unauthorized")
                    .put("error_description", "Bad credentials"));
            return;
        }
        if (!form(body).getOrDefault("grant_type", "").equals("client_credentials")) {
            send(exchange, 400, JSON.createObjectNode().put("error", "unsupported_grant_type")
                    .put("error_description", "only client_credentials is simulated"));
            return;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(value, new TokenGrant(credentials[0], clock.instant().plus(options.tokenLifetime())));
        tokensIssued.incrementAndGet();
        ObjectNode out = JSON.createObjectNode();
        out.put("access_token", value);
        out.put("token_type", "bearer");
        out.put("expires_in", options.tokenLifetime().toSeconds());
        out.put("scope", "bosh.admin");
        out.put("jti", java.util.UUID.randomUUID().toString().replace("-", ""));
        send(exchange, 200, out);
    }

    /** The client id the request is authenticated as, or null. */
    private String authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return null;
        }
        if (options.auth() == Auth.UAA) {
            if (!header.regionMatches(true, 0, "bearer ", 0, 7) || rejectTokens) {
                return null;
            }
            TokenGrant grant = tokens.get(header.substring(7).trim());
            return grant == null || !clock.instant().isBefore(grant.expiresAt()) ? null : grant.client();
        }
        String[] credentials = basicCredentials(exchange);
        if (credentials == null) {
            return null;
        }
        ClientGrant grant = clients.get(credentials[0]);
        return grant != null && grant.secret().equals(credentials[1]) ? credentials[0] : null;
    }

    private void authorize(String client, String deploymentName) {
        ClientGrant grant = clients.get(client);
        if (grant != null && !grant.authorizedForDeployment()) {
            throw new DirectorError(401, 600000, "Require one of the scopes: bosh.admin, bosh." + directorUuid
                    + ".admin, bosh.teams.<team>.admin for deployment '" + deploymentName + "'");
        }
    }

    private static String[] basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- tasks

    private SimulatedTask submit(String description, String deploymentName, String user,
            Function<SimulatedTask, String> work) {
        SimulatedTask task = new SimulatedTask(nextTaskId.getAndIncrement(), description, deploymentName, user, clock);
        tasks.put(task.id(), task);
        taskExecutor.submit(() -> {
            try {
                pause(options.taskStepDelay());
                task.processing();
                pause(options.taskStepDelay());
                task.done(work.apply(task));
            } catch (RuntimeException e) {
                LOG.info(() -> "BOSH simulator task " + task.id() + " '" + description + "' failed: " + e.getMessage());
                task.error(e.getMessage());
            } catch (InterruptedException e) {
                task.error("director shut down");
                Thread.currentThread().interrupt();
            }
        });
        return task;
    }

    private SimulatedTask task(String id) {
        try {
            SimulatedTask task = tasks.get(Long.parseLong(id));
            if (task != null) {
                return task;
            }
        } catch (NumberFormatException e) {
            // falls through to not found
        }
        throw DirectorError.taskNotFound(id);
    }

    private void redirectToTask(HttpExchange exchange, SimulatedTask task) throws IOException {
        exchange.getResponseHeaders().set("Location", url() + "/tasks/" + task.id());
        exchange.sendResponseHeaders(302, -1);
    }

    private void taskOutput(HttpExchange exchange, SimulatedTask task, String type) throws IOException {
        byte[] content = switch (type) {
            case "result" -> task.resultOutput().getBytes(StandardCharsets.UTF_8);
            case "event" -> task.events();
            case "debug" -> ("I, [" + Instant.now(clock) + "] INFO -- DirectorJobRunner: task " + task.id() + " '"
                    + task.description() + "' " + task.state() + "\n").getBytes(StandardCharsets.UTF_8);
            default -> throw new DirectorError(400, 40000, "Invalid output type '" + type + "'");
        };
        String range = exchange.getRequestHeaders().getFirst("Range");
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            long from;
            try {
                from = Long.parseLong(range.substring(6, range.length() - 1));
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            int start = (int) from;
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/"
                    + content.length);
            exchange.sendResponseHeaders(206, content.length - start);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content, start, content.length - start);
            }
            return;
        }
        sendBytes(exchange, 200, content);
    }

    // ---------------------------------------------------------------- the director VM's "ssh" side (bbr director)

    private void handleSsh(HttpExchange exchange) throws IOException {
        try (exchange) {
            String user = exchange.getRequestHeaders().getFirst("X-Bbr-User");
            String key = exchange.getRequestHeaders().getFirst("X-Bbr-Key-Sha256");
            if (!"bbr".equals(user) || !bbrKeySha256.equalsIgnoreCase(key == null ? "" : key)) {
                sendText(exchange, 403, "ssh: handshake failed: unable to authenticate user '" + user
                        + "' with the given private key\n");
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/_sim/director/state")) {
                sendBytes(exchange, 200, SNAKE.writeValueAsBytes(state()));
            } else if (method.equals("PUT") && path.equals("/_sim/director/state")) {
                DirectorState state;
                try (InputStream in = exchange.getRequestBody()) {
                    state = SNAKE.readValue(in, DirectorState.class);
                }
                restoreState(state);
                sendText(exchange, 200, "restored\n");
            } else if (method.equals("POST") && path.startsWith("/_sim/director/scripts/")) {
                String script = path.substring("/_sim/director/scripts/".length());
                directorScripts.add(script);
                sendText(exchange, 200, script + " done\n");
            } else if (method.equals("GET") && path.equals("/_sim/director/store")) {
                sendText(exchange, 200, workDir.resolve("vms").resolve("bosh-0").resolve("store").toString());
            } else {
                sendText(exchange, 404, "no such file or directory: " + path + "\n");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "BOSH simulator ssh side failed on " + exchange.getRequestURI(), e);
        }
    }

    // ---------------------------------------------------------------- HTTP helpers

    private static void notFound(HttpExchange exchange, String path) throws IOException {
        sendText(exchange, 404, "Endpoint '" + path + "' not found.");
    }

    private static void sendError(HttpExchange exchange, int status, int code, String description) throws IOException {
        send(exchange, status, JSON.createObjectNode().put("code", code).put("description", description));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        sendBytes(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void sendText(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        sendBytes(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        return raw == null ? Map.of() : form(raw);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private Path writeBbrKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] bytes = new byte[192];
            random.nextBytes(bytes);
            String body = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
            Files.writeString(file, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body
                    + "\n-----END OPENSSH PRIVATE KEY-----\n");
        }
        return file;
    }

    /** Hex sha256, as the bbr key fingerprint. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Instances in listing order, as full JSON (for the launcher's status output). */
    public List<String> describeInstances() {
        List<String> out = new ArrayList<>();
        for (ObjectNode o : deployment.fullListing(false)) {
            out.add(o.path("job_name").asText() + "/" + o.path("id").asText() + " " + o.path("job_state").asText("-"));
        }
        return out;
    }
}
