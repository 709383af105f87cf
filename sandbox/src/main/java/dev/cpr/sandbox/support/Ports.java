package dev.cpr.sandbox.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Free TCP ports on the loopback interface, and what to do when one is taken before its server binds it.
 *
 * <p>A port chosen here cannot be held for a server in another process (etcd, Kafka, PostgreSQL, a service
 * JVM): the probe socket must be closed before that server binds. Whoever starts such a server therefore
 * watches its log for a bind failure ({@link #logSaysPortTaken}) and starts it again on fresh ports
 * ({@link #retryIfTaken}), rather than waiting for a health check that another process may even answer.
 */
public final class Ports {

    private Ports() {
    }

    /** Where {@link #free} looks: below this machine's ephemeral range, from {@code ip_local_port_range}. */
    static final ListeningPorts LISTENING = ListeningPorts.outsideEphemeral(
            Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

    /** Whether something accepts a TCP connection on this loopback port within 200 ms. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code count} distinct ports that were free a moment ago, all outside the kernel's ephemeral range.
     *
     * <p>Outside, because a sandbox server keeps its ports for life and is stopped and started on them again
     * (a recovery restarts a member): while it is down, any outgoing connection on the machine may be given
     * its port as a local port by the kernel, and the restart then fails with "address already in use". CI
     * saw exactly that for a kubespray member. Ports below the ephemeral range are never handed out that way.
     * All probe sockets are held until every port is chosen, so the ports differ from one another.
     */
    public static List<Integer> free(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int misses = 0;
            while (sockets.size() < count) {
                int port = LISTENING.next();
                try {
                    sockets.add(bound(port));
                } catch (IOException taken) {
                    if (++misses > LISTENING.size()) {
                        throw new UncheckedIOException("cannot find " + count + " free loopback ports in "
                                + LISTENING, taken);
                    }
                }
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot leave anything behind
                }
            }
        }
    }

    private static ServerSocket bound(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // as etcd, Kafka and PostgreSQL bind: a connection of an earlier run in TIME_WAIT does not block them
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public static int free() {
        return free(1).get(0);
    }

    /** How many times a server is started on fresh ports before a taken port is reported as the failure. */
    public static final int START_ATTEMPTS = 3;

    /** What etcd, Kafka, PostgreSQL and Quarkus write when they cannot bind their port. */
    private static final List<String> BIND_FAILURES = List.of("address already in use", "port already bound",
            "failed to bind");

    /**
     * Runs {@code start} (which picks its ports afresh each time) until it does not fail with a
     * {@link PortTakenException}, at most {@value #START_ATTEMPTS} times; each retry is said on stderr.
     */
    public static <T> T retryIfTaken(String server, Supplier<T> start) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.get();
            } catch (PortTakenException e) {
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                System.err.println("[cpr] " + server + ": " + e.getMessage().lines().findFirst().orElse("")
                        + "; starting it again on fresh ports (attempt " + (attempt + 1) + " of " + START_ATTEMPTS + ")");
            }
        }
    }

    /** Whether a server's log says it could not bind its port. */
    public static boolean logSaysPortTaken(Path log) {
        // not just the last lines: a server that failed to bind may log its whole shutdown after the failure
        return saysPortTaken(Logs.tail(log, 2_000));
    }

    /** Whether this piece of a server's output says it could not bind its port. */
    public static boolean saysPortTaken(String output) {
        String lower = output.toLowerCase(Locale.ROOT);
        return BIND_FAILURES.stream().anyMatch(lower::contains);
    }

    /**
     * Fails at once if one of these ports is taken, naming it: for servers whose port is fixed
     * ({@code ./cpr up}'s 8081-8084), where trying another port is not an option.
     */
    public static void requireFree(String server, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + server + " is taken by another process ("
                    + e.getMessage() + "); stop it first (if it is an earlier world: ./cpr down)", e);
        }
    }
}
