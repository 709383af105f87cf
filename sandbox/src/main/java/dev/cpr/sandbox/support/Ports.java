package dev.cpr.sandbox.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on the loopback interface. */
public final class Ports {

    private Ports() {
    }

    /**
     * {@code count} distinct ports that were free a moment ago. All sockets are held open until every
     * port is chosen, so the ports differ from one another; another process may still take one before
     * we bind it, which on a quiet test machine does not happen in practice.
     */
    public static List<Integer> free(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free loopback ports", e);
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

    public static int free() {
        return free(1).get(0);
    }
}
