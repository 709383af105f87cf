package dev.cpr.sandbox.demo.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Kubernetes Service gives the replicas of a cpr service, in the sandbox: one address in front of them. Each
 * connection it accepts is forwarded, byte for byte, to one of the replicas, taken in turn; a replica that refuses
 * the connect (killed, not yet listening) is skipped for the next. A connection already forwarded to a replica that
 * dies ends with it, as a connection through kube-proxy does: the caller's next connection reaches a live one.
 */
public final class ServiceFront implements AutoCloseable {

    /** A live replica on loopback accepts at once; a dead one refuses at once. Longer only on a stalled machine. */
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<Integer> replicaPorts = List.of();

    private ServiceFront(String name, ServerSocket server) {
        this.name = name;
        this.server = server;
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "front-" + name);
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    /** Listens on a port the system chooses (no race with another process taking it), on loopback. */
    public static ServiceFront open(String name) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        return new ServiceFront(name, server);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The replicas' ports new connections go to from now on; connections already forwarded stay where they are. */
    public void routeTo(List<Integer> ports) {
        replicaPorts = List.copyOf(ports);
    }

    public List<Integer> replicaPorts() {
        return replicaPorts;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket caller = server.accept();
                threads.execute(() -> forward(caller));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("[cpr] front of " + name + ": accept failed: " + e.getMessage());
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private void forward(Socket caller) {
        open.add(caller);
        Socket replica = connectToAReplica();
        if (replica == null) {
            // as a Service with no ready endpoint: the caller's connection is closed, it retries or fails
            closeQuietly(caller);
            return;
        }
        AtomicInteger ended = new AtomicInteger();
        threads.execute(() -> pump(replica, caller, ended));
        pump(caller, replica, ended);
    }

    /** The replicas in turn from the next one, skipping those that refuse; null if none accepts. */
    private Socket connectToAReplica() {
        List<Integer> ports = replicaPorts;
        int first = Math.floorMod(next.getAndIncrement(), Math.max(1, ports.size()));
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get((first + i) % ports.size());
            Socket replica = new Socket();
            try {
                replica.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                replica.setTcpNoDelay(true);
                open.add(replica);
                return replica;
            } catch (IOException refused) {
                closeQuietly(replica);
            }
        }
        return null;
    }

    /**
     * Copies one direction until it ends, then half-closes the other side (HTTP/1.1 callers may still read the
     * answer); once both directions ended, or either failed (a replica killed, a caller gone), both sockets close.
     */
    private void pump(Socket from, Socket to, AtomicInteger ended) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
            if (ended.incrementAndGet() < 2) {
                return;
            }
        } catch (IOException e) {
            // a reset or a closed socket: the pair is done, the other direction's read fails and ends too
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
        threads.shutdownNow();
    }
}
