package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.kernel.Sha256;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    private final SimulatedDeployment deployment;
    private final Options options;
    private final Path workDir;
    private final ExecutorService httpExecutor;
    private final DirectorAuth auth;
    private final DirectorTasks tasks;
    private final DirectorApiRoutes routes;
    private final DirectorVm vm;
    private final int port;

    private volatile HttpServer apiServer;
    private volatile boolean deploymentPresent = true;
    private volatile CountDownLatch hang;

    private BoshDirectorSimulator(EtcdCluster cluster, String deploymentName, Path workDir, Options options,
            Clock clock) throws IOException {
        this.options = options;
        this.workDir = workDir.toAbsolutePath().normalize();
        String directorUuid = UUID.randomUUID().toString();
        this.deployment = new SimulatedDeployment(deploymentName, cluster, options.jobStartTimeout(), clock);
        this.auth = new DirectorAuth(options, clock, directorUuid);
        this.tasks = new DirectorTasks(clock, options.taskStepDelay());
        this.routes = new DirectorApiRoutes(this, deployment, auth, tasks, this.workDir, directorUuid);
        Files.createDirectories(this.workDir);
        this.httpExecutor = Executors.newCachedThreadPool(SimHttp.daemonThreads("bosh-simulator-http"));
        this.apiServer = SimHttp.loopbackServer(0, 50);
        this.port = apiServer.getAddress().getPort();
        configureApi(apiServer);
        apiServer.start();
        this.vm = new DirectorVm(this.workDir, httpExecutor, this::state, this::restoreState);
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
        return vm.host();
    }

    /** The private key {@code bbr director --private-key-path} must present (user {@code bbr}). */
    public Path bbrPrivateKey() {
        return vm.bbrPrivateKey();
    }

    public BoshSimulatorDescription description() {
        return new BoshSimulatorDescription(url(), options.auth().name().toLowerCase(), uaaUrl(), options.client(),
                options.clientSecret(), deployment(), bbrHost(), "bbr", vm.bbrPrivateKey().toString(), workDir.toString());
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
            HttpServer server = SimHttp.loopbackServer(port, 50);
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
        routes.failNext(calls);
    }

    /** Forgets every token issued so far: the next call with one gets 401 (a client should fetch a new one). */
    public void expireTokens() {
        auth.expireTokens();
    }

    /** While true, every bearer token is refused with 401, even fresh ones. */
    public void rejectTokens(boolean reject) {
        auth.rejectTokens(reject);
    }

    /** How many UAA tokens were issued. */
    public int tokensIssued() {
        return auth.tokensIssued();
    }

    /** Another UAA client (or basic user); one not authorized for the deployment gets 600000 on its routes. */
    public void addClient(String client, String secret, boolean authorizedForDeployment) {
        auth.addClient(client, secret, authorizedForDeployment);
    }

    /** The director's database is lost (a rebuilt, empty director): the deployment is unknown until restored. */
    public void loseState() {
        deploymentPresent = false;
    }

    public DirectorState state() {
        return new DirectorState(deployment(), deploymentPresent, tasks.nextTaskId(), deployment.records());
    }

    /** Puts a director state back (what {@code bbr director restore} does). */
    public void restoreState(DirectorState state) {
        if (!deployment().equals(state.deployment())) {
            throw new IllegalArgumentException("director state is of deployment '" + state.deployment()
                    + "', this director runs '" + deployment() + "'");
        }
        deployment.replaceRecords(state.instances());
        tasks.continueAfter(state.nextTaskId());
        deploymentPresent = state.deploymentPresent();
    }

    /** The director job scripts {@code bbr director} ran, in order ({@code pre-backup-lock}, ...). */
    public List<String> directorScripts() {
        return vm.directorScripts();
    }

    @Override
    public void close() {
        stopHanging();
        directorDown();
        vm.close();
        tasks.close();
        httpExecutor.shutdownNow();
    }

    // ---------------------------------------------------------------- director API

    boolean isDeploymentPresent() {
        return deploymentPresent;
    }

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
                routes.route(exchange);
            } catch (DirectorError e) {
                DirectorApiRoutes.sendError(exchange, e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "BOSH simulator failed to answer " + exchange.getRequestURI(), e);
                DirectorApiRoutes.sendError(exchange, 500, 100, "Internal error: " + e.getMessage());
            }
        }
    }

    /** Hex sha256, as the bbr key fingerprint. */
    public static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
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
