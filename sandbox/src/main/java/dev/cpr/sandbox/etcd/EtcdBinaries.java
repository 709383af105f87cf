package dev.cpr.sandbox.etcd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which etcd executable the sandbox's members run, and the launcher script that adds fixed flags to it. */
final class EtcdBinaries {

    private EtcdBinaries() {
    }

    /**
     * The etcd binary: {@code $CPR_ETCD_BINARY}, else the release asked for by {@link EtcdRelease} (3.5 from its
     * cache), else {@code etcd} found on the {@code PATH}.
     *
     * @throws IllegalStateException saying how to install etcd when it is not there
     */
    static String etcdBinary() {
        String configured = System.getenv("CPR_ETCD_BINARY");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new IllegalStateException("CPR_ETCD_BINARY=" + configured + " is not an executable file");
            }
            return configured;
        }
        java.util.Optional<String> release = EtcdRelease.requested();
        if (release.isPresent()) {
            return EtcdRelease.binDir(release.get()).resolve("etcd").toString();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        throw new IllegalStateException("etcd is not installed (not found on PATH=" + path + "): install etcd 3.4+, "
                + "on Debian/Ubuntu `apt-get install etcd-server etcd-client`, or set CPR_ETCD_BINARY");
    }

    /** A script {@code <base>/etcd-with-flags} that execs etcd with {@code flags}; its path. */
    static String etcdWithFlags(Path base, List<String> flags) {
        return etcdWithFlags(base, "etcd-with-flags", flags);
    }

    /** A script {@code <base>/<fileName>} that execs etcd with {@code flags}; its path. */
    static String etcdWithFlags(Path base, String fileName, List<String> flags) {
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec '").append(etcdBinary()).append("'");
        for (String flag : flags) {
            script.append(" '").append(flag.replace("'", "'\\''")).append("'");
        }
        script.append(" \"$@\"\n");
        try {
            Files.createDirectories(base);
            Path file = base.resolve(fileName);
            Files.writeString(file, script);
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the etcd launcher under " + base, e);
        }
    }
}
