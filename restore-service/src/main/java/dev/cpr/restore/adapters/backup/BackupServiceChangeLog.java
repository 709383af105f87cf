package dev.cpr.restore.adapters.backup;

import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog.CatalogUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ChangeLogSource} over backup-service's {@code /api/v1/changelog/{cluster}/...} with the service token, as
 * {@link BackupServiceCatalog} reads the snapshot catalog. Every failure names the cluster and the call.
 */
@ApplicationScoped
public class BackupServiceChangeLog implements ChangeLogSource {

    private final BackupServiceClient client;

    public BackupServiceChangeLog(BackupServiceClient client) {
        this.client = client;
    }

    @Override
    public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
        List<ChangeLogApi.SegmentEntry> listed = call(clusterId, "list the change log segments after revision "
                + after + " up to " + upTo, () -> client.changeLog().segments(clusterId, after, upTo,
                        client.authorization()));
        return listed.stream().map(s -> new ReplayPlan.SegmentRef(s.id(), s.firstRevision(), s.lastRevision(),
                s.count(), s.sha256(), s.sizeBytes())).toList();
    }

    @Override
    public byte[] segment(String clusterId, long id) {
        return call(clusterId, "download change log segment " + id, () -> client.changeLogDownloads()
                .segment(clusterId, id, client.authorization()));
    }

    @Override
    public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
        try {
            ChangeLogApi.RevisionAt at = client.call("find the revision at " + time + " of cluster " + clusterId,
                    () -> client.changeLog().revisionAt(clusterId, time.toString(), client.authorization()));
            return Optional.of(new RevisionAt(at.revision(), at.changedAt()));
        } catch (BackupServiceClient.NotFound e) {
            // backup-service: no change recorded at or before the time (or a cluster it does not know)
            return Optional.empty();
        } catch (CatalogUnavailableException e) {
            throw unavailable(clusterId, e);
        }
    }

    private <T> T call(String clusterId, String what, Supplier<T> request) {
        try {
            return client.call(what + " of cluster " + clusterId, request);
        } catch (BackupServiceClient.NotFound e) {
            throw new ChangeLogUnavailable("the change log of cluster " + clusterId + ": " + e.getMessage()
                    + " (backup-service knows no such cluster or segment)", e);
        } catch (CatalogUnavailableException e) {
            throw unavailable(clusterId, e);
        }
    }

    private static ChangeLogUnavailable unavailable(String clusterId, CatalogUnavailableException e) {
        return new ChangeLogUnavailable("the change log of cluster " + clusterId + ": " + e.getMessage(), e);
    }
}
