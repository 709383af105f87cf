package dev.cpr.backup.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.app.ChangeLogRetention;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.MemberState;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.changelog.Segment;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Segment retention on the real PostgreSQL catalog and the real (local) artifact store: rows and files. The cluster
 * of each test is its own (not in the inventory: nothing else records or snapshots it); its verified snapshot is
 * written into the catalog as a drill would leave it.
 */
@QuarkusTest
class ChangeLogRetentionOnStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");

    @Inject
    Catalog backups;
    @Inject
    ChangeLogCatalog changeLog;
    @Inject
    ChangeLogRetention retention;
    @Inject
    ArtifactStore store;

    @Test
    void segmentsBeforeTheOnlyVerifiedSnapshotLeaveTheCatalogAndTheStoreAndTheStraddlingOneStays() throws Exception {
        // given a verified snapshot at revision 500 and segments 481..495, 496..504, 505..510
        String cluster = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        verifiedSnapshot(cluster, 500);
        String before = stored(cluster, 481, 495);
        String straddling = stored(cluster, 496, 504);
        String after = stored(cluster, 505, 510);
        // when
        List<StoredSegment> removed = retention.apply(cluster);
        // then
        assertThat(removed).extracting(StoredSegment::location).containsExactly(before);
        assertThat(changeLog.segments(cluster)).extracting(StoredSegment::location).containsExactly(straddling, after);
        assertThat(store.list(cluster)).contains(straddling, after).doesNotContain(before);
        assertThat(changeLog.lastDurableRevision(cluster)).hasValue(510);
    }

    @Test
    void aForgottenChainsFilesLeaveTheStore() throws Exception {
        // given a chain of two stored segments (no snapshot: retention alone would keep them)
        String cluster = "forgotten-" + UUID.randomUUID().toString().substring(0, 8);
        String first = stored(cluster, 100, 110);
        String second = stored(cluster, 111, 120);
        assertThat(retention.apply(cluster)).isEmpty();
        // when etcd was restored and the chain is dropped
        List<StoredSegment> forgotten = retention.forget(cluster);
        // then
        assertThat(forgotten).extracting(StoredSegment::location).containsExactly(first, second);
        assertThat(changeLog.segments(cluster)).isEmpty();
        assertThat(store.list(cluster)).doesNotContain(first, second);
    }

    private void verifiedSnapshot(String cluster, long revision) {
        UUID id = UUID.fromString(backups.start(cluster, "manual", "none", null, null).orElseThrow().backupId());
        MemberState state = new MemberState(revision, 10);
        backups.completed(id, new TakenSnapshot("etcd-1", cluster + "/snapshot.db", Compression.NONE, 1, 1,
                "ab".repeat(32), state, state, Duration.ofSeconds(1), TakenSnapshot.Phases.UNKNOWN), null);
        backups.drilled(id, new DrillResult(DrillResult.Verdict.VERIFIED, "restored", revision, 10L,
                Duration.ofSeconds(1)));
    }

    /** A segment's file in the store, then its row, as the recorder writes them; returns its location. */
    private String stored(String cluster, long first, long last) throws Exception {
        Instant t = T0.plusSeconds(first);
        Segment segment = new Segment(cluster, first, last, (int) (last - first + 1), "ab".repeat(32), t,
                t.plusSeconds(1), t);
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin(cluster, segment.fileName())) {
            try (OutputStream out = pending.output()) {
                out.write(new byte[64]);
            }
            location = pending.commit();
        }
        changeLog.recorded(segment, location, 64);
        return location;
    }
}
