package dev.cpr.sandbox.kafka;

import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller, one node) in its own JVM:
 * {@code java -cp <kafka-libs>/*:<sandbox> KafkaMain <cluster-id> server.properties}, which runs
 * {@code kafka.tools.StorageTool format} and then {@code kafka.Kafka} in that one JVM.
 * The broker's jars are {@code sandbox/target/kafka-libs} (copied by the sandbox build), found through
 * {@link #locateLibs()}. Its output goes to {@code <dir>/kafka.log}, its pid to {@code <dir>/kafka.pid}.
 *
 * <p>The topics {@link #TOPICS} are created with {@value #PARTITIONS} partitions; other topics (the
 * dead-letter topics) are auto-created on first use, also with {@value #PARTITIONS} partitions.
 * The broker outlives this JVM unless {@link #close()} is called.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final List<String> TOPICS = List.of(Topics.INCIDENTS, Topics.BACKUPS, Topics.RECOVERIES,
            Topics.APPROVALS);
    public static final int PARTITIONS = 3;
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** System property naming the broker's jar directory. */
    public static final String LIBS_PROPERTY = "cpr.sandbox.kafka-libs";
    /** Environment variable naming the broker's jar directory. */
    public static final String LIBS_ENV = "CPR_KAFKA_LIBS";

    private static final List<String> JVM_FLAGS = List.of(
            "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config=warn");

    private final Path libs;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final boolean dieWithThisJvm;
    /** The storage is formatted with it, so a start again must name it too. */
    private final String clusterId = Uuid.randomUuid().toString();
    /** Replaced by {@link #startAgain()}: the broker keeps its ports and data, not its process. */
    private volatile Process process;

    private KafkaBroker(Path libs, Path dir, int port, int controllerPort, boolean dieWithThisJvm) {
        this.libs = libs;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dieWithThisJvm = dieWithThisJvm;
    }

    /**
     * Formats a fresh log directory under {@code baseDir}, starts the broker on free loopback ports, waits
     * until it answers, and creates {@link #TOPICS}.
     *
     * @throws IllegalStateException if the jars cannot be found or the broker is not ready in time (the
     *                               message carries the log tail)
     */
    public static KafkaBroker start(Path baseDir) {
        return start(baseDir, false);
    }

    /**
     * As {@link #start(Path)}; with {@code dieWithThisJvm} the broker also shuts itself down when this JVM is
     * gone, however it ended (used by the test resources, so a killed test JVM leaves no broker behind).
     */
    public static KafkaBroker start(Path baseDir, boolean dieWithThisJvm) {
        return start(baseDir, dieWithThisJvm, () -> Ports.free(2));
    }

    /**
     * As {@link #start(Path, boolean)}, on the two ports (client, controller) {@code ports} picks: picked afresh
     * for each attempt, since one may be taken by another process before the broker binds it.
     */
    static KafkaBroker start(Path baseDir, boolean dieWithThisJvm, Supplier<List<Integer>> ports) {
        Path libs = locateLibs();
        Path dir = baseDir.toAbsolutePath().normalize();
        return Ports.retryIfTaken("Kafka", () -> startOnce(libs, dir, dieWithThisJvm, ports.get()));
    }

    private static KafkaBroker startOnce(Path libs, Path dir, boolean dieWithThisJvm, List<Integer> ports) {
        KafkaBroker broker = new KafkaBroker(libs, dir, ports.get(0), ports.get(1), dieWithThisJvm);
        try {
            stopLeftover(dir);
            Processes.deleteRecursively(broker.dataDir());
            Files.createDirectories(dir);
            Files.deleteIfExists(broker.logFile());
            writeProperties(dir.resolve("server.properties"), broker.dataDir(), broker.port, broker.controllerPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka under " + dir + ": " + e, e);
        }
        broker.launch();
        return broker;
    }

    /**
     * Stops the broker (controlled shutdown, as {@link #close()}) and keeps its data, for {@link #startAgain()}: the
     * restart an operator makes, for tests of what cpr does while Kafka is away.
     */
    public void stopKeepingData() {
        close();
    }

    /**
     * Starts the stopped broker again on the same ports with its data (topics, committed offsets, unread records) as
     * it was, and waits until it answers.
     *
     * @throws IllegalStateException if it is still running, or does not answer in time (with the log's tail)
     */
    public void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka at " + bootstrapServers() + " is running: stop it first");
        }
        launch();
    }

    /** Starts the broker's JVM on this broker's properties and data, and waits until it answers with the topics. */
    private void launch() {
        Path log = logFile();
        Process started = null;
        try {
            List<String> jvmFlags = dieWithThisJvm
                    ? List.of("-D" + KafkaMain.PARENT_PID + "=" + ProcessHandle.current().pid())
                    : List.of();
            started = new ProcessBuilder(command(libs, jvmFlags, KafkaMain.class.getName(),
                    clusterId, dir.resolve("server.properties").toString()))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            process = started;
            Files.writeString(pidFile(), Long.toString(started.pid()));
            awaitReadyAndCreateTopics(START_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                Processes.stop(started.toHandle(), Duration.ofSeconds(2));
            }
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot start Kafka under " + dir + ": " + e + "\n" + Logs.tail(log, 30), e);
        }
    }

    /**
     * The broker's jar directory: system property {@value #LIBS_PROPERTY}, else env {@value #LIBS_ENV}, else
     * {@code sandbox/target/kafka-libs} found by walking up from {@code user.dir}.
     */
    public static Path locateLibs() {
        List<Path> tried = new ArrayList<>();
        String configured = Optional.ofNullable(System.getProperty(LIBS_PROPERTY))
                .filter(s -> !s.isBlank())
                .orElse(System.getenv(LIBS_ENV));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (hasKafkaJar(dir)) {
                return dir;
            }
            tried.add(dir);
        } else {
            for (Path at = Path.of(System.getProperty("user.dir")).toAbsolutePath(); at != null; at = at.getParent()) {
                Path dir = at.resolve("sandbox").resolve("target").resolve("kafka-libs");
                if (hasKafkaJar(dir)) {
                    return dir;
                }
                tried.add(dir);
                Path self = at.resolve("target").resolve("kafka-libs");
                if (at.getFileName() != null && at.getFileName().toString().equals("sandbox") && hasKafkaJar(self)) {
                    return self;
                }
            }
        }
        throw new IllegalStateException("the Kafka broker's jars (kafka_2.13-*.jar) were not found; tried " + tried
                + ". Build them with `./mvnw -pl contracts,sandbox package -DskipTests` (they land in "
                + "sandbox/target/kafka-libs), or point -D" + LIBS_PROPERTY + " / " + LIBS_ENV + " at such a directory");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("kafka.log");
    }

    public Path pidFile() {
        return dir.resolve("kafka.pid");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    /**
     * Takes every static member whose {@code group.instance.id} starts with the prefix out of its consumer groups, as
     * a scale-down should: a stopped or killed static member otherwise keeps its partitions until its session times
     * out (10 to 45 s for cpr's channels), and nothing reads them meanwhile. Returns the {@code group/instance} removed.
     */
    public List<String> removeStaticMembers(String instanceIdPrefix) {
        List<String> removed = new ArrayList<>();
        try (Admin admin = admin()) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).toList();
            var described = admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
            for (var group : described.values()) {
                List<org.apache.kafka.clients.admin.MemberToRemove> members = group.members().stream()
                        .flatMap(m -> m.groupInstanceId().stream())
                        .filter(id -> id.startsWith(instanceIdPrefix))
                        .map(org.apache.kafka.clients.admin.MemberToRemove::new).toList();
                if (!members.isEmpty()) {
                    admin.removeMembersFromConsumerGroup(group.groupId(),
                                    new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions(members))
                            .all().get(30, TimeUnit.SECONDS);
                    members.forEach(m -> removed.add(group.groupId() + "/" + m.groupInstanceId()));
                }
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not remove the static members " + instanceIdPrefix + "* from their "
                    + "consumer groups: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted removing static members " + instanceIdPrefix + "*", e);
        }
        return removed;
    }

    /** A new admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    /** Stops the broker: SIGTERM (controlled shutdown), SIGKILL after 10 s. */
    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops a broker started by another JVM, given its pid (the process must be a {@code kafka.Kafka} JVM).
     *
     * @return whether a broker was running and has been stopped
     */
    public static boolean stop(long pid) {
        return Processes.find(pid, "kafka.Kafka").map(p -> Processes.stop(p, Duration.ofSeconds(10))).orElse(false);
    }

    private void awaitReadyAndCreateTopics(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // wait for the listener before creating a client, so the client does not log a refused connection per try
        while (!Ports.accepts(port)) {
            failIfPortTaken();
            if (!process.isAlive()) {
                failIfPortTaken(); // it may have logged the bind failure and exited since the check above
                throw new IllegalStateException("Kafka exited with code " + process.exitValue()
                        + " during start-up\n" + Logs.tail(logFile(), 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka did not listen on " + bootstrapServers() + " within "
                        + timeout.toSeconds() + " s\n" + Logs.tail(logFile(), 40));
            }
            sleepQuietly(50);
        }
        try (Admin admin = admin()) {
            Exception last = null;
            while (true) {
                failIfPortTaken();
                if (!process.isAlive()) {
                    failIfPortTaken();
                    throw new IllegalStateException("Kafka exited with code " + process.exitValue()
                            + " during start-up\n" + Logs.tail(logFile(), 40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka at " + bootstrapServers() + " not ready after "
                            + timeout.toSeconds() + " s (last error: " + last + ")\n" + Logs.tail(logFile(), 40));
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000)).nodes()
                            .get(2, TimeUnit.SECONDS).isEmpty()) {
                        break;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
            List<NewTopic> topics = TOPICS.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
            var results = admin.createTopics(topics).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in time\n" + Logs.tail(logFile(), 40), e);
        }
    }

    /**
     * A port taken by another process between choosing and binding it: Kafka logs the bind failure (and may
     * then take a while to exit), while whatever holds the port may even accept connections on it.
     */
    private void failIfPortTaken() {
        if (Ports.logSaysPortTaken(logFile())) {
            throw new PortTakenException("Kafka could not bind " + bootstrapServers() + " or controller port "
                    + controllerPort + ": taken by another process\n" + Logs.tail(logFile(), 20));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void stopLeftover(Path dir) {
        Processes.readPid(dir.resolve("kafka.pid")).ifPresent(KafkaBroker::stop);
    }

    private static void writeProperties(Path file, Path dataDir, int port, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toString());
        p.setProperty("num.partitions", Integer.toString(PARTITIONS));
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // one node: every internal topic with one replica, and few partitions so the first group join is quick
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "cpr sandbox: single-node KRaft broker + controller");
        }
    }

    private static List<String> command(Path libs, List<String> extraFlags, String mainClass, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_FLAGS);
        argv.addAll(extraFlags);
        argv.add("-cp");
        argv.add(libs.resolve("*") + File.pathSeparator + ownCodeSource());
        argv.add(mainClass);
        argv.addAll(List.of(args));
        return argv;
    }

    /** The sandbox's own jar or classes directory, which holds {@link KafkaMain}. */
    private static String ownCodeSource() {
        try {
            return Path.of(KafkaMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the sandbox's own classes for the Kafka JVM", e);
        }
    }

    private static boolean hasKafkaJar(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            return false;
        }
    }
}
