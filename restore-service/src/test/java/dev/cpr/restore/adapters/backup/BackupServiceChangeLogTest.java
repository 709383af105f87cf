package dev.cpr.restore.adapters.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.it.BackupServiceStandIn;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link BackupServiceChangeLog} over HTTP against backup-service's shapes of {@code /api/v1/changelog}
 * ({@link BackupServiceStandIn}). Same test resources as RecoveryApiTest, so the app under test is shared.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class BackupServiceChangeLogTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Inject
    ChangeLogSource changeLog;

    private final String cluster = "changelog-" + UUID.randomUUID().toString().substring(0, 8);

    private byte[] segment(long first, long last) {
        List<Change> changes = new ArrayList<>();
        for (long r = first; r <= last; r++) {
            changes.add(Change.put(r, ("/k/" + r).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) r}, 0, r, 1,
                    T0.plusSeconds(r)));
        }
        return SegmentCodec.encode(cluster, changes, T0.plusSeconds(first), T0.plusSeconds(last + 1)).bytes();
    }

    @Test
    void theSegmentsOfARevisionRangeAreListedWithTheirShaAndServedAsStored() throws Exception {
        byte[] first = segment(101, 150);
        byte[] second = segment(151, 200);
        BackupServiceStandIn.addSegment(first);
        BackupServiceStandIn.addSegment(second);
        BackupServiceStandIn.addSegment(segment(201, 250));

        List<ReplayPlan.SegmentRef> listed = changeLog.segments(cluster, 120, 180);

        assertThat(listed).containsExactly(
                new ReplayPlan.SegmentRef(101, 101, 150, 50, Sha256.hex(first), first.length),
                new ReplayPlan.SegmentRef(151, 151, 200, 50, Sha256.hex(second), second.length));
        assertThat(changeLog.segment(cluster, 151)).isEqualTo(second);
    }

    @Test
    void aMomentBeforeAnyRecordedChangeHasNoRevisionAndOneAfterHasTheNewestSeen() {
        BackupServiceStandIn.changeAt(cluster, T0, 4_711);

        assertThat(changeLog.revisionAt(cluster, T0.minusSeconds(1))).isEmpty();
        assertThat(changeLog.revisionAt(cluster, T0.plusSeconds(5)))
                .contains(new ChangeLogSource.RevisionAt(4_711, T0));
    }

    @Test
    void aChangeLogBackupServiceCannotServeIsAnErrorNamingTheClusterAndTheCall() {
        assertThatThrownBy(() -> changeLog.segments("down", 10, 20))
                .isInstanceOf(ChangeLogSource.ChangeLogUnavailable.class)
                .hasMessageContaining("the change log of cluster down")
                .hasMessageContaining("list the change log segments after revision 10 up to 20")
                .hasMessageContaining("answered 503");
        assertThatThrownBy(() -> changeLog.segment(cluster, 999))
                .isInstanceOf(ChangeLogSource.ChangeLogUnavailable.class)
                .hasMessageContaining("download change log segment 999 of cluster " + cluster);
    }
}
