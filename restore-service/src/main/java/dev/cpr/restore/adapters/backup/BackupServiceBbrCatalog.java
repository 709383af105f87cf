package dev.cpr.restore.adapters.backup;

import dev.cpr.bosh.bbr.BbrTarget;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrArtifactRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BbrArtifactCatalog} over backup-service's REST API ({@code GET /api/v1/backups?cluster=&status=verified&kind=},
 * {@code GET /api/v1/backups/{id}}), with the same base URL and service token as {@link BackupServiceCatalog}. A row
 * counts when it is VERIFIED, of a bbr kind ({@code bbr-deployment} or {@code bbr-director}) and has a location (the
 * artifact's directory). The kind is filtered here too, so a backup-service that ignores {@code ?kind=} is fine.
 */
@ApplicationScoped
public class BackupServiceBbrCatalog implements BbrArtifactCatalog {

    static final Set<String> BBR_KINDS = Set.of(BbrTarget.DEPLOYMENT, BbrTarget.DIRECTOR);

    private final BackupServiceClient client;

    public BackupServiceBbrCatalog(BackupServiceClient client) {
        this.client = client;
    }

    @Override
    public Optional<BbrArtifactRef> newestVerified(String clusterId, String kind) {
        if (!BBR_KINDS.contains(kind)) {
            throw new IllegalArgumentException("'" + kind + "' is not a bbr artifact kind " + BBR_KINDS);
        }
        List<BackupUpdate> rows = client.call("list verified " + kind + " backups of " + clusterId,
                () -> client.api().listKind(clusterId, BackupStatus.VERIFIED.wire(), kind, client.authorization()));
        return rows.stream()
                .filter(b -> kind.equals(b.kind()) && clusterId.equals(b.clusterId()) && usable(b))
                .max(Comparator.comparing(BackupUpdate::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(BackupServiceBbrCatalog::ref);
    }

    @Override
    public Optional<BbrArtifactRef> verified(String id) {
        try {
            BackupUpdate row = client.call("get backup " + id, () -> client.api().get(id, client.authorization()));
            return row != null && BBR_KINDS.contains(row.kind()) && usable(row) ? Optional.of(ref(row))
                    : Optional.empty();
        } catch (BackupServiceClient.NotFound e) {
            return Optional.empty();
        }
    }

    private static boolean usable(BackupUpdate b) {
        return b.status() == BackupStatus.VERIFIED && b.location() != null && !b.location().isBlank();
    }

    static BbrArtifactRef ref(BackupUpdate b) {
        return new BbrArtifactRef(b.backupId(), b.clusterId(), b.kind(), b.location(), b.createdAt());
    }
}
