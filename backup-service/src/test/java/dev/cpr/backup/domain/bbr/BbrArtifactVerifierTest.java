package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrVerification;
import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.bbr.Tar;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts built like bbr's: one ustar per job (written by the sandbox's bbr Tar), a metadata file. */
class BbrArtifactVerifierTest {

    @TempDir
    Path tmp;
    private Path artifact;
    private final BbrArtifactVerifier verifier = new BbrArtifactVerifier();

    @BeforeEach
    void anArtifactOfThreeMasters() throws IOException {
        artifact = Files.createDirectories(tmp.resolve("service-instance_x_20260101T000000Z"));
        StringBuilder meta = new StringBuilder("""
                backup_activity:
                  start_time: 2026/01/01 00:00:00 UTC
                  finish_time: 2026/01/01 00:00:05 UTC
                instances:
                """);
        for (int i = 0; i < 3; i++) {
            Path job = Files.createDirectories(tmp.resolve("job" + i));
            Files.write(job.resolve("etcd-snapshot.db"), ("snapshot of master " + i).repeat(100).getBytes());
            Files.writeString(job.resolve("member-id"), "m" + i);
            Map<String, String> sums = Tar.create(job, artifact.resolve("master-" + i + "-bbr-etcd.tar"));
            meta.append("- name: master\n  index: \"").append(i).append("\"\n  artifacts:\n  - name: bbr-etcd\n")
                    .append("    checksums:\n").append(sums.entrySet().stream()
                            .map(e -> "      " + e.getKey() + ": " + e.getValue() + "\n").collect(Collectors.joining()));
        }
        Files.writeString(artifact.resolve("metadata"), meta);
    }

    @Test
    void everyChecksumMatchingIsVerified() {
        BbrVerification result = verifier.verify(artifact, Set.of("master/0", "master/1", "master/2"));
        assertThat(result.problems()).isEmpty();
        assertThat(result.verified()).isTrue();
        assertThat(result.filesChecked()).isEqualTo(6);
        assertThat(result.bytes()).isPositive();
        assertThat(result.detail()).contains("verified", "6 file(s)", "3 instance(s)");
    }

    @Test
    void oneFlippedByteInsideATarIsCorruptNamingTheFile() throws IOException {
        Path tar = artifact.resolve("master-1-bbr-etcd.tar");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.seek(512 + 10); // inside the first entry's data
            int b = f.read();
            f.seek(512 + 10);
            f.write(b ^ 0x01);
        }
        BbrVerification result = verifier.verify(artifact);
        assertThat(result.verified()).isFalse();
        assertThat(result.problems()).singleElement().asString()
                .contains("instance master/1", "checksum mismatch", "master-1-bbr-etcd.tar");
    }

    @Test
    void aMissingInstanceTarIsCorrupt() throws IOException {
        Files.delete(artifact.resolve("master-2-bbr-etcd.tar"));
        BbrVerification result = verifier.verify(artifact);
        assertThat(result.verdict()).isEqualTo(BbrVerification.Verdict.CORRUPT);
        assertThat(result.problems()).singleElement().asString().contains("master/2", "is missing");
    }

    @Test
    void anInstanceTheDeploymentHasButTheArtifactLacksIsCorrupt() {
        BbrVerification result = verifier.verify(artifact, Set.of("master/0", "master/1", "master/2", "master/3"));
        assertThat(result.verified()).isFalse();
        assertThat(result.problems()).containsExactly("instance master/3 is missing from the artifact");
    }

    @Test
    void aFileInATarThatTheMetadataDoesNotListIsCorrupt() throws IOException {
        Path job = Files.createDirectories(tmp.resolve("extra"));
        Files.writeString(job.resolve("etcd-snapshot.db"), "snapshot of master 0".repeat(100));
        Files.writeString(job.resolve("member-id"), "m0");
        Files.writeString(job.resolve("smuggled"), "x");
        Tar.create(job, artifact.resolve("master-0-bbr-etcd.tar"));
        BbrVerification result = verifier.verify(artifact);
        assertThat(result.verified()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("./smuggled", "does not list"));
    }

    @Test
    void aTruncatedTarIsCorrupt() throws IOException {
        Path tar = artifact.resolve("master-0-bbr-etcd.tar");
        byte[] bytes = Files.readAllBytes(tar);
        Files.write(tar, java.util.Arrays.copyOf(bytes, 700));
        BbrVerification result = verifier.verify(artifact);
        assertThat(result.verified()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("master-0-bbr-etcd.tar", "truncated"));
    }

    @Test
    void noMetadataIsCorrupt() throws IOException {
        Files.delete(artifact.resolve("metadata"));
        BbrVerification result = verifier.verify(artifact);
        assertThat(result.verified()).isFalse();
        assertThat(result.problems()).singleElement().asString().contains("metadata");
    }
}
