package dev.cpr.sandbox.etcd;

import dev.cpr.sandbox.support.CheckoutScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which etcd release the sandbox runs. 3.4 is the system's own (Debian bookworm's {@code etcd-server}), the
 * default. 3.5 comes from Debian trixie's {@code .deb}, fetched and unpacked into a cache beside 3.4 by
 * {@code scripts/etcd-debian.sh} (never installed over it); the members then run that {@code etcd}, so every tool
 * looked for next to a member's binary ({@code etcdctl}, {@code etcdutl}) is 3.5 too.
 *
 * <p>Chosen by {@code -Dcpr.sandbox.etcd=3.5} (what {@code ./cpr demo --etcd 3.5} and the e2e run on 3.5 set), else
 * {@code CPR_SANDBOX_ETCD=3.5}; {@code CPR_ETCD_BINARY} still overrides both with one exact binary.
 */
public final class EtcdRelease {

    public static final String PROPERTY = "cpr.sandbox.etcd";
    public static final String ENV = "CPR_SANDBOX_ETCD";
    public static final String SYSTEM = "3.4";
    static final String SCRIPT = "scripts/etcd-debian.sh";

    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(5);
    private static final ConcurrentMap<String, Path> BIN_DIRS = new ConcurrentHashMap<>();

    private EtcdRelease() {
    }

    /**
     * The release asked for, when it is not the system's: {@code 3.5}; empty for the system's etcd.
     *
     * @throws IllegalArgumentException for a release the sandbox cannot run, naming where it was set
     */
    public static Optional<String> requested() {
        String property = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        String value = property;
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
            source = ENV;
        }
        return parse(value, source);
    }

    /** As {@link #requested()} for a value given at {@code source} (named in the error). */
    public static Optional<String> parse(String value, String source) {
        if (value == null || value.isBlank() || value.trim().equals(SYSTEM) || value.trim().equals("system")) {
            return Optional.empty();
        }
        if (value.trim().equals("3.5")) {
            return Optional.of("3.5");
        }
        throw new IllegalArgumentException(source + "=" + value + ": the sandbox runs etcd 3.4 (the system's, the default) "
                + "or 3.5 (Debian trixie's, fetched into a cache); etcd 3.6 is in no Debian suite");
    }

    /** The directory holding {@code etcd}, {@code etcdctl} and {@code etcdutl} of {@code release}, fetched on first use. */
    public static Path binDir(String release) {
        return BIN_DIRS.computeIfAbsent(release, EtcdRelease::fetch);
    }

    private static Path fetch(String release) {
        Path script = CheckoutScript.find(SCRIPT).orElseThrow(() -> new IllegalStateException("cannot find " + SCRIPT
                + " (run from inside the cpr checkout or set -Dcpr.home) to fetch etcd 3.5; or set CPR_ETCD_BINARY to "
                + "an etcd 3.5 binary"));
        String why = "; it needs apt-get and dpkg-deb and the Debian mirror, or set "
                + "CPR_ETCD_BINARY to an etcd " + release + " binary";
        Path dir;
        try {
            dir = Path.of(CheckoutScript.lastLine(script, FETCH_TIMEOUT, release));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + why, e);
        }
        if (!Files.isExecutable(dir.resolve("etcd"))) {
            throw new IllegalStateException(script + " " + release + " printed " + dir + ", which holds no etcd" + why);
        }
        return dir;
    }
}
