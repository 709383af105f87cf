package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The backup catalog app keeps every backup's state in (PostgreSQL in the service). Each change commits the entry
 * together with its {@code dev.cpr.backup.updated} event (an outbox row, published on {@code cpr.backups} after the
 * commit) and returns the entry as stored; blocking.
 */
public interface BackupCatalog {

    /** The in-progress entry of a new etcd snapshot; empty when another replica already took this slot or incident. */
    Optional<BackupUpdate> start(String clusterId, String trigger, String compression, Instant scheduledSlot,
            String incidentId);

    Optional<BackupUpdate> start(String clusterId, BackupKind kind, String trigger, String compression,
            Instant scheduledSlot, String incidentId);

    BackupUpdate memberChosen(UUID id, String member);

    BackupUpdate completed(UUID id, TakenSnapshot taken, V2Export v2);

    Optional<V2Export> v2(UUID id);

    BackupUpdate failed(UUID id, String member, String reason);

    BackupUpdate drilled(UUID id, DrillResult result);

    BackupUpdate bbrChecked(UUID id, boolean verified, String artifactDir, String detail, long bytes);

    Optional<BackupUpdate> find(UUID id);

    Optional<DrillExpectation> expectation(UUID id);

    List<BackupUpdate> list(String clusterId, BackupStatus status);

    List<BackupUpdate> list(String clusterId, BackupStatus status, String incidentId);

    List<BackupUpdate> list(String clusterId, BackupStatus status, String incidentId, BackupKind kind);

    List<BackupUpdate> abandon(Instant cutoff, String clusterId, Set<BackupKind> kinds);

    List<BackupUpdate> undrilled(Instant cutoff);

    boolean delete(UUID id);
}
