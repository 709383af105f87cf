package dev.cpr.backup.config;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.SnapshotSource;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** Plain objects the service is built from. */
public class Producers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Loaded once at start-up; a bad inventory fails the start with the loader's message (file, field, reason). */
    @Produces
    @Singleton
    @Startup
    Inventory inventory(InventoryConfig config) {
        return InventoryLoader.load(Path.of(config.path()));
    }

    /** {@code cpr.backup.store.type}: {@code local} (default) or {@code s3}; a bad setting fails the start. */
    @Produces
    @Singleton
    ArtifactStore artifactStore(BackupConfig config) {
        return switch (config.store().type()) {
            case "local" -> new LocalArtifactStore(Path.of(config.store().path()));
            case "s3" -> S3Stores.create(config.store().s3());
            default -> throw new IllegalStateException("cpr.backup.store.type must be local or s3, not '"
                    + config.store().type() + "'");
        };
    }

    @Produces
    @Singleton
    SnapshotTaker snapshotTaker(SnapshotSource source, ArtifactStore store, Clock clock) {
        return new SnapshotTaker(source, store, clock);
    }

    @Produces
    @Singleton
    EventCodec eventCodec(Clock clock) {
        return new EventCodec("/cpr/backup-service", clock);
    }
}
