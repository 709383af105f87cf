package dev.cpr.bosh.bbr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BbrMetadataTest {

    static final String SHA = "a".repeat(64);

    @Test
    void parsesBbrsLayoutWithGoTimes() {
        BbrMetadata metadata = BbrMetadata.parse("""
                backup_activity:
                  start_time: 2020/08/05 01:04:28 UTC
                  finish_time: 2020/08/05 01:09:10 UTC
                instances:
                - name: master
                  index: "0"
                  artifacts:
                  - name: bbr-etcd
                    checksums:
                      ./etcd-snapshot.db: %s
                custom_artifacts:
                - name: extra
                  checksums: {./file: %s}
                """.formatted(SHA, SHA));
        assertThat(metadata.startTime()).isEqualTo(Instant.parse("2020-08-05T01:04:28Z"));
        assertThat(metadata.finishTime()).isEqualTo(Instant.parse("2020-08-05T01:09:10Z"));
        assertThat(metadata.instances()).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo("master/0");
            assertThat(i.tarName(i.artifacts().get(0))).isEqualTo("master-0-bbr-etcd.tar");
            assertThat(i.artifacts().get(0).checksums()).containsEntry("./etcd-snapshot.db", SHA);
        });
        assertThat(metadata.customArtifacts()).singleElement().satisfies(a -> assertThat(a.name()).isEqualTo("extra"));
    }

    @Test
    void anUnquotedIndexIsReadAsText() {
        BbrMetadata metadata = BbrMetadata.parse("""
                backup_activity: {start_time: 2020/08/05 01:04:28 UTC, finish_time: 2020/08/05 01:09:10 UTC}
                instances:
                - {name: bosh, index: 0, artifacts: [{name: director, checksums: {./d.sql: %s}}]}
                """.formatted(SHA));
        assertThat(metadata.instances().get(0).id()).isEqualTo("bosh/0");
    }

    @Test
    void aTimeInAnotherLayoutIsRefusedNamingTheField() {
        assertThatThrownBy(() -> BbrMetadata.parse("""
                backup_activity: {start_time: 2020-08-05T01:04:28Z, finish_time: 2020/08/05 01:09:10 UTC}
                instances: []
                """)).hasMessageContaining("backup_activity.start_time").hasMessageContaining("2006/01/02");
    }

    @Test
    void aChecksumThatIsNotSha256HexIsRefused() {
        assertThatThrownBy(() -> BbrMetadata.parse("""
                backup_activity: {start_time: 2020/08/05 01:04:28 UTC, finish_time: 2020/08/05 01:09:10 UTC}
                instances:
                - {name: master, index: "0", artifacts: [{name: bbr-etcd, checksums: {./x: nothex}}]}
                """)).hasMessageContaining("instances[0].artifacts[0].checksums[./x]");
    }

    @Test
    void missingInstancesAreRefused() {
        assertThatThrownBy(() -> BbrMetadata.parse("""
                backup_activity: {start_time: 2020/08/05 01:04:28 UTC, finish_time: 2020/08/05 01:09:10 UTC}
                """)).hasMessageContaining("no instances");
    }
}
