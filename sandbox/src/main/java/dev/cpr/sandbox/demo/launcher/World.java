package dev.cpr.sandbox.demo.launcher;

import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.sandbox.Sandbox;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
import dev.cpr.sandbox.oidc.KeycloakServer;
import dev.cpr.sandbox.prometheus.PrometheusServer;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole local world of {@code ./cpr}: the sandbox's real etcd, Kafka and PostgreSQL, the Slack
 * simulator, a second real etcd cluster run as a PKS cluster under the BOSH director simulator
 * ({@link PksCluster}), and the four services as separate JVMs wired to them by environment variables.
 * One inventory ({@code <baseDir>/inventory.yaml}) holds both clusters.
 */
public final class World implements AutoCloseable {

    /** 120 s; {@code CPR_SERVICE_START_TIMEOUT_SECONDS} for a machine so loaded that a service takes longer. */
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("CPR_SERVICE_START_TIMEOUT_SECONDS", "120")));
    /** Scrape and rule evaluation interval of the sandbox's Prometheus: short, so a demo sees alerts change quickly. */
    private static final Duration PROMETHEUS_INTERVAL = Duration.ofSeconds(1);
    /** The one Slack user the sandbox's notifier accepts approvals from. */
    public static final String SLACK_APPROVER = "U0CPRAPPROVER";

    private final CprHome home;
    private final Path baseDir;
    private final Sandbox sandbox;
    private final SlackSimulator slack;
    private final PksCluster pks;
    private KubesprayCluster kubespray;
    private final Map<CprService, ServiceProcess> services = new EnumMap<>(CprService.class);
    /** The second replica of each service, while {@link #startSecondReplicas} has them running. */
    private final Map<CprService, ServiceProcess> secondReplicas = new EnumMap<>(CprService.class);
    /**
     * One address per service in front of its replicas, as a Kubernetes Service: the URLs the services and the
     * console are given name these, so a caller survives one replica's death.
     */
    private final Map<CprService, ServiceFront> fronts = new EnumMap<>(CprService.class);
    /** Where the kubespray cluster's nodes live, under the world's directory. */
    static final String KUBESPRAY_DIR = "kubespray";

    private final Map<CprService, Map<String, String>> extraEnv;
    private final ServiceEnvironment environment;
    private final ApiTokens tokens = ApiTokens.random();
    /** Made per world: the notifier signs approvals with the private half, restore-service trusts the public half. */
    private final KeyPair approvalKeys = ApprovalSignatures.generate();
    /** The console (dashboard and the cpr CLI's API), started on demand by {@link #startConsole}. */
    private ServiceProcess console;
    /** The port {@code ./cpr up} gives the console. */
    public static final int CONSOLE_PORT = 8080;
    /** Scrapes the four services with cpr's alert rules loaded; started once they are ready. */
    private PrometheusServer prometheus;
    /** The OIDC provider (Keycloak) whose access tokens every service accepts, when the world was started with SSO. */
    private KeycloakServer sso;

    private World(CprHome home, Path baseDir, Sandbox sandbox, SlackSimulator slack, PksCluster pks,
            Map<CprService, Map<String, String>> extraEnv) {
        this.home = home;
        this.baseDir = baseDir;
        this.sandbox = sandbox;
        this.slack = slack;
        this.pks = pks;
        this.extraEnv = new EnumMap<>(CprService.class);
        this.extraEnv.putAll(extraEnv);
        this.environment = new ServiceEnvironment(this, home,
                service -> this.extraEnv.getOrDefault(service, Map.of()));
    }

    /**
     * Starts everything and returns once every service reports ready.
     *
     * @param fixedPorts give the services their usual ports (8081-8084, for {@code ./cpr up}) instead of free ones
     * @param extraEnv   additional environment per service (fault injection in tests, for instance)
     */
    public static World start(CprHome home, Path baseDir, boolean fixedPorts,
            Map<CprService, Map<String, String>> extraEnv, Progress progress) throws IOException {
        return start(home, baseDir, fixedPorts, extraEnv, false, progress);
    }

    /**
     * As {@link #start(CprHome, Path, boolean, Map, Progress)}, and with {@code sso} a real OIDC provider (Keycloak,
     * {@link KeycloakServer}) started beside the sandbox: every service accepts its access tokens and the console
     * offers "Log in with SSO". Off by default: it needs Java 21+ and about 600 MB more.
     */
    public static World start(CprHome home, Path baseDir, boolean fixedPorts,
            Map<CprService, Map<String, String>> extraEnv, boolean sso, Progress progress) throws IOException {
        CompletableFuture<KeycloakServer> ssoStart = sso
                ? CompletableFuture.supplyAsync(() -> KeycloakServer.start(baseDir.resolve("keycloak")))
                : CompletableFuture.completedFuture(null);
        World world;
        try {
            world = startWithoutSso(home, baseDir, fixedPorts, extraEnv, ssoStart, progress);
        } catch (IOException | RuntimeException e) {
            ssoStart.thenAccept(World::closeQuietly).exceptionally(x -> null).join();
            throw e;
        }
        return world;
    }

    private static void closeQuietly(KeycloakServer keycloak) {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static World startWithoutSso(CprHome home, Path baseDir, boolean fixedPorts,
            Map<CprService, Map<String, String>> extraEnv, CompletableFuture<KeycloakServer> ssoStart,
            Progress progress) throws IOException {
        progress.say("starting the sandbox (3 etcd members, Kafka, PostgreSQL, Slack simulator) and the PKS cluster "
                + PksCluster.CLUSTER_ID + " (3 etcd masters under the BOSH director simulator) in " + baseDir);
        long t0 = System.nanoTime();
        // the PKS cluster's etcd starts beside the sandbox's, so the world comes up about as fast as before
        CompletableFuture<PksCluster> pksStart = CompletableFuture.supplyAsync(() -> PksCluster.start(baseDir.resolve("pks")));
        CompletableFuture<KubesprayCluster> kubesprayStart = CompletableFuture.supplyAsync(
                () -> KubesprayCluster.start(baseDir.resolve(KUBESPRAY_DIR)));
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(baseDir);
        } catch (RuntimeException e) {
            // wait for the PKS and kubespray clusters, so their members are stopped before the launcher exits, not left behind
            pksStart.thenAccept(PksCluster::close).exceptionally(x -> null).join();
            kubesprayStart.thenAccept(KubesprayCluster::close).exceptionally(x -> null).join();
            throw e;
        }
        PksCluster pks;
        SlackSimulator slack;
        KubesprayCluster kubespray;
        try {
            pks = pksStart.join();
        } catch (CompletionException e) {
            kubesprayStart.thenAccept(KubesprayCluster::close);
            sandbox.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try {
            kubespray = kubesprayStart.join();
        } catch (CompletionException e) {
            pks.close();
            sandbox.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try {
            writeInventory(sandbox, pks, kubespray);
            slack = SlackSimulator.start();
        } catch (IOException | RuntimeException e) {
            kubespray.close();
            pks.close();
            sandbox.close();
            throw e;
        }
        progress.say(String.format("sandbox ready in %.1f s; %s: director %s, deployment %s", (System.nanoTime() - t0) / 1e9,
                pks.clusterId(), pks.director().url(), PksCluster.DEPLOYMENT));
        World world = new World(home, baseDir, sandbox, slack, pks, extraEnv);
        world.kubespray = kubespray;
        try {
            // the services are told the provider's issuer, so it must be up (and its address known) before they start
            world.sso = joined(ssoStart);
            if (world.sso != null) {
                progress.say(String.format("OIDC provider (Keycloak) %s ready in %.1f s", world.sso.issuer(),
                        world.sso.startedIn().toMillis() / 1e3));
            }
            world.startServices(fixedPorts, progress);
            world.startPrometheus(progress);
        } catch (IOException | RuntimeException e) {
            world.close();
            throw e;
        }
        return world;
    }

    private static KeycloakServer joined(CompletableFuture<KeycloakServer> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The sandbox's inventory file, rewritten in place to hold the PKS cluster too. */
    private static void writeInventory(Sandbox sandbox, PksCluster pks, KubesprayCluster kubespray) throws IOException {
        InventoryLoader.write(new Inventory(List.of(sandbox.etcd().spec(), pks.inventorySpec(),
                kubespray.inventorySpec())), sandbox.inventoryPath());
        InventoryLoader.load(sandbox.inventoryPath()); // an invalid inventory fails here, not in four services
    }

    private void startServices(boolean fixedPorts, Progress progress) throws IOException {
        for (CprService service : CprService.values()) {
            fronts.put(service, ServiceFront.open(service.module()));
        }
        if (fixedPorts) {
            for (CprService service : CprService.values()) {
                Ports.requireFree(service.module(), service.defaultPort());
            }
            startServicesOnce(true, progress);
            return;
        }
        // a free port taken before its service bound it: all four again on fresh ports, as they know each other's URLs
        Ports.retryIfTaken("the services", () -> {
            try {
                startServicesOnce(false, progress);
                return null;
            } catch (PortTakenException e) {
                stopServices();
                throw e;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private void startServicesOnce(boolean fixedPorts, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        for (CprService service : CprService.values()) {
            int port = fixedPorts ? service.defaultPort() : Ports.free();
            ServiceProcess process = new ServiceProcess(service.module(), home.serviceJar(service.module()), port,
                    baseDir.resolve("logs").resolve(service.module() + ".log"));
            services.put(service, process);
            fronts.get(service).routeTo(List.of(port));
            process.start(envFor(service));
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess process : services.values()) {
            ready.add(CompletableFuture.runAsync(() -> process.awaitReady(SERVICE_START_TIMEOUT)));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        progress.say(String.format("services ready in %.1f s: %s", (System.nanoTime() - t0) / 1e9,
                String.join(", ", services.values().stream().map(s -> s.name() + " " + s.url()).toList())));
    }

    private void startPrometheus(Progress progress) throws IOException {
        prometheus = PrometheusServer.start(baseDir.resolve("prometheus"),
                home.root().resolve("deploy/prometheus/cpr-rules.yml"), scrapeTargets(), PROMETHEUS_INTERVAL);
        progress.say("prometheus " + prometheus.url() + " scrapes the services every "
                + PROMETHEUS_INTERVAL.toMillis() + " ms with cpr's alert rules");
    }

    /** Every replica running now, each a target of its service's job labelled with its replica id. */
    private synchronized List<PrometheusServer.Target> scrapeTargets() {
        List<PrometheusServer.Target> targets = new ArrayList<>();
        for (CprService service : services.keySet()) {
            List<ServiceProcess> replicas = replicas(service);
            for (int i = 0; i < replicas.size(); i++) {
                targets.add(new PrometheusServer.Target(service.module(), replicaId(service, i),
                        "127.0.0.1:" + replicas.get(i).port()));
            }
        }
        return targets;
    }

    /** Prometheus scrapes the replicas running now (a killed one stays a target: it shows as down, as a pod would). */
    private void rescrape() {
        if (prometheus == null) {
            return;
        }
        try {
            prometheus.scrape(scrapeTargets());
        } catch (IOException e) {
            // the replicas run all the same; only the alerts and queries miss or keep a target (also on close)
            System.err.println("[cpr] prometheus' targets not rewritten: " + e);
        }
    }

    /** The configuration a service's first replica gets: only environment variables, as in production. */
    public Map<String, String> envFor(CprService service) {
        return environment.envFor(service, 0);
    }

    /**
     * The address callers use for a service: its front, which forwards each connection to a live replica. With one
     * replica running it leads to {@link #service}; with {@link #startSecondReplicas} to either.
     */
    public String url(CprService service) {
        return fronts.get(service).url();
    }

    /**
     * Starts a second replica of every service ({@code <module>-1}: its own {@code CPR_REPLICA_ID}, port and log
     * {@code logs/<module>-1.log}) and, once each is ready, puts it behind the service's front beside the first.
     * Returns at once if they run already. Prometheus scrapes them from then on, each labelled {@code replica}.
     */
    public synchronized void startSecondReplicas(Progress progress) throws IOException {
        if (!secondReplicas.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        Map<CprService, CompletableFuture<ServiceProcess>> ready = new EnumMap<>(CprService.class);
        for (CprService service : CprService.values()) {
            ready.put(service, CompletableFuture.supplyAsync(
                    () -> Ports.retryIfTaken(service.module() + "-1", () -> startSecondReplica(service))));
        }
        try {
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // the ones that did start are stopped: the world goes back to one replica of each
            ready.values().forEach(f -> f.thenAccept(ServiceProcess::close).exceptionally(x -> null).join());
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        ready.forEach((service, started) -> secondReplicas.put(service, started.join()));
        secondReplicas.forEach((service, second) ->
                fronts.get(service).routeTo(List.of(services.get(service).port(), second.port())));
        rescrape();
        progress.say(String.format("second replicas ready in %.1f s: %s", (System.nanoTime() - t0) / 1e9,
                String.join(", ", secondReplicas.values().stream().map(s -> s.name() + " " + s.url()).toList())));
    }

    private ServiceProcess startSecondReplica(CprService service) {
        ServiceProcess process = new ServiceProcess(service.module() + "-1", home.serviceJar(service.module()),
                Ports.free(), baseDir.resolve("logs").resolve(service.module() + "-1.log"));
        try {
            process.start(environment.envFor(service, 1));
            process.awaitReady(SERVICE_START_TIMEOUT);
            return process;
        } catch (IOException e) {
            process.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /**
     * Stops the second replicas (taken from behind the fronts first) and leaves one replica of each service, as the
     * world started. Any still running is stopped, one already killed is forgotten.
     */
    public synchronized void stopSecondReplicas() {
        services.forEach((service, first) -> fronts.get(service).routeTo(List.of(first.port())));
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ServiceProcess second : secondReplicas.values()) {
            stopping.add(CompletableFuture.runAsync(second::close));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        if (!secondReplicas.isEmpty() && sandbox.kafka().isRunning()) {
            // a static member that stopped keeps its partitions until its session times out: the first replicas
            // take them over now, so the next test's events are read at once
            for (CprService service : secondReplicas.keySet()) {
                try {
                    sandbox.kafka().removeStaticMembers(replicaId(service, 1) + "-");
                } catch (IllegalStateException e) {
                    System.err.println("[cpr] " + e.getMessage());
                }
            }
        }
        secondReplicas.clear();
        rescrape();
    }

    /** The id ({@code CPR_REPLICA_ID}) of a service's replica: 0 the first, 1 the second, as a StatefulSet names pods. */
    public static String replicaId(CprService service, int replica) {
        return service.module() + "-" + replica;
    }

    /**
     * The replicas of a service, in order (the first, and the second while {@link #startSecondReplicas} holds): the
     * one at index i has the id {@link #replicaId replicaId(service, i)}.
     */
    public synchronized List<ServiceProcess> replicas(CprService service) {
        List<ServiceProcess> replicas = new ArrayList<>(List.of(services.get(service)));
        Optional.ofNullable(secondReplicas.get(service)).ifPresent(replicas::add);
        return replicas;
    }

    /**
     * Starts the console over the four services and waits until it is ready (once; later calls return it). Not part
     * of {@link #start}: the scenarios judge the services without it, so only {@code ./cpr up} and its own tests pay
     * for a fifth JVM.
     */
    public synchronized ServiceProcess startConsole(boolean fixedPort, Progress progress) throws IOException {
        if (console == null) {
            console = new ServiceProcess("console", home.serviceJar("console"), fixedPort ? CONSOLE_PORT : Ports.free(),
                    baseDir.resolve("logs").resolve("console.log"));
            console.start(consoleEnv());
            console.awaitReady(SERVICE_START_TIMEOUT);
            progress.say("console ready: the dashboard is at " + console.url() + "/ (log in with a token from "
                    + "sandbox.json); the cpr command talks to it");
        }
        return console;
    }

    /** The console's configuration: the four services' URLs and the same tokens, so callers' tokens pass through. */
    public Map<String, String> consoleEnv() {
        return environment.consoleEnv();
    }

    /** The console, if {@link #startConsole} ran. */
    public java.util.Optional<ServiceProcess> console() {
        return java.util.Optional.ofNullable(console);
    }

    /** Where backup-service writes bbr artifacts and restore-service reads them from. */
    public Path bbrArtifacts() {
        return baseDir.resolve("bbr");
    }

    /** Restarts one service, optionally with different extra environment (e.g. without fault injection). */
    public ServiceProcess restart(CprService service, Map<String, String> env) throws IOException {
        ServiceProcess process = services.get(service);
        process.stop(Duration.ofSeconds(10));
        extraEnv.put(service, new HashMap<>(env));
        process.start(envFor(service));
        process.awaitReady(SERVICE_START_TIMEOUT);
        return process;
    }

    /**
     * Brings a service back as the world started it: restarted without extra environment if it runs with
     * some (an armed fault) or is not running at all. A test that injected a fault calls this when it ends,
     * passed or failed, so that the tests after it meet a working world.
     */
    public void resetToDefaults(CprService service) throws IOException {
        boolean extra = !extraEnv.getOrDefault(service, Map.of()).isEmpty();
        if (extra || !services.get(service).isAlive()) {
            restart(service, Map.of());
        }
    }

    /** The bearer tokens this world's services accept. */
    public ApiTokens tokens() {
        return tokens;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** The key pair of this world's approvals (a scenario plays the notifier's key holder, or a forger). */
    public KeyPair approvalKeys() {
        return approvalKeys;
    }

    public SlackSimulator slack() {
        return slack;
    }

    /** The PKS cluster and its BOSH director simulator. */
    public PksCluster pks() {
        return pks;
    }

    /** The kubespray cluster (seed 004): its nodes, their sshd and the stand-in checkout. */
    public KubesprayCluster kubespray() {
        return kubespray;
    }

    /** The OIDC provider every service trusts, if the world was started with SSO. */
    public Optional<KeycloakServer> sso() {
        return Optional.ofNullable(sso);
    }

    /** The sandbox's Prometheus (null only while the world is still starting). */
    public PrometheusServer prometheus() {
        return prometheus;
    }

    public ServiceProcess service(CprService service) {
        return services.get(service);
    }

    public Path baseDir() {
        return baseDir;
    }

    public WorldDescription describe() {
        Map<String, WorldDescription.Service> described = new LinkedHashMap<>();
        services.forEach((service, process) -> described.put(service.module(), new WorldDescription.Service(
                process.url(), process.pid().orElse(null), process.logFile().toString())));
        if (console != null) {
            described.put("console", new WorldDescription.Service(console.url(), console.pid().orElse(null),
                    console.logFile().toString()));
        }
        return new WorldDescription(ProcessHandle.current().pid(), baseDir.toString(), sandbox.describe(),
                slack.apiUrl(), described, tokens, pks.describe(),
                prometheus == null ? null : prometheus.describe(), sso == null ? null : sso.describe());
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (console != null) {
            console.close();
        }
        stopSecondReplicas();
        stopServices();
        fronts.values().forEach(ServiceFront::close);
        closeQuietly(sso);
        slack.close();
        try {
            pks.close();
            kubespray.close();
        } finally {
            sandbox.close();
        }
    }

    private void stopServices() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ServiceProcess process : services.values()) {
            stopping.add(CompletableFuture.runAsync(process::close));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    }

    /** Where start-up progress goes: stderr for the CLI, the test log in tests. */
    @FunctionalInterface
    public interface Progress {
        void say(String line);

        static Progress stderr() {
            return line -> System.err.println("[cpr] " + line);
        }
    }
}
