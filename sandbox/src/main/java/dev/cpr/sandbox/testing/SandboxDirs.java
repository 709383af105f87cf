package dev.cpr.sandbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test resources put their servers' files: {@code <user.dir>/target/sandbox}, else a temp dir.
 * Every call gives a new, empty directory: Quarkus may load the resources again in a new class loader
 * (a test class with another set of resources), and a second server must never meet the first one's files.
 */
final class SandboxDirs {

    private SandboxDirs() {
    }

    static Path dir(String name) {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        try {
            Path base = Files.isDirectory(target)
                    ? target.resolve("sandbox")
                    : Path.of(System.getProperty("java.io.tmpdir"), "cpr-sandbox");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-" + ProcessHandle.current().pid() + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox directory under " + target, e);
        }
    }
}
