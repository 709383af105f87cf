package dev.cpr.sandbox.demo.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the checkout is and where {@code ./cpr} keeps its state ({@code .cpr/}): the sandbox's data,
 * the services' logs and {@code sandbox.json}.
 */
public record CprHome(Path root) {

    public static final String SERVICE_JAR = "target/quarkus-app/quarkus-run.jar";

    /** {@code -Dcpr.home} (set by the {@code ./cpr} script), else the nearest folder up from here holding {@code cpr} and {@code pom.xml}. */
    public static CprHome locate() {
        String configured = System.getProperty("cpr.home", System.getenv("CPR_HOME"));
        if (configured != null && !configured.isBlank()) {
            return new CprHome(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cpr")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return new CprHome(dir);
            }
        }
        throw new IllegalStateException("cannot find the cpr checkout: run from inside it or set -Dcpr.home");
    }

    public Path stateDir() {
        return root.resolve(".cpr");
    }

    public Path descriptionFile() {
        return stateDir().resolve("sandbox.json");
    }

    public Path logDir() {
        return stateDir().resolve("logs");
    }

    /** The sandbox's {@code bbr} (runs on the sandbox jar, so the sandbox must be built). */
    public Path bbrBinary() {
        return root.resolve("sandbox/src/main/bbr/bbr");
    }

    public Path serviceJar(String module) {
        Path jar = root.resolve(module).resolve(SERVICE_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -B package -DskipTests, or just ./cpr)");
        }
        return jar;
    }
}
