package dev.cpr.backup.adapters.store;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Chooses the artifact store the settings name: choosing an adapter is the adapters' business, not config's. */
public class ArtifactStores {

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
}
