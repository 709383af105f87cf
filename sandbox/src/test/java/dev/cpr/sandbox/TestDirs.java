package dev.cpr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A new directory under {@code target/sandbox-test} for each test run, so concurrent builds never share one. */
public final class TestDirs {
    private TestDirs() {
    }

    public static Path fresh(String name) {
        try {
            Path base = Files.createDirectories(Path.of("target", "sandbox-test"));
            return Files.createTempDirectory(base, name + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
