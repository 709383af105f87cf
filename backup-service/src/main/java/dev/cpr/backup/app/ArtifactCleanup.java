package dev.cpr.backup.app;

import dev.cpr.backup.domain.snapshot.ArtifactStore;
import java.io.IOException;
import org.jboss.logging.Logger;

/** Deletes an artifact that is no longer wanted, where a failure to delete must not fail the work around it. */
final class ArtifactCleanup {

    private static final Logger LOG = Logger.getLogger(ArtifactCleanup.class);

    private ArtifactCleanup() {
    }

    static void deleteQuietly(ArtifactStore store, String location) {
        try {
            store.delete(location);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("could not delete the artifact %s: %s", location, e.getMessage());
        }
    }
}
