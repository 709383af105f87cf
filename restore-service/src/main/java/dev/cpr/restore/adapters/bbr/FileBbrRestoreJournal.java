package dev.cpr.restore.adapters.bbr;

import dev.cpr.restore.domain.bbr.BbrRestoreJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@link BbrRestoreJournal} as two marker files per plan in {@code cpr.restore.bbr.state-dir}:
 * {@code <plan>.begun} and {@code <plan>.finished} (the step's output). Written through a temporary file and an
 * atomic rename, so a crash never leaves half a marker.
 */
public final class FileBbrRestoreJournal implements BbrRestoreJournal {

    private final Path dir;

    public FileBbrRestoreJournal(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public void begun(String planId) {
        write(file(planId, "begun"), "");
    }

    @Override
    public boolean wasBegun(String planId) {
        return Files.exists(file(planId, "begun"));
    }

    @Override
    public void finished(String planId, String detail) {
        write(file(planId, "finished"), detail);
    }

    @Override
    public Optional<String> finishedDetail(String planId) {
        Path file = file(planId, "finished");
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private Path file(String planId, String what) {
        if (!planId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("plan id '" + planId + "' cannot name a file");
        }
        return dir.resolve(planId + "." + what);
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
