package dev.cpr.backup.config;

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
