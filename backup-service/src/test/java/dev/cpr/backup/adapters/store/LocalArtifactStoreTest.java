package dev.cpr.backup.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.domain.snapshot.ArtifactStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {

    @TempDir
    Path root;

    @Test
    void anArtifactIsInvisibleUnderItsNameUntilCommitted() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root);
        try (ArtifactStore.PendingArtifact pending = store.begin("c1", "snap.db")) {
            try (OutputStream out = pending.output()) {
                out.write(new byte[] {1, 2, 3});
            }
            assertThat(root.resolve("c1/snap.db")).doesNotExist();

            String location = pending.commit();

            assertThat(location).isEqualTo("c1/snap.db");
            assertThat(store.size(location)).isEqualTo(3);
            assertThat(store.localPath(location)).contains(root.resolve("c1/snap.db"));
        }
        assertThat(root.resolve("c1/snap.db")).as("close after commit keeps it").exists();
        assertThat(files()).hasSize(1);
    }

    @Test
    void aDiscardedArtifactLeavesNothing() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root);
        try (ArtifactStore.PendingArtifact pending = store.begin("c1", "gone.db")) {
            pending.output().write(new byte[1024]);
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void locationsOutsideTheRootAreRefused() {
        LocalArtifactStore store = new LocalArtifactStore(root);

        assertThatThrownBy(() -> store.open("../etc/passwd")).hasMessageContaining("outside the artifact store");
        assertThatThrownBy(() -> store.delete("c1/../../x")).hasMessageContaining("outside the artifact store");
    }

    @Test
    void sweepingDeletesOnlyOldPartialFiles() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root);
        Path old = Files.createDirectories(root.resolve("c1")).resolve(".old.db.part");
        Path fresh = root.resolve("c1/.fresh.db.part");
        Path done = root.resolve("c1/done.db");
        for (Path p : new Path[] {old, fresh, done}) {
            Files.write(p, new byte[8]);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(p == fresh ? 0 : 3))));
        }

        int swept = store.sweepPartials(Instant.now().minus(Duration.ofHours(1)));

        assertThat(swept).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(done).exists();
    }

    private java.util.List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
