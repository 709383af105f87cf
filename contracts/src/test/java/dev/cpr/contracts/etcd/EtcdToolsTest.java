package dev.cpr.contracts.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.etcd.EtcdTools.Command;
import dev.cpr.contracts.etcd.EtcdTools.RestoreTarget;
import dev.cpr.contracts.etcd.EtcdTools.Tool;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdToolsTest {

    private static final RestoreTarget TARGET = new RestoreTarget("/snap/s.db", "etcd-2",
            "etcd-1=http://a:2380,etcd-2=http://b:2380", "pks-1-5e1f0c2a", "http://b:2380", "/data/etcd-2.restoring");
    private static final List<String> RESTORE = List.of("snapshot", "restore", "/snap/s.db", "--name", "etcd-2",
            "--initial-cluster", "etcd-1=http://a:2380,etcd-2=http://b:2380", "--initial-cluster-token", "pks-1-5e1f0c2a",
            "--initial-advertise-peer-urls", "http://b:2380", "--data-dir", "/data/etcd-2.restoring");

    @Test
    void versionsAreReadFromAStatusAndFromEtcdVersionOutput() {
        assertThat(EtcdVersion.parse("3.5.16")).isEqualTo(new EtcdVersion(3, 5, 16));
        assertThat(EtcdVersion.parse("etcd Version: 3.4.23\nGit SHA: Not provided")).isEqualTo(new EtcdVersion(3, 4, 23));
        assertThat(EtcdVersion.parse("v3.6.0-rc.1")).isEqualTo(new EtcdVersion(3, 6, 0));
        assertThat(EtcdVersion.parse("3.5")).isEqualTo(new EtcdVersion(3, 5, 0));
        assertThat(EtcdVersion.find("no version here")).isEmpty();
        assertThat(new EtcdVersion(3, 5, 16)).isGreaterThan(new EtcdVersion(3, 5, 8)).isLessThan(new EtcdVersion(3, 6, 0));
        assertThatThrownBy(() -> EtcdVersion.parse("garbage")).hasMessageContaining("'garbage' is not an etcd version");
    }

    @Test
    void onThreeFourEtcdctlRestoresWithoutABumpBecauseItCannot() {
        Command restore = EtcdTools.restore(EtcdVersion.parse("3.4.23"), TARGET, EtcdTools.DEFAULT_BUMP_REVISION);

        assertThat(restore.tool()).isEqualTo(Tool.ETCDCTL);
        assertThat(restore.argv("/usr/bin/etcdctl")).first().isEqualTo("/usr/bin/etcdctl");
        assertThat(restore.args()).isEqualTo(RESTORE);
        assertThat(restore.note()).hasValueSatisfying(n -> assertThat(n).contains("etcd 3.4.23 cannot bump the revision"));
    }

    @Test
    void onThreeFiveEtcdutlRestoresAndBumpsTheRevisionMarkingItCompacted() {
        Command restore = EtcdTools.restore(EtcdVersion.parse("3.5.16"), TARGET, 1_000_000_000L);

        assertThat(restore.tool()).isEqualTo(Tool.ETCDUTL);
        assertThat(restore.argv("etcdutl")).containsExactlyElementsOf(concat(List.of("etcdutl"), RESTORE,
                List.of("--bump-revision", "1000000000", "--mark-compacted")));
        assertThat(restore.note()).isEmpty();
    }

    @Test
    void anEarlyThreeFiveRestoresWithEtcdutlButSaysItCouldNotBump() {
        Command restore = EtcdTools.restore(EtcdVersion.parse("3.5.7"), TARGET, 1_000_000_000L);

        assertThat(restore.tool()).isEqualTo(Tool.ETCDUTL);
        assertThat(restore.args()).isEqualTo(RESTORE).doesNotContain("--bump-revision", "--mark-compacted");
        assertThat(restore.note()).hasValueSatisfying(n -> assertThat(n).contains("3.5.8+"));
    }

    @Test
    void onThreeSixTheRuleIsTheSameAndEtcdctlCannotStandIn() {
        EtcdVersion v36 = EtcdVersion.parse("3.6.1");
        Command restore = EtcdTools.restore(v36, TARGET, 5_000L);

        assertThat(restore.tool()).isEqualTo(Tool.ETCDUTL);
        assertThat(restore.args()).endsWith("--bump-revision", "5000", "--mark-compacted");
        assertThat(EtcdTools.restoreWithEtcdctl(v36, TARGET, 5_000L)).isEmpty();
        assertThat(EtcdTools.hasV2Store(v36)).isFalse();
        assertThat(EtcdTools.noV2Note(v36)).contains("etcd 3.6.1 has no v2 store");
    }

    @Test
    void aThreeFiveNodeWithoutEtcdutlFallsBackToEtcdctlAndSaysWhatIsLost() {
        Command fallback = EtcdTools.restoreWithEtcdctl(EtcdVersion.parse("3.5.16"), TARGET, 1_000L).orElseThrow();

        assertThat(fallback.tool()).isEqualTo(Tool.ETCDCTL);
        assertThat(fallback.args()).isEqualTo(RESTORE);
        assertThat(fallback.note()).hasValueSatisfying(n -> assertThat(n).contains("without --bump-revision"));
    }

    @Test
    void aBumpOfZeroRestoresPlainlyAndANegativeOneIsRefused() {
        assertThat(EtcdTools.restore(EtcdVersion.parse("3.5.16"), TARGET, 0).args()).isEqualTo(RESTORE);
        assertThat(EtcdTools.restore(EtcdVersion.parse("3.5.16"), TARGET, 0).note()).isEmpty();
        assertThatThrownBy(() -> EtcdTools.restore(EtcdVersion.parse("3.5.16"), TARGET, -1))
                .hasMessageContaining("0 or more, not -1");
    }

    @Test
    void snapshotStatusMovesToEtcdutlFromThreeFive() {
        assertThat(EtcdTools.snapshotStatus(EtcdVersion.parse("3.4.23"), "/s.db").argv("etcdctl"))
                .containsExactly("etcdctl", "snapshot", "status", "/s.db", "-w", "json");
        assertThat(EtcdTools.snapshotStatus(EtcdVersion.parse("3.5.16"), "/s.db").tool()).isEqualTo(Tool.ETCDUTL);
        assertThat(EtcdTools.snapshotStatus(EtcdVersion.parse("3.6.0"), "/s.db").tool()).isEqualTo(Tool.ETCDUTL);
        assertThat(EtcdTools.hasV2Store(EtcdVersion.parse("3.5.16"))).isTrue();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
