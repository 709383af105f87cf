package dev.cpr.sandbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the test resources put their servers' files: {@code <user.dir>/target/sandbox}, else a temp dir. */
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
            return base.resolve(name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox directory under " + target, e);
        }
    }
}
