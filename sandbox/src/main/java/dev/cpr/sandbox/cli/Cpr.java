package dev.cpr.sandbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.Sandbox;
import dev.cpr.sandbox.prometheus.PrometheusServer;
import dev.cpr.sandbox.scenario.Scenario;
import dev.cpr.sandbox.scenario.ScenarioResult;
import dev.cpr.sandbox.scenario.Scenarios;
import java.io.IOException;
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
                   ./cpr up                                start the world (sandbox, PKS cluster, services) and leave it running
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
        int exit = switch (args[0]) {
            case "demo" -> demo(home, List.of(args).subList(1, args.length));
            case "up" -> up(home);
            case "serve" -> serve(home);
            case "down" -> down(home);
            case "status" -> status(home);
            default -> {
                System.err.println("unknown command '" + args[0] + "'\n" + usage());
                yield 2;
            }
        };
        System.exit(exit);
    }

    private static String usage() {
        StringBuilder out = new StringBuilder(USAGE);
        Scenarios.all().forEach(s -> out.append(String.format("  %-22s %s%n", s.name(), s.description())));
        return out.toString();
    }

    static int demo(CprHome home, List<String> args) throws IOException {
        boolean json = false;
        String only = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--json" -> json = true;
                case "--scenario" -> {
                    if (i + 1 >= args.size()) {
                        System.err.println("--scenario needs a name\n" + usage());
                        return 2;
                    }
                    only = args.get(++i);
                }
                default -> {
                    System.err.println("unknown option '" + args.get(i) + "'\n" + usage());
                    return 2;
                }
            }
        }
        List<Scenario> scenarios;
        if (only == null) {
            scenarios = Scenarios.all();
        } else {
            Optional<Scenario> named = Scenarios.named(only);
            if (named.isEmpty()) {
                System.err.println("unknown scenario '" + only + "'\n" + usage());
                return 2;
            }
            scenarios = List.of(named.get());
        }
        Path baseDir = home.stateDir().resolve("demo");
        LocalEtcdMember.deleteRecursively(baseDir);
        World.Progress progress = World.Progress.stderr();
        List<ScenarioResult> results = new ArrayList<>();
        try (World world = World.start(home, baseDir, false, Map.of(), progress)) {
            for (Scenario scenario : scenarios) {
                progress.say("scenario " + scenario.name() + ": " + scenario.description());
                ScenarioResult result = scenario.run(world, progress);
                results.add(result);
                System.out.println(json ? result.toJson() : human(result));
                System.out.flush();
            }
            progress.say("tearing the world down (logs stay in " + baseDir.resolve("logs") + ")");
        }
        return results.stream().allMatch(ScenarioResult::ok) ? 0 : 1;
    }

    private static String human(ScenarioResult r) {
        return String.format("%s %s: detected in %s ms, recovered in %s ms, keys %s -> %s%s",
                r.ok() ? "OK  " : "FAIL", r.get("scenario"), r.get("detected_ms"), r.get("recovered_ms"),
                r.get("keys_before"), r.get("keys_after"),
                r.get("error") != null ? " (" + r.get("error") + ")" : "");
    }

    /** Starts {@code serve} as a detached JVM and waits until it has written {@code sandbox.json}. */
    static int up(CprHome home) throws IOException, InterruptedException {
        Path description = home.descriptionFile();
        if (Files.exists(description)) {
            WorldDescription running = read(description);
            if (ProcessHandle.of(running.launcherPid()).map(ProcessHandle::isAlive).orElse(false)) {
                System.err.println("already up (pid " + running.launcherPid() + "); see " + description);
                return 0;
            }
            Files.delete(description);
        }
        Files.createDirectories(home.logDir());
        Path log = home.logDir().resolve("cpr-up.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        new ProcessBuilder(java, "-Xmx256m", "-Dcpr.home=" + home.root(), "-cp", System.getProperty("java.class.path"),
                Cpr.class.getName(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (!Files.exists(description)) {
            if (Instant.now().isAfter(deadline)) {
                System.err.println("the world did not come up within 4 minutes; see " + log);
                return 1;
            }
            Thread.sleep(250);
        }
        System.out.println(Files.readString(description));
        System.err.println("[cpr] up; './cpr down' stops it. Log: " + log);
        return 0;
    }

    /** The long-lived JVM behind {@code up}: holds the world until SIGTERM. */
    static int serve(CprHome home) throws IOException, InterruptedException {
        Path baseDir = home.stateDir().resolve("world");
        LocalEtcdMember.deleteRecursively(baseDir);
        World world = World.start(home, baseDir, true, Map.of(), World.Progress.stderr());
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
        world.services().values().forEach(s -> Optional.ofNullable(s.pid()).flatMap(ProcessHandle::of)
                .ifPresent(ProcessHandle::destroyForcibly));
        try {
            Sandbox.stop(world.sandbox());
        } finally {
            if (world.pks() != null) {
                Sandbox.stop(world.pks().asSandboxEtcd());
            }
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
