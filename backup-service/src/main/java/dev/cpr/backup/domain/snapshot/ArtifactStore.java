package dev.cpr.backup.domain.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where backup artifacts live. A new artifact is written under a temporary name and becomes
 * visible under its final location only by {@link PendingArtifact#commit()}; a discarded one
 * leaves nothing behind.
 */
public interface ArtifactStore {

    PendingArtifact begin(String clusterId, String fileName) throws IOException;

    InputStream open(String location) throws IOException;

    long size(String location) throws IOException;

    /** Deletes the artifact; true if it existed. */
    boolean delete(String location) throws IOException;

    /** The artifact as a local file, when the store keeps it on this host (for streaming downloads). */
    Optional<Path> localPath(String location);

    /** Locations of the committed artifacts of one cluster, sorted. */
    java.util.List<String> list(String clusterId) throws IOException;

    /** Where the store is, for logs ({@code /var/backups}, {@code s3://bucket/prefix}). */
    String describe();

    /**
     * Deletes partial artifacts last written before {@code cutoff} (left by a process that stopped mid-write);
     * returns how many. A store that never leaves partials has nothing to do.
     */
    default int sweepPartials(java.time.Instant cutoff) {
        return 0;
    }

    interface PendingArtifact extends AutoCloseable {

        OutputStream output() throws IOException;

        /** Flushes, syncs and moves the artifact into place; returns its location. */
        String commit() throws IOException;

        /** Removes whatever was written; safe to call more than once, and after commit (then a no-op). */
        void discard();

        @Override
        default void close() {
            discard();
        }
    }
}
