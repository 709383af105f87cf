package dev.cpr.restore.adapters.bbr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBbrRestoreJournalTest {

    @TempDir
    Path dir;

    @Test
    void markersWrittenBeforeARestartAreReadAfterIt() {
        FileBbrRestoreJournal before = new FileBbrRestoreJournal(dir.resolve("state"));
        before.begun("plan-1");
        before.begun("plan-2");
        before.finished("plan-2", "restored artifact bbr-7 in 3000 ms");

        FileBbrRestoreJournal after = new FileBbrRestoreJournal(dir.resolve("state"));

        assertThat(after.wasBegun("plan-1")).isTrue();
        assertThat(after.finishedDetail("plan-1")).isEmpty();
        assertThat(after.finishedDetail("plan-2")).contains("restored artifact bbr-7 in 3000 ms");
        assertThat(after.wasBegun("plan-3")).isFalse();
        assertThat(dir.resolve("state")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void aPlanIdThatIsNotAFileNameIsRefused() {
        FileBbrRestoreJournal journal = new FileBbrRestoreJournal(dir);

        assertThatThrownBy(() -> journal.begun("../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot name a file");
    }
}
