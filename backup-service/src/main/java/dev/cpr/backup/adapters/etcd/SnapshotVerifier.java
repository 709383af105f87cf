package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillJudge;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotDigestStream;
import dev.cpr.backup.domain.snapshot.TrailerCheck;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.jboss.logging.Logger;

/**
 * The restore drill: proves a stored snapshot can become a working etcd again.
 * <ol>
 *   <li>read the stored file once: its sha256 must be the cataloged one, it must decompress, and etcd's
 *       trailing sha256 must match (a truncated or bit-flipped file stops here);</li>
 *   <li>{@code etcdutl snapshot restore} (etcd 3.5+, when found) or {@code etcdctl snapshot restore} (3.4)
 *       into a scratch data dir; a refusal means corrupt;</li>
 *   <li>start a scratch etcd on free loopback ports and count its keys (count-only range);</li>
 *   <li>compare revision and key count with the catalog ({@link DrillJudge}).</li>
 * </ol>
 * The scratch etcd is always stopped and its directory always deleted. A drill that cannot run for
 * reasons that are not the snapshot's (a binary missing, a port taken) is {@code INCONCLUSIVE}.
 */
@ApplicationScoped
public class SnapshotVerifier {

    private static final Logger LOG = Logger.getLogger(SnapshotVerifier.class);
    private static final int LOG_TAIL = 600;

    private final BackupConfig.Drill config;
    private final ArtifactStore store;
    private final Clock clock;

    public SnapshotVerifier(BackupConfig config, ArtifactStore store, Clock clock) {
        this.config = config.drill();
        this.store = store;
        this.clock = clock;
    }

    /** Drills the stored artifact at {@code location}; {@code label} names it in logs (cluster and backup id). */
    public DrillResult drill(String label, String location, Compression compression, DrillExpectation expected) {
        Instant start = clock.instant();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(scratchRoot(), "cpr-drill-");
            Path db = scratch.resolve("snapshot.db");
            Optional<String> unreadable = copyAndCheck(location, compression, expected.sha256(), db);
            if (unreadable.isPresent()) {
                return DrillResult.corrupt(unreadable.get(), since(start));
            }
            return restoreAndCount(label, scratch, db, expected, start);
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
        MessageDigest stored = sha256();
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

    private DrillResult restoreAndCount(String label, Path scratch, Path db, DrillExpectation expected, Instant start)
            throws IOException {
        int peerPort = freePort();
        int clientPort = freePort();
        String peerUrl = "http://127.0.0.1:" + peerPort;
        String clientUrl = "http://127.0.0.1:" + clientPort;
        Path data = scratch.resolve("data");
        Path restoreLog = scratch.resolve("restore.log");

        Optional<String> restore = restore(db, data, peerUrl, restoreLog);
        if (restore.isEmpty()) {
            return DrillResult.inconclusive("neither " + config.etcdutl() + " nor " + config.etcdctl() + " was found",
                    since(start));
        }
        if (!restore.get().isEmpty()) {
            return DrillResult.corrupt("snapshot restore refused it: " + restore.get(), since(start));
        }

        Path etcdLog = scratch.resolve("etcd.log");
        Process etcd;
        try {
            etcd = new ProcessBuilder(config.etcd(), "--name", "drill", "--data-dir", data.toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "drill=" + peerUrl)
                    .redirectErrorStream(true).redirectOutput(etcdLog.toFile()).start();
        } catch (IOException e) {
            return DrillResult.inconclusive("cannot start " + config.etcd() + ": " + e.getMessage(), since(start));
        }
        try {
            return countWhenUp(label, etcd, clientUrl, etcdLog, expected, start);
        } finally {
            stop(etcd);
        }
    }

    private DrillResult countWhenUp(String label, Process etcd, String clientUrl, Path etcdLog, DrillExpectation expected,
            Instant start) {
        Instant deadline = clock.instant().plus(config.startTimeout());
        try (Client client = EtcdClients.forEndpoint(clientUrl, null, Duration.ofSeconds(1))) {
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

    /**
     * Runs {@code snapshot restore}. Empty when no tool was found; an empty string on success; else the tool's
     * output (why it refused).
     */
    private Optional<String> restore(Path db, Path data, String peerUrl, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        Optional<String> etcdutl = onPath(config.etcdutl());
        Optional<String> etcdctl = onPath(config.etcdctl());
        if (etcdutl.isPresent()) {
            command.add(etcdutl.get());
        } else if (etcdctl.isPresent()) {
            command.add(etcdctl.get());
        } else {
            return Optional.empty();
        }
        command.addAll(List.of("snapshot", "restore", db.toString(), "--data-dir", data.toString(), "--name", "drill",
                "--initial-cluster", "drill=" + peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster-token", "cpr-drill"));
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
