package dev.cpr.backup.adapters.store;

import dev.cpr.backup.domain.snapshot.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Artifacts as files under one root directory: {@code <root>/<cluster>/<file>}. A new artifact is
 * written as {@code .<file>.part} in the same directory, synced, then atomically renamed, so a
 * reader never sees a partial file under a final name. Locations are paths relative to the root.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private static final Logger LOG = Logger.getLogger(LocalArtifactStore.class);
    private static final int BUFFER = 256 * 1024;

    private final Path root;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public PendingArtifact begin(String clusterId, String fileName) throws IOException {
        Path dir = resolve(clusterId);
        Files.createDirectories(dir);
        return new PendingFile(dir.resolve("." + fileName + ".part"), dir.resolve(fileName));
    }

    @Override
    public InputStream open(String location) throws IOException {
        return Files.newInputStream(resolve(location));
    }

    @Override
    public long size(String location) throws IOException {
        return Files.size(resolve(location));
    }

    @Override
    public boolean delete(String location) throws IOException {
        return Files.deleteIfExists(resolve(location));
    }

    @Override
    public Optional<Path> localPath(String location) {
        Path path = resolve(location);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public java.util.List<String> list(String clusterId) throws IOException {
        Path dir = resolve(clusterId);
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /** Deletes partial artifacts ({@code .*.part}) last written before {@code cutoff}; returns how many. */
    @Override
    public int sweepPartials(java.time.Instant cutoff) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(root, 2)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().endsWith(".part")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                    LOG.warnf("deleted the partial artifact %s left by a snapshot that never finished", file);
                    deleted++;
                }
            }
        } catch (IOException e) {
            LOG.errorf("could not sweep partial artifacts under %s: %s", root, e.getMessage());
        }
        return deleted;
    }

    private Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("location '" + relative + "' is outside the artifact store");
        }
        return path;
    }

    private final class PendingFile implements PendingArtifact {
        private final Path temp;
        private final Path target;
        private FileChannel channel;
        private OutputStream output;
        private boolean committed;

        PendingFile(Path temp, Path target) {
            this.temp = temp;
            this.target = target;
        }

        @Override
        public OutputStream output() throws IOException {
            if (output == null) {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                output = new java.io.BufferedOutputStream(new KeepOpen(Channels.newOutputStream(channel)), BUFFER);
            }
            return output;
        }

        @Override
        public String commit() throws IOException {
            if (channel == null) {
                throw new IOException("nothing was written to " + temp);
            }
            output.flush();
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            return root.relativize(target).toString();
        }

        @Override
        public void discard() {
            if (committed) {
                return;
            }
            try {
                if (channel != null) {
                    channel.close();
                }
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.errorf("could not delete the partial artifact %s: %s", temp, e.getMessage());
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The caller closes its stream chain; the channel stays open until commit syncs it. */
    private static final class KeepOpen extends java.io.FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
