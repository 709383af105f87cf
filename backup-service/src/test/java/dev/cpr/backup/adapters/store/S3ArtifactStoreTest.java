package dev.cpr.backup.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.adapters.etcd.JetcdSnapshotSource;
import dev.cpr.backup.adapters.etcd.SnapshotVerifier;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotDigestStream;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3ArtifactStore} against a real S3-compatible server: S3Proxy (Maven Central {@code org.gaul:s3proxy},
 * filesystem backend, AWS v4 signatures) started as its own process for this class.
 */
class S3ArtifactStoreTest {

    private static final String BUCKET = "cpr-backups";
    private static Process s3proxy;
    private static Path dir;
    private static S3Client s3;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        String jar = System.getProperty("cpr.test.s3proxy.jar", "target/s3proxy/s3proxy.jar");
        assertThat(Path.of(jar)).as("S3Proxy, copied by the pom's maven-dependency-plugin").exists();
        dir = Files.createTempDirectory("cpr-s3proxy-");
        Files.createDirectories(dir.resolve("data"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=cpr-test",
                "s3proxy.credential=cpr-test-secret",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data")) + "\n");
        s3proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar, "--properties", dir.resolve("s3proxy.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers(port)) {
            assertThat(s3proxy.isAlive()).as(Files.readString(dir.resolve("s3proxy.log"))).isTrue();
            assertThat(System.nanoTime()).as("S3Proxy listening within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("cpr-test", "cpr-test-secret")))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.destroy();
            if (!s3proxy.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aMultipartArtifactIsInvisibleUntilCommittedAndReadsBackByteForByte() throws Exception {
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, "cpr/", S3ArtifactStore.MIN_PART_SIZE);
        byte[] data = new byte[12 * 1024 * 1024 + 12345]; // three parts: 5 MiB, 5 MiB, the rest
        new Random(7).nextBytes(data);
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin("c1", "big.db")) {
            try (OutputStream out = pending.output()) {
                for (int off = 0; off < data.length; off += 32 * 1024) {
                    out.write(data, off, Math.min(32 * 1024, data.length - off));
                }
            }
            assertThat(store.list("c1")).as("not visible before commit").isEmpty();

            location = pending.commit();
        }

        assertThat(location).isEqualTo("c1/big.db");
        assertThat(store.list("c1")).containsExactly("c1/big.db");
        assertThat(store.size(location)).isEqualTo(data.length);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("cpr/c1/big.db")).contentLength()).isEqualTo(data.length);
        try (InputStream in = store.open(location)) {
            assertThat(sha256(in)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        }
        assertThat(store.localPath(location)).as("no local file: downloads stream from open()").isEmpty();

        assertThat(store.delete(location)).isTrue();
        assertThat(store.delete(location)).isFalse();
        assertThat(store.list("c1")).isEmpty();
        assertThatThrownBy(() -> store.open(location)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void aDiscardedUploadIsAbortedAndLeavesNoObject() throws Exception {
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, "cpr/", S3ArtifactStore.MIN_PART_SIZE);
        try (ArtifactStore.PendingArtifact pending = store.begin("c2", "gone.db")) {
            pending.output().write(new byte[6 * 1024 * 1024]); // one part already uploaded
        }

        assertThat(store.list("c2")).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("cpr/c2/")).uploads())
                .as("the multipart upload was aborted").isEmpty();
    }

    @Test
    void locationsOutsideTheStoreAreRefused() {
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, "cpr", S3ArtifactStore.MIN_PART_SIZE);

        assertThatThrownBy(() -> store.open("c1/../../other/x")).hasMessageContaining("outside the artifact store");
        assertThatThrownBy(() -> store.begin("..", "x.db")).hasMessageContaining("outside the artifact store");
        assertThat(store.describe()).isEqualTo("s3://cpr-backups/cpr/");
    }

    @Test
    void aRealEtcdSnapshotStreamsIntoTheBucketKeepsEtcdsTrailingHashAndPassesItsDrillFromThere() throws Exception {
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, "snapshots/", S3ArtifactStore.MIN_PART_SIZE);
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "s3-test", 1)) {
            etcd.putKeys("/s3/", 2000);
            SnapshotTaker taker = new SnapshotTaker(new JetcdSnapshotSource(Duration.ofSeconds(3), Duration.ofMinutes(2)),
                    store, Clock.systemUTC());

            TakenSnapshot taken = taker.take(etcd.spec(), "snap", Compression.NONE, m -> { });

            assertThat(taken.location()).isEqualTo("s3-test/snap.db");
            assertThat(taken.before().keyCount()).isEqualTo(2000);
            assertThat(store.size(taken.location())).isEqualTo(taken.sizeBytes());
            SnapshotDigestStream check = new SnapshotDigestStream(OutputStream.nullOutputStream());
            try (InputStream in = store.open(taken.location())) {
                in.transferTo(check);
            }
            assertThat(check.finish().valid()).isTrue();
            assertThat(check.wholeSha256()).isEqualTo(taken.sha256());

            // the restore drill reads the object back from the bucket, restores it into a scratch etcd and counts
            DrillResult drill = new SnapshotVerifier(drillConfig(), store, Clock.systemUTC()).drill("s3 test",
                    taken.location(), Compression.NONE, new DrillExpectation(taken.sha256(), taken.before().revision(),
                            taken.after().revision(), taken.before().keyCount()));
            assertThat(drill.verdict()).as(drill.detail()).isEqualTo(DrillResult.Verdict.VERIFIED);
            assertThat(drill.restoredKeyCount()).isEqualTo(2000);
        }
    }

    /** The drill's defaults (etcd, etcdctl, etcdutl from PATH, 30 s / 120 s), without a Quarkus config. */
    private static BackupConfig drillConfig() {
        BackupConfig.Drill drill = (BackupConfig.Drill) java.lang.reflect.Proxy.newProxyInstance(
                BackupConfig.class.getClassLoader(), new Class<?>[] {BackupConfig.Drill.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "etcd", "etcdctl", "etcdutl" -> method.getName();
                            case "scratchDir" -> java.util.Optional.empty();
                            case "startTimeout" -> Duration.ofSeconds(30);
                            case "restoreTimeout" -> Duration.ofSeconds(120);
                            case "onEverySnapshot" -> true;
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        return (BackupConfig) java.lang.reflect.Proxy.newProxyInstance(BackupConfig.class.getClassLoader(),
                new Class<?>[] {BackupConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("drill")) {
                        return drill;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
