package dev.cpr.sandbox.oidc;

import dev.cpr.sandbox.support.CheckoutScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where Keycloak is and the JDK that runs it. Keycloak 26 needs Java 21+, cpr runs on 17, so the two are found
 * together: both by {@code scripts/keycloak.sh} (which fetches Keycloak into a cache on first use, and picks the JDK),
 * the home overridden by {@code CPR_KEYCLOAK_HOME} for a Keycloak unpacked elsewhere.
 */
public record KeycloakDistribution(Path home, Path javaHome) {

    public static final String SCRIPT = "scripts/keycloak.sh";
    public static final String HOME_ENV = "CPR_KEYCLOAK_HOME";
    // the first fetch downloads about 160 MB through Maven
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration JDK_TIMEOUT = Duration.ofSeconds(30);

    public KeycloakDistribution {
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(home + " is not a Keycloak home (no bin/kc.sh)");
        }
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalStateException(javaHome + " is not a JDK (no bin/java)");
        }
    }

    /**
     * The distribution this machine has, fetched if needed.
     *
     * @throws IllegalStateException saying what is missing: the script (outside the checkout), Keycloak (the fetch
     *     failed), or a JDK 21+ (what to install)
     */
    public static KeycloakDistribution locate() {
        Path script = CheckoutScript.find(SCRIPT).orElseThrow(() -> new IllegalStateException("cannot find "
                + SCRIPT + " (run from inside the cpr checkout or set -Dcpr.home); it fetches Keycloak and finds a "
                + "JDK 21+ for it"));
        String configured = System.getenv(HOME_ENV);
        if (configured != null && !configured.isBlank() && !Files.isExecutable(Path.of(configured, "bin/kc.sh"))) {
            throw new IllegalStateException(HOME_ENV + "=" + configured + " is not a Keycloak home (no bin/kc.sh); "
                    + "unset it to let " + SCRIPT + " fetch one");
        }
        Path home = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(run(script, FETCH_TIMEOUT, "Keycloak could not be fetched"));
        Path javaHome = Path.of(run(script, JDK_TIMEOUT, "no JDK 21+ for Keycloak", "--jdk"));
        return new KeycloakDistribution(home, javaHome);
    }

    private static String run(Path script, Duration timeout, String what, String... args) {
        try {
            return CheckoutScript.lastLine(script, timeout, args);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    public Path kcSh() {
        return home.resolve("bin/kc.sh");
    }
}
