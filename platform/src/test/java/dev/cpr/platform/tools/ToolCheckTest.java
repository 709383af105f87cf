package dev.cpr.platform.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolCheckTest {

    @TempDir
    Path bin;

    @Test
    void aToolOnThePathIsFoundAndNothingIsMissing() throws IOException {
        executable("etcd");
        ToolCheck check = new ToolCheck("/nonexistent:" + bin);

        assertThat(check.locate("etcd")).contains(bin.resolve("etcd"));
        assertThat(check.missing(List.of(RequiredTool.of("restore drills", "cpr.backup.drill.etcd", "etcd")))).isEmpty();
    }

    @Test
    void aMissingToolIsReportedWithItsPurposeAndSetting() {
        ToolCheck check = new ToolCheck(bin.toString());

        assertThat(check.missing(List.of(RequiredTool.of("restore drills", "cpr.backup.drill.etcd", "etcd"))))
                .containsExactly("restore drills needs 'etcd' (cpr.backup.drill.etcd): not found on PATH");
    }

    @Test
    void oneOfSeveralChoicesIsEnough() throws IOException {
        executable("etcdctl");
        ToolCheck check = new ToolCheck(bin.toString());
        RequiredTool restore = new RequiredTool("snapshot restore", List.of(
                new RequiredTool.Choice("cpr.restore.restore.etcdutl", "etcdutl"),
                new RequiredTool.Choice("cpr.restore.restore.etcdctl", "etcdctl")));

        assertThat(check.missing(List.of(restore))).isEmpty();
        assertThat(new ToolCheck("").missing(List.of(restore))).containsExactly("snapshot restore needs 'etcdutl' "
                + "(cpr.restore.restore.etcdutl) or 'etcdctl' (cpr.restore.restore.etcdctl): not found on PATH");
    }

    @Test
    void aPathMustBeAnExecutableFile() throws IOException {
        Path notExecutable = Files.writeString(bin.resolve("bbr"), "#!/bin/sh\n");
        ToolCheck check = new ToolCheck("");

        assertThat(check.locate(notExecutable.toString())).isEmpty();
        assertThat(check.locate(bin.toString())).as("a directory").isEmpty();
        assertThat(check.missing(List.of(RequiredTool.of("bbr backups", "cpr.backup.bbr.binary", notExecutable.toString()))))
                .containsExactly("bbr backups needs '" + notExecutable + "' (cpr.backup.bbr.binary): not found");
    }

    private void executable(String name) throws IOException {
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
