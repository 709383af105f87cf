package dev.cpr.restore.adapters.bbr;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * {@code cpr.restore.bbr.*} for the app under test: the sandbox's real {@code bbr} launcher (run on this JVM's class
 * path, as backup-service's BbrBackupSandboxTest runs it), a fresh artifact root and state dir per start, and
 * timeouts that fit a test.
 */
public class SandboxBbrResource implements QuarkusTestResourceLifecycleManager {

    public static final Path LAUNCHER = Path.of("..", "sandbox", "src", "main", "bbr", "bbr").toAbsolutePath()
            .normalize();
    private static volatile Path base;

    /** Where this start's artifacts must lie ({@code cpr.restore.bbr.artifact-root}). */
    public static Path artifactRoot() {
        return base.resolve("artifacts");
    }

    /** The environment the launcher needs: this JVM's class path and java. */
    public static Map<String, String> launcherEnv() {
        return Map.of("CPR_BBR_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    @Override
    public Map<String, String> start() {
        base = Path.of("target", "bbr-restore-it", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Map<String, String> env = launcherEnv();
        return Map.of(
                "cpr.restore.bbr.binary", LAUNCHER.toString(),
                "cpr.restore.bbr.artifact-root", artifactRoot().toString(),
                "cpr.restore.bbr.state-dir", base.resolve("state").toString(),
                "cpr.restore.bbr.env.CPR_BBR_CLASSPATH", env.get("CPR_BBR_CLASSPATH"),
                "cpr.restore.bbr.env.JAVA", env.get("JAVA"),
                "cpr.restore.bbr.restore-timeout", "3m",
                "cpr.restore.bbr.cleanup-timeout", "1m",
                "cpr.restore.bbr.verify-timeout", "60s");
    }

    @Override
    public void stop() {
        // the artifacts stay under target/ for a look after a failed run
    }
}
