package dev.cpr.sandbox.kubespray;

import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code sshd} run as a plain process (not a system service) for one sandbox node: its own host key,
 * its own config, listening on one loopback port, letting in only the sandbox's client key. {@link #stop()} makes
 * the node unreachable over ssh (a fault), {@link #start()} brings it back on the same port and host key.
 */
final class SshNode {

    static final String SSHD = "/usr/sbin/sshd";
    /** sshd refuses to start without its privilege separation directory, which only its service unit creates. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private Process process;

    private SshNode(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Makes the host key and config under {@code dir} and starts sshd.
     *
     * @param authorizedKey the public key (one line) allowed to log in
     */
    static SshNode create(Path dir, int port, String authorizedKey) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(SSHD))) {
            throw new IllegalStateException(SSHD + " is not installed: apt-get install -y openssh-server");
        }
        Files.createDirectories(dir);
        keygen(dir.resolve("ssh_host_ed25519_key"));
        Files.writeString(dir.resolve("authorized_keys"), authorizedKey.strip() + "\n");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n", List.of(
                "# sandbox kubespray node: sshd as a process on a loopback port",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + dir.resolve("ssh_host_ed25519_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                // the node's files live under a temp directory whose modes sshd's strict check would refuse
                "StrictModes no",
                "MaxStartups 50:30:100",
                "MaxSessions 50",
                "")));
        SshNode node = new SshNode(dir, port);
        node.start();
        return node;
    }

    /** Makes an ed25519 key pair ({@code file}, {@code file.pub}) without a passphrase. */
    static void keygen(Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".pub"));
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cpr-sandbox", "-f",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed for " + file + ": " + out);
        }
    }

    int port() {
        return port;
    }

    /** {@code [127.0.0.1]:<port> <host key>}, a line of a known_hosts file. */
    String knownHostsLine() throws IOException {
        String[] key = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+");
        return "[127.0.0.1]:" + port + " " + key[0] + " " + key[1];
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        if (ProcessHandle.current().info().user().map("root"::equals).orElse(false) && !Files.isDirectory(PRIVSEP_DIR)) {
            Files.createDirectories(PRIVSEP_DIR);
        }
        process = new ProcessBuilder(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("sshd on 127.0.0.1:" + port + " did not start: "
                        + Logs.tail(dir.resolve("sshd.log"), 10));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sshd started", e);
            }
        }
    }

    /** Stops this node's sshd (its listener and the sessions it forked). */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        // only sshd's own session processes: etcd started over ssh has left its session long ago, and is not ours to stop
        List<ProcessHandle> sessions = process.descendants()
                .filter(h -> h.info().command().map(c -> c.contains("sshd")).orElse(false)).toList();
        Processes.stop(process.toHandle(), Duration.ofSeconds(3));
        sessions.forEach(s -> Processes.stop(s, Duration.ofSeconds(1)));
        process = null;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
