package dev.cpr.sandbox.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.sandbox.support.HttpReadiness;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real Prometheus (Debian's {@code prometheus} binary) run as a process on a free loopback port, like the sandbox's
 * etcd members: it scrapes the cpr services' {@code /q/metrics} (one job per service, named after it, as a
 * ServiceMonitor would) every {@code interval} and evaluates cpr's alert rules ({@code deploy/prometheus/cpr-rules.yml},
 * copied in unchanged) at the same interval. The sandbox's short interval only makes it look more often; the rules
 * and their {@code for:} durations are production's.
 *
 * <p>Every replica of a service is a target of its job, labelled {@code replica} with the replica's id. The targets
 * are read from one file per job ({@code targets/<job>.json}, Prometheus' file-based discovery), so
 * {@link #scrape(List)} changes them while Prometheus runs, as a second replica starts or stops, without a restart.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String BINARY = "prometheus";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One replica to scrape: its job (the service's name), its replica id and {@code host:port}. */
    public record Target(String job, String replica, String hostPort) {
    }

    /** Where it runs, for {@code sandbox.json} and {@code ./cpr down}. */
    public record Description(String url, Long pid, String config, String log) {
    }

    private final Process process;
    private final int port;
    private final Path config;
    private final Path log;
    private final List<String> jobs;

    private PrometheusServer(Process process, int port, Path config, Path log, List<String> jobs) {
        this.process = process;
        this.port = port;
        this.config = config;
        this.log = log;
        this.jobs = jobs;
    }

    /**
     * Writes the configuration into {@code dir}, starts Prometheus and returns once it is ready.
     *
     * @throws IllegalStateException if the binary is missing (saying what to install) or it does not become ready
     */
    public static PrometheusServer start(Path dir, Path rulesFile, List<Target> targets, Duration interval)
            throws IOException {
        if (!Files.isRegularFile(rulesFile)) {
            throw new IllegalStateException("the alert rules " + rulesFile + " are missing");
        }
        Files.createDirectories(dir.resolve("data"));
        Files.copy(rulesFile, dir.resolve("cpr-rules.yml"), StandardCopyOption.REPLACE_EXISTING);
        Path config = dir.resolve("prometheus.yml");
        List<String> jobs = jobs(targets);
        Files.writeString(config, config(jobs, interval));
        writeTargets(dir, jobs, targets);
        Path log = dir.resolve("prometheus.log");
        int port = Ports.free();
        List<String> command = List.of(BINARY,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1d",
                "--log.level=warn");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("prometheus is needed for the sandbox's alerts and is not on the PATH "
                    + "(Debian/Ubuntu: apt-get install prometheus; .ci/run installs it when missing)", e);
        }
        Files.writeString(dir.resolve("prometheus.pid"), Long.toString(process.pid()));
        PrometheusServer server = new PrometheusServer(process, port, config, log, jobs);
        try {
            server.awaitReady(START_TIMEOUT);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static List<String> jobs(List<Target> targets) {
        return targets.stream().map(Target::job).distinct().toList();
    }

    /**
     * The configuration: global intervals, the rules file beside it, one job per service whose targets come from its
     * file ({@link #targetsFile}), re-read when it changes (and every 5 s should a change notification be missed).
     */
    static String config(List<String> jobs, Duration interval) {
        String every = interval.toMillis() + "ms";
        StringBuilder yaml = new StringBuilder()
                .append("# written by the cpr sandbox: scrapes the services, evaluates cpr's alert rules\n")
                .append("global: {scrape_interval: ").append(every).append(", scrape_timeout: ").append(every)
                .append(", evaluation_interval: ").append(every).append("}\n")
                .append("rule_files: [cpr-rules.yml]\n")
                .append("scrape_configs:\n");
        for (String job : jobs) {
            yaml.append("  - job_name: ").append(job).append('\n')
                    .append("    metrics_path: /q/metrics\n")
                    .append("    file_sd_configs: [{files: ['").append(targetsFile(job)).append("'], ")
                    .append("refresh_interval: 5s}]\n");
        }
        return yaml.toString();
    }

    /** A job's targets file, relative to the configuration (Prometheus resolves it against the config's directory). */
    static String targetsFile(String job) {
        return "targets/" + job + ".json";
    }

    /** A job's targets in file_sd's JSON: one group per replica, labelled with the replica's id. */
    static String targetsJson(String job, List<Target> targets) {
        ArrayNode groups = JSON.createArrayNode();
        for (Target target : targets) {
            if (target.job().equals(job)) {
                ObjectNode group = groups.addObject();
                group.putArray("targets").add(target.hostPort());
                group.putObject("labels").put("replica", target.replica());
            }
        }
        return groups.toPrettyString();
    }

    /**
     * Scrapes exactly these replicas from now on (Prometheus picks the change up within a few seconds). Every target's
     * job must be one Prometheus was started with; a job given no target is scraped nowhere.
     */
    public void scrape(List<Target> targets) throws IOException {
        List<String> unknown = jobs(targets).stream().filter(j -> !jobs.contains(j)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("jobs " + unknown + " are not in the configuration (" + jobs + ")");
        }
        writeTargets(config.getParent(), jobs, targets);
    }

    private static void writeTargets(Path dir, List<String> jobs, List<Target> targets) throws IOException {
        Files.createDirectories(dir.resolve("targets"));
        for (String job : jobs) {
            Path file = dir.resolve(targetsFile(job));
            Path written = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(written, targetsJson(job, targets));
            // moved into place whole: Prometheus never reads a half-written file
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The rules file Prometheus evaluates (the copy beside its configuration). */
    public Path rulesFile() {
        return config.resolveSibling("cpr-rules.yml");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Description describe() {
        return new Description(url(), process.isAlive() ? process.pid() : null, config.toString(), log.toString());
    }

    /** {@code GET /api/v1/alerts}: the alerts now pending or firing (the {@code alerts} array of its data). */
    public JsonNode alerts() throws IOException, InterruptedException {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    /** The state ({@code pending}, {@code firing}) of the named alert with this label, if it is active. */
    public Optional<String> alertState(String alertName, String label, String value) throws IOException,
            InterruptedException {
        for (JsonNode alert : alerts()) {
            JsonNode labels = alert.path("labels");
            if (alertName.equals(labels.path("alertname").asText()) && value.equals(labels.path(label).asText())) {
                return Optional.of(alert.path("state").asText());
            }
        }
        return Optional.empty();
    }

    /** {@code GET /api/v1/query}: the result vector of an instant query. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    /** {@code GET /api/v1/rules}: the rule groups Prometheus loaded. */
    public JsonNode ruleGroups() throws IOException, InterruptedException {
        return get("/api/v1/rules").path("data").path("groups");
    }

    /** {@code GET /api/v1/targets}: the active scrape targets with their health. */
    public JsonNode targets() throws IOException, InterruptedException {
        return get("/api/v1/targets?state=active").path("data").path("activeTargets");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("prometheus GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void awaitReady(Duration timeout) {
        boolean ready = HttpReadiness.await(HTTP, URI.create(url() + "/-/ready"), timeout, Duration.ofMillis(200),
                "prometheus", () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("prometheus exited during start-up (code "
                                + process.exitValue() + "); see " + log + ":\n" + tail());
                    }
                });
        if (!ready) {
            throw new IllegalStateException("prometheus was not ready within " + timeout.toSeconds() + " s; see " + log
                    + ":\n" + tail());
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops a Prometheus described by {@link #describe()} from any JVM ({@code ./cpr down}). */
    public static void stop(Description description) {
        if (description != null && description.pid() != null) {
            Processes.find(description.pid(), BINARY).ifPresent(p -> Processes.stop(p, Duration.ofSeconds(10)));
        }
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
    }

    /** For error messages. */
    @Override
    public String toString() {
        return "prometheus " + url() + " (pid " + process.pid() + ")";
    }
}
