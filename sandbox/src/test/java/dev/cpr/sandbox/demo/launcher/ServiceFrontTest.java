package dev.cpr.sandbox.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceFrontTest {

    private final List<HttpServer> replicas = new ArrayList<>();
    private ServiceFront front;

    @AfterEach
    void stopAll() {
        if (front != null) {
            front.close();
        }
        replicas.forEach(r -> r.stop(0));
    }

    @Test
    void newConnectionsAreSharedBetweenTheReplicas() throws IOException {
        // given a front over two replicas
        front = ServiceFront.open("svc");
        front.routeTo(List.of(replica("svc-0", "hello"), replica("svc-1", "hello")));

        // when four callers connect one after the other
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answeredBy.add(get(front.port()).split(" ")[0]);
        }

        // then both replicas answered, in turn
        assertThat(answeredBy).containsExactly("svc-0", "svc-1", "svc-0", "svc-1");
    }

    @Test
    void aKilledReplicaIsSkippedAndEveryNewConnectionReachesTheOther() throws IOException {
        // given a front over two replicas
        front = ServiceFront.open("svc");
        front.routeTo(List.of(replica("svc-0", "hello"), replica("svc-1", "hello")));

        // when the first one dies (its port refuses connections from now on)
        replicas.get(0).stop(0);

        // then every new connection is answered, by the survivor
        for (int i = 0; i < 6; i++) {
            assertThat(get(front.port())).isEqualTo("svc-1 hello");
        }
    }

    @Test
    void withNoReplicaListeningTheCallersConnectionIsClosedWithoutAnAnswer() throws IOException {
        front = ServiceFront.open("svc");
        front.routeTo(List.of(replica("svc-0", "hello")));
        replicas.get(0).stop(0);

        assertThat(get(front.port())).isEmpty();
    }

    @Test
    void aLargeAnswerArrivesWholeAfterTheCallerHalfClosed() throws IOException {
        // given a replica answering a megabyte
        String big = "x".repeat(1024 * 1024);
        front = ServiceFront.open("svc");
        front.routeTo(List.of(replica("svc-0", big)));

        // when the caller sends its request and shuts its output down before reading
        String answer = get(front.port());

        // then the whole answer arrives
        assertThat(answer).hasSize("svc-0 ".length() + big.length()).startsWith("svc-0 x").endsWith("xxx");
    }

    /** A replica answering {@code GET /} with its name and the text; returns its port. */
    private int replica(String name, String text) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        byte[] body = (name + " " + text).getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        replicas.add(server);
        return server.getAddress().getPort();
    }

    /** One request on a new connection (as a caller whose pooled connection died); the answer's body, "" if none. */
    private static String get(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int bodyAt = response.indexOf("\r\n\r\n");
            return bodyAt < 0 ? "" : response.substring(bodyAt + 4);
        }
    }
}
