package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.RestoreDrill;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillJudge;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.drill.DrillTools;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotDigestStream;
import dev.cpr.backup.domain.snapshot.TrailerCheck;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Sha256;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.jboss.logging.Logger;

/**
 * The restore drill: proves a stored snapshot can become a working etcd again.
 * <ol>
 *   <li>read the stored file once: its sha256 must be the cataloged one, it must decompress, and etcd's
 *       trailing sha256 must match (a truncated or bit-flipped file stops here);</li>
 *   <li>{@code snapshot restore} into a scratch data dir with the tool of the drill's etcd release
 *       ({@code etcdctl} on 3.4, {@code etcdutl} from 3.5: {@link DrillTools}); the binaries are looked for beside
 *       the cluster's own etcd first, and an etcd older than the cluster's makes the drill inconclusive; a refusal
 *       means corrupt;</li>
 *   <li>start a scratch etcd on free loopback ports and count its keys (count-only range);</li>
 *   <li>compare revision and key count with the catalog ({@link DrillJudge}).</li>
 * </ol>
 * The scratch etcd is always stopped and its directory always deleted. A drill that cannot run for
 * reasons that are not the snapshot's (a binary missing, a port taken) is {@code INCONCLUSIVE}.
 */
@ApplicationScoped
public class SnapshotVerifier implements RestoreDrill {

    private static final Logger LOG = Logger.getLogger(SnapshotVerifier.class);
    private static final int LOG_TAIL = 600;

    private final BackupConfig.Drill config;
    private final ArtifactStore store;
    private final Clock clock;
    private final ClusterVersions versions;
    private final Map<String, EtcdVersion> binaryVersions = new ConcurrentHashMap<>();

    public SnapshotVerifier(BackupConfig config, ArtifactStore store, Clock clock) {
        this(config, store, clock, new ClusterVersions());
    }

    @Inject
    public SnapshotVerifier(BackupConfig config, ArtifactStore store, Clock clock, ClusterVersions versions) {
        this.config = config.drill();
        this.store = store;
        this.clock = clock;
        this.versions = versions;
    }

    /** Drills the stored artifact at {@code location}; {@code label} names it in logs (cluster and backup id). */
    public DrillResult drill(String label, String location, Compression compression, DrillExpectation expected) {
        return drill(label, location, compression, expected, null);
    }

    /**
     * As {@link #drill(String, String, Compression, DrillExpectation)}, with the tools of {@code cluster}'s etcd
     * release ({@code null}: the configured ones, whatever their release).
     */
    public DrillResult drill(String label, String location, Compression compression, DrillExpectation expected,
            ClusterSpec cluster) {
        return drill(label, location, compression, expected, cluster, null);
    }

    /**
     * As {@link #drill(String, String, Compression, DrillExpectation, ClusterSpec)}; when the snapshot verified,
     * {@code inScratch} (may be null) runs with the scratch etcd's client URL before it is stopped: the chain drill
     * replays the change log after the snapshot there.
     */
    public DrillResult drill(String label, String location, Compression compression, DrillExpectation expected,
            ClusterSpec cluster, Consumer<String> inScratch) {
        Instant start = clock.instant();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(scratchRoot(), "cpr-drill-");
            Path db = scratch.resolve("snapshot.db");
            Optional<String> unreadable = copyAndCheck(location, compression, expected.sha256(), db);
            if (unreadable.isPresent()) {
                return DrillResult.corrupt(unreadable.get(), since(start));
            }
            return restoreAndCount(label, scratch, db, expected, start, cluster, inScratch);
        } catch (IOException e) {
            return DrillResult.inconclusive("drill could not run: " + e, since(start));
        } finally {
            if (scratch != null) {
                deleteRecursively(scratch);
            }
        }
    }

    /** Empty when the file is intact, else why it is corrupt. */
    private Optional<String> copyAndCheck(String location, Compression compression, String expectedSha, Path db)
            throws IOException {
        MessageDigest stored = Sha256.digest();
        TrailerCheck check;
        try (InputStream raw = new DigestInputStream(store.open(location), stored);
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(db), 256 * 1024)) {
            SnapshotDigestStream snapshot = new SnapshotDigestStream(file);
            try {
                // not closed here: closing it would close raw, which is drained below and closed by the outer try
                InputStream in = compression.decompress(raw);
                in.transferTo(snapshot);
            } catch (ZipException | java.io.EOFException e) {
                return Optional.of("stored file does not decompress (" + compression.wire() + "): " + e.getMessage());
            }
            raw.transferTo(OutputStream.nullOutputStream());
            check = snapshot.finish();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.of("stored file " + location + " is missing");
        }
        String actualSha = HexFormat.of().formatHex(stored.digest());
        if (expectedSha != null && !expectedSha.equals(actualSha)) {
            return Optional.of("stored file's sha256 " + actualSha + " differs from the cataloged " + expectedSha
                    + (check.valid() ? "" : "; " + check.detail()));
        }
        return check.valid() ? Optional.empty() : Optional.of(check.detail());
    }

    private DrillResult restoreAndCount(String label, Path scratch, Path db, DrillExpectation expected, Instant start,
            ClusterSpec cluster, Consumer<String> inScratch) throws IOException {
        int peerPort = freePort();
        int clientPort = freePort();
        String peerUrl = "http://127.0.0.1:" + peerPort;
        String clientUrl = "http://127.0.0.1:" + clientPort;
        Path data = scratch.resolve("data");
        Path restoreLog = scratch.resolve("restore.log");

        List<String> beside = cluster == null ? List.of()
                : cluster.members().stream().map(MemberSpec::etcdBinary).toList();
        Optional<String> etcdBinary = firstExecutable(DrillTools.candidates("etcd", config.etcd(), beside));
        if (etcdBinary.isEmpty()) {
            return DrillResult.inconclusive(config.etcd() + " was not found", since(start));
        }
        Optional<EtcdVersion> etcdVersion = versionOf(etcdBinary.get());
        if (etcdVersion.isEmpty()) {
            return DrillResult.inconclusive("cannot tell the release of " + etcdBinary.get() + " (etcd --version)",
                    since(start));
        }
        Optional<String> cannot = DrillTools.cannotDrill(etcdVersion.get(),
                cluster == null ? Optional.empty() : versions.read(cluster));
        if (cannot.isPresent()) {
            return DrillResult.inconclusive(cannot.get(), since(start));
        }
        EtcdTools.Command command = DrillTools.restore(etcdVersion.get(), db.toString(), data.toString(), peerUrl);
        Optional<String> tool = firstExecutable(DrillTools.candidates(command.tool().binary(), configured(command.tool()),
                beside));
        if (tool.isEmpty()) {
            Optional<EtcdTools.Command> fallback = DrillTools.restoreWithEtcdctl(etcdVersion.get(), db.toString(),
                    data.toString(), peerUrl);
            tool = fallback.flatMap(c -> firstExecutable(DrillTools.candidates(c.tool().binary(), configured(c.tool()),
                    beside)));
            if (tool.isEmpty()) {
                return DrillResult.inconclusive("neither " + config.etcdutl() + " nor " + config.etcdctl()
                        + " was found (etcd " + etcdVersion.get() + " restores with " + command.tool().binary() + ")",
                        since(start));
            }
            command = fallback.get();
        }
        String tools = "etcd " + etcdVersion.get() + ", " + Path.of(tool.get()).getFileName() + " snapshot restore";
        Optional<String> restore = restore(command.argv(tool.get()), restoreLog);
        if (!restore.get().isEmpty()) {
            return DrillResult.corrupt("snapshot restore refused it (" + tools + "): " + restore.get(), since(start));
        }

        Path etcdLog = scratch.resolve("etcd.log");
        Process etcd;
        try {
            etcd = new ProcessBuilder(etcdBinary.get(), "--name", "drill", "--data-dir", data.toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "drill=" + peerUrl)
                    .redirectErrorStream(true).redirectOutput(etcdLog.toFile()).start();
        } catch (IOException e) {
            return DrillResult.inconclusive("cannot start " + etcdBinary.get() + ": " + e.getMessage(), since(start));
        }
        try {
            DrillResult result = countWhenUp(label, etcd, clientUrl, etcdLog, expected, start);
            if (inScratch != null && result.verdict() == DrillResult.Verdict.VERIFIED) {
                inScratch.accept(clientUrl);
            }
            return new DrillResult(result.verdict(), result.detail() + " (" + tools + ")", result.restoredRevision(),
                    result.restoredKeyCount(), result.duration());
        } finally {
            stop(etcd);
        }
    }

    private DrillResult countWhenUp(String label, Process etcd, String clientUrl, Path etcdLog, DrillExpectation expected,
            Instant start) {
        Instant deadline = clock.instant().plus(config.startTimeout());
        try (Client client = EtcdClients.forEndpoint(clientUrl, Duration.ofSeconds(1))) {
            while (clock.instant().isBefore(deadline)) {
                if (!etcd.isAlive()) {
                    String log = tail(etcdLog);
                    if (log.contains("address already in use")) {
                        return DrillResult.inconclusive("scratch etcd lost its port: " + log, since(start));
                    }
                    return DrillResult.corrupt("etcd would not start from the restored data (exit " + etcd.exitValue()
                            + "): " + log, since(start));
                }
                try {
                    GetResponse count = EtcdClients.countAll(client.getKVClient(), Duration.ofSeconds(1));
                    DrillResult result = DrillJudge.judge(expected, count.getHeader().getRevision(), count.getCount(),
                            since(start));
                    LOG.infof("%s: drill %s: %s", label, result.verdict(), result.detail());
                    return result;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DrillResult.inconclusive("interrupted", since(start));
        }
        return DrillResult.inconclusive("scratch etcd did not answer within " + config.startTimeout() + ": "
                + tail(etcdLog), since(start));
    }

    private String configured(EtcdTools.Tool tool) {
        return tool == EtcdTools.Tool.ETCDUTL ? config.etcdutl() : config.etcdctl();
    }

    private static Optional<String> firstExecutable(List<String> candidates) {
        return candidates.stream().map(SnapshotVerifier::onPath).flatMap(Optional::stream).findFirst();
    }

    /** {@code etcd --version} of this binary, asked once. */
    private Optional<EtcdVersion> versionOf(String etcd) {
        EtcdVersion known = binaryVersions.get(etcd);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            Process process = new ProcessBuilder(etcd, "--version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Optional<EtcdVersion> version = EtcdVersion.find(out);
            version.ifPresent(v -> binaryVersions.put(etcd, v));
            return version;
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs {@code snapshot restore}: an empty string on success, else the tool's output (why it refused). */
    private Optional<String> restore(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ETCDCTL_API", "3");
        Process process = builder.start();
        try {
            if (!process.waitFor(config.restoreTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.of("no result within " + config.restoreTimeout());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        return Optional.of(process.exitValue() == 0 ? "" : "exit " + process.exitValue() + ": " + tail(log));
    }

    /** The executable itself if it is a path, else the first match on PATH. */
    static Optional<String> onPath(String name) {
        if (name.contains("/")) {
            return Files.isExecutable(Path.of(name)) ? Optional.of(name) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private Path scratchRoot() throws IOException {
        Path root = Path.of(config.scratchDir().orElse(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(root);
        return root;
    }

    private static void stop(Process etcd) {
        etcd.destroy();
        try {
            if (!etcd.waitFor(5, TimeUnit.SECONDS)) {
                etcd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            etcd.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return text.length() <= LOG_TAIL ? text : "..." + text.substring(text.length() - LOG_TAIL);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warnf("could not delete %s: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("could not delete the scratch dir %s: %s", dir, e.getMessage());
        }
    }

}
