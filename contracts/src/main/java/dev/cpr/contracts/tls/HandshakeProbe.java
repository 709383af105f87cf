package dev.cpr.contracts.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One TLS handshake with a member's client URL, and a {@code GET /health} over it (with TLS 1.3 a member refuses a
 * client certificate only after the handshake, when the client first reads). Says what the member's certificate is
 * (for its expiry) or, when the handshake fails, what that means: for callers whose own client only reports "no
 * answer" (jetcd waits for a channel that never becomes ready).
 */
public final class HandshakeProbe {

    /** The member's own certificate, or why none could be had. */
    public record Outcome(Optional<X509Certificate> memberCertificate, Optional<String> failure) {
    }

    private HandshakeProbe() {
    }

    public static Outcome probe(ClientTls tls, String member, String clientUrl, Duration timeout) {
        URI uri = URI.create(clientUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : 2379;
        int millis = (int) Math.max(1, timeout.toMillis());
        try (SSLSocket socket = (SSLSocket) tls.sslContext().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), millis);
            socket.setSoTimeout(millis);
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.read();
            return new Outcome(Optional.of((X509Certificate) chain[0]), Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new Outcome(Optional.empty(), Optional.of(HandshakeFailures.describe(tls.clusterId(), member,
                    tls.spec(), e).orElseGet(() -> "TLS of cluster " + tls.clusterId() + ", member " + member
                    + ": no TLS answer from " + clientUrl + ": " + e)));
        }
    }
}
