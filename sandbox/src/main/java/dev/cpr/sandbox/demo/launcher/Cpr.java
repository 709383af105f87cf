package dev.cpr.sandbox.demo.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.Sandbox;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.etcd.EtcdRelease;
import dev.cpr.sandbox.oidc.CprRealm;
import dev.cpr.sandbox.oidc.KeycloakServer;
import dev.cpr.sandbox.prometheus.PrometheusServer;
import dev.cpr.sandbox.demo.scenario.RepeatedRuns;
import dev.cpr.sandbox.demo.scenario.Scenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import dev.cpr.sandbox.demo.scenario.Scenarios;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.Processes;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./cpr}: {@code demo} runs the seeds' scenarios in a fresh local world and tears it down;
 * {@code up} starts the same world and leaves it running; {@code down} stops it; {@code status}
 * prints what is running.
 */
public final class Cpr {

    private static final String USAGE = """
            usage: ./cpr demo [--scenario NAME] [--json]   run the scenarios in a fresh local world, then tear it down
                   ./cpr demo --scenario NAME,NAME ...     only these scenarios, in this order
                   ./cpr demo --etcd 3.5 ...               the same on etcd 3.5 (Debian trixie's, fetched into a cache); 3.4 is the default
                   ./cpr demo --plain ...                  the sandbox and PKS clusters over plain HTTP (mutual TLS, --tls, is the default)
                   ./cpr demo --scenario NAME --repeat 5   run it 5 times, then one line with the median and max of its timings
                   ./cpr up                                start the world (sandbox, PKS cluster, services) and leave it running
                   ./cpr up --sso                          the same with a real OIDC provider (Keycloak): "Log in with SSO"
                   ./cpr down                              stop what 'up' started
                   ./cpr status                            print .cpr/sandbox.json of the running world, and
                                                           its BOSH deployment as the director lists it now
            scenarios:
            """;

    private static final ObjectMapper JSON = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Cpr() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(usage());
            System.exit(args.length == 0 ? 2 : 0);
        }
        CprHome home = CprHome.locate();
        int exit;
        try {
            exit = switch (args[0]) {
                case "demo" -> demo(home, List.of(args).subList(1, args.length));
                case "up" -> up(home, serveCommand(home, List.of(args).subList(1, args.length)), UP_TIMEOUT, System.err);
                case "serve" -> serve(home, List.of(args).subList(1, args.length));
                case "down" -> down(home);
                case "status" -> status(home);
                default -> {
                    System.err.println("unknown command '" + args[0] + "'\n" + usage());
                    yield 2;
                }
            };
        } catch (Exception e) {
            // whatever was started has been stopped by now (World.start cleans up after itself); say why, and exit,
            // rather than leave a JVM that some client library's thread keeps alive with nothing on the terminal
            System.err.println(failure(args[0], e, home));
            exit = 1;
        }
        System.exit(exit);
    }

    /** The message for a command that failed: what failed, and where the logs are. */
    static String failure(String command, Throwable e, CprHome home) {
        Path logs = command.equals("demo") ? home.stateDir().resolve("demo").resolve("logs")
                : command.equals("serve") ? home.stateDir().resolve("world").resolve("logs") : home.logDir();
        return "cpr: " + command + " failed: " + (e.getMessage() != null ? e.getMessage() : e.toString())
                + "\ncpr: logs: " + logs + " (servers' own logs under " + logs.getParent() + ")";
    }

    /**
     * The sandbox's verbs for the {@code cpr} command (module {@code cli}, which adds the operator's verbs): the exit
     * code of {@code demo}, {@code up}, {@code serve}, {@code down} or {@code status} (the sandbox's description).
     */
    public static int run(String verb, List<String> args) throws Exception {
        CprHome home = CprHome.locate();
        try {
            return switch (verb) {
                case "demo" -> demo(home, args);
                case "up" -> up(home, serveCommand(home, args), UP_TIMEOUT, System.err);
                case "serve" -> serve(home, args);
                case "down" -> down(home);
                case "status" -> status(home);
                default -> throw new IllegalArgumentException("not a sandbox verb: " + verb);
            };
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // as main(): whatever was started has been stopped; say why and where the logs are, never hang
            System.err.println(failure(verb, e, home));
            return 1;
        }
    }

    private static String usage() {
        StringBuilder out = new StringBuilder(USAGE);
        Scenarios.all().forEach(s -> out.append(String.format("  %-22s %s%n", s.name(), s.description())));
        return out.toString();
    }

    static int demo(CprHome home, List<String> args) throws IOException {
        boolean json = false;
        String only = null;
        int repeat = 1;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--json" -> json = true;
                case "--repeat" -> {
                    Optional<Integer> times = i + 1 < args.size() ? positive(args.get(i + 1)) : Optional.empty();
                    if (times.isEmpty()) {
                        System.err.println("--repeat needs a number of runs (1 to 50)\n" + usage());
                        return 2;
                    }
                    repeat = times.get();
                    i++;
                }
                case "--scenario" -> {
                    if (i + 1 >= args.size()) {
                        System.err.println("--scenario needs a name\n" + usage());
                        return 2;
                    }
                    only = args.get(++i);
                }
                // read by Sandbox.start and PksCluster.start: mutual TLS (the default; a tls: block in the inventory)
                // or plain HTTP
                case "--tls" -> System.setProperty(Sandbox.TLS_PROPERTY, "true");
                case "--plain" -> System.setProperty(Sandbox.TLS_PROPERTY, "false");
                case "--etcd" -> {
                    if (i + 1 >= args.size()) {
                        System.err.println("--etcd needs a release: 3.4 (the system's, the default) or 3.5\n" + usage());
                        return 2;
                    }
                    String release = args.get(++i);
                    try {
                        EtcdRelease.parse(release, "--etcd");
                    } catch (IllegalArgumentException e) {
                        System.err.println(e.getMessage());
                        return 2;
                    }
                    // read by every cluster the world starts (EtcdCluster.etcdBinary)
                    System.setProperty(EtcdRelease.PROPERTY, release);
                }
                default -> {
                    System.err.println("unknown option '" + args.get(i) + "'\n" + usage());
                    return 2;
                }
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        if (only == null) {
            scenarios.addAll(Scenarios.all());
        } else {
            for (String name : only.split(",")) {
                Optional<Scenario> named = Scenarios.named(name.trim());
                if (named.isEmpty()) {
                    System.err.println("unknown scenario '" + name.trim() + "'\n" + usage());
                    return 2;
                }
                scenarios.add(named.get());
            }
        }
        Path baseDir = home.stateDir().resolve("demo");
        LocalEtcdMember.deleteRecursively(baseDir);
        World.Progress progress = World.Progress.stderr();
        progress.say("etcd " + EtcdRelease.requested().orElse(EtcdRelease.SYSTEM) + ": " + EtcdCluster.etcdBinary()
                + (Sandbox.tlsEnabled() ? ", over mutual TLS" : ", over plain HTTP"));
        List<ScenarioResult> results = new ArrayList<>();
        try (World world = World.start(home, baseDir, false, Map.of(), progress)) {
            for (Scenario scenario : scenarios) {
                List<ScenarioResult> runs = new ArrayList<>();
                for (int run = 1; run <= repeat; run++) {
                    progress.say("scenario " + scenario.name() + (repeat > 1 ? " (run " + run + " of " + repeat + ")"
                            : "") + ": " + scenario.description());
                    ScenarioResult result = scenario.run(world, progress);
                    runs.add(result);
                    System.out.println(json ? result.toJson() : human(result));
                    System.out.flush();
                }
                results.addAll(runs);
                if (repeat > 1) {
                    ScenarioResult summary = RepeatedRuns.summarise(scenario.name(), runs);
                    System.out.println(json ? summary.toJson() : humanSummary(summary));
                    System.out.flush();
                }
            }
            progress.say("tearing the world down (logs stay in " + baseDir.resolve("logs") + ")");
        }
        return results.stream().allMatch(ScenarioResult::ok) ? 0 : 1;
    }

    private static Optional<Integer> positive(String text) {
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= 50 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String humanSummary(ScenarioResult s) {
        return String.format("%s %s: %s of %s ok; detected median %s ms, max %s ms; recovered median %s ms, max %s ms",
                s.ok() ? "OK  " : "FAIL", s.get("scenario"), s.get("ok_runs"), s.get("runs"),
                s.get("detected_ms_median"), s.get("detected_ms_max"), s.get("recovered_ms_median"),
                s.get("recovered_ms_max"));
    }

    private static String human(ScenarioResult r) {
        return String.format("%s %s: detected in %s ms, recovered in %s ms, keys %s -> %s%s",
                r.ok() ? "OK  " : "FAIL", r.get("scenario"), r.get("detected_ms"), r.get("recovered_ms"),
                r.get("keys_before"), r.get("keys_after"),
                r.get("error") != null ? " (" + r.get("error") + ")" : "");
    }

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);

    /** {@code serve} in a JVM of its own, with {@code up}'s options ({@code --sso}) passed on. */
    private static List<String> serveCommand(CprHome home, List<String> upArgs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dcpr.home=" + home.root(), "-cp",
                System.getProperty("java.class.path"), Cpr.class.getName(), "serve"));
        command.addAll(upArgs);
        return command;
    }

    /**
     * Starts {@code serve} (given as {@code command}) as a detached JVM and waits until it has written
     * {@code sandbox.json}. If it exits first, or is not up within {@code timeout} (then it and whatever it
     * started are stopped), says why on {@code err} with the log's end and path, and returns 1.
     */
    static int up(CprHome home, List<String> command, Duration timeout, PrintStream err)
            throws IOException, InterruptedException {
        Path description = home.descriptionFile();
        if (Files.exists(description)) {
            WorldDescription running = read(description);
            if (ProcessHandle.of(running.launcherPid()).map(ProcessHandle::isAlive).orElse(false)) {
                err.println("already up (pid " + running.launcherPid() + "); see " + description);
                return 0;
            }
            Files.delete(description);
        }
        Files.createDirectories(home.logDir());
        Path log = home.logDir().resolve("cpr-up.log");
        Files.deleteIfExists(log); // this start's log only, so its end is this start's cause
        Process serve = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        err.println("[cpr] starting the world (its progress: " + log + ")");
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.exists(description)) {
            if (serve.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                err.println("cpr: up failed: the world did not come up (its launcher exited with code "
                        + serve.exitValue() + ")\n" + Logs.tail(log, 30) + "\ncpr: log: " + log);
                return 1;
            }
            if (Instant.now().isAfter(deadline)) {
                stopWithDescendants(serve.toHandle());
                err.println("cpr: up failed: the world did not come up within " + timeout.toSeconds()
                        + " s; stopped what it had started\n" + Logs.tail(log, 30) + "\ncpr: log: " + log);
                return 1;
            }
        }
        System.out.println(Files.readString(description));
        WorldDescription up = read(description);
        if (up.services().containsKey("console")) {
            err.println("[cpr] dashboard: " + up.services().get("console").url() + "/ (log in with a token "
                    + "above); './cpr status', './cpr plans', ... talk to it");
        }
        if (up.sso() != null) {
            err.println("[cpr] SSO through " + up.sso().issuer() + ": 'Log in with SSO' as " + CprRealm.LOGINS.stream()
                    .map(l -> l.username() + " / " + l.password() + " (" + l.role() + ")")
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        err.println("[cpr] up; './cpr down' stops it. Log: " + log);
        return 0;
    }

    /** The launcher first, so it starts nothing more; then its children (etcd, Kafka, PostgreSQL, services), which would outlive it. */
    private static void stopWithDescendants(ProcessHandle launcher) {
        List<ProcessHandle> children = launcher.descendants().toList();
        Processes.stop(launcher, Duration.ofSeconds(5));
        children.forEach(child -> Processes.stop(child, Duration.ofSeconds(5)));
    }

    /** The long-lived JVM behind {@code up}: holds the world until SIGTERM. */
    static int serve(CprHome home, List<String> args) throws IOException, InterruptedException {
        for (String arg : args) {
            if (!arg.equals("--sso")) {
                System.err.println("unknown option '" + arg + "' (up takes --sso)\n" + usage());
                return 2;
            }
        }
        Path baseDir = home.stateDir().resolve("world");
        LocalEtcdMember.deleteRecursively(baseDir);
        World world = World.start(home, baseDir, true, Map.of(), args.contains("--sso"), World.Progress.stderr());
        try {
            world.startConsole(true, World.Progress.stderr());
        } catch (RuntimeException e) {
            // the world is still of use without its dashboard; say why there is none
            System.err.println("[cpr] the console did not start: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("[cpr] stopping the world");
            world.close();
            try {
                Files.deleteIfExists(home.descriptionFile());
            } catch (IOException ignored) {
                // nothing left to do about it while shutting down
            }
            stopped.countDown();
        }));
        Path tmp = home.descriptionFile().resolveSibling("sandbox.json.tmp");
        JSON.writeValue(tmp.toFile(), world.describe());
        Files.move(tmp, home.descriptionFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.err.println("[cpr] world is up; description in " + home.descriptionFile());
        stopped.await();
        return 0;
    }

    static int down(CprHome home) throws IOException {
        Path description = home.descriptionFile();
        if (!Files.exists(description)) {
            System.err.println("nothing is up (no " + description + ")");
            return 0;
        }
        WorldDescription world = read(description);
        Optional<ProcessHandle> launcher = ProcessHandle.of(world.launcherPid()).filter(ProcessHandle::isAlive);
        if (launcher.isPresent()) {
            launcher.get().destroy();
            try {
                launcher.get().onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                launcher.get().destroyForcibly();
            }
        }
        // whatever survived the launcher (it was killed, say) is stopped from the description
        PrometheusServer.stop(world.prometheus());
        KeycloakServer.stop(world.sso());
        world.services().values().forEach(s -> Optional.ofNullable(s.pid()).flatMap(ProcessHandle::of)
                .ifPresent(ProcessHandle::destroyForcibly));
        try {
            Sandbox.stop(world.sandbox());
        } finally {
            if (world.pks() != null) {
                Sandbox.stop(world.pks().asSandboxEtcd());
            }
            KubesprayCluster.stopLeftovers(Path.of(world.baseDir()).resolve(World.KUBESPRAY_DIR));
        }
        Files.deleteIfExists(description);
        System.err.println("[cpr] down");
        return 0;
    }

    static int status(CprHome home) throws IOException {
        if (!Files.exists(home.descriptionFile())) {
            System.err.println("nothing is up");
            return 1;
        }
        System.out.println(Files.readString(home.descriptionFile()));
        WorldDescription world = read(home.descriptionFile());
        if (world.pks() != null) {
            // stderr: stdout stays the JSON file, for scripts
            System.err.print(BoshStatus.of(world.pks()).render());
        }
        return 0;
    }

    private static WorldDescription read(Path file) throws IOException {
        return EventCodec.mapper().readValue(file.toFile(), WorldDescription.class);
    }
}
