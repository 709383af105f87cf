package dev.cpr.contracts.tls;

import dev.cpr.contracts.inventory.TlsSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A cluster's client TLS material ({@link TlsSpec}: CA, client certificate and key, PEM files) read and checked
 * before any connection, so that a missing key file or an expired client certificate is reported as exactly that,
 * naming the cluster, the member and the file, rather than as a failed handshake.
 *
 * <p>Keys are PKCS#8 PEM ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519), what {@code openssl genpkey} writes and
 * what the JDK and Netty read without extra providers.
 */
public record ClientTls(String clusterId, TlsSpec spec, List<X509Certificate> authorities,
        X509Certificate clientCertificate, List<X509Certificate> clientChain, PrivateKey clientKey) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    /**
     * Reads and checks {@code spec}'s files for reaching {@code member} of {@code clusterId} ({@code member} may be
     * null when the whole cluster is meant).
     *
     * @throws TlsMaterialException naming the cluster, member and file at fault
     */
    public static ClientTls load(String clusterId, String member, TlsSpec spec, Instant now) {
        Where where = new Where(clusterId, member);
        if (spec.caFile() == null || spec.caFile().isBlank()) {
            throw where.fail("tls.ca-file is required: the CA that signed the members' certificates", null, null);
        }
        boolean hasCert = spec.certFile() != null && !spec.certFile().isBlank();
        boolean hasKey = spec.keyFile() != null && !spec.keyFile().isBlank();
        if (hasCert != hasKey) {
            throw where.fail("tls.cert-file and tls.key-file go together: " + (hasCert ? "key-file" : "cert-file")
                    + " is missing", null, null);
        }
        List<X509Certificate> authorities = certificates(where, "CA file", spec.caFile());
        X509Certificate client = null;
        List<X509Certificate> chain = List.of();
        PrivateKey key = null;
        if (hasCert) {
            chain = certificates(where, "client certificate", spec.certFile());
            client = chain.get(0);
            if (now.isAfter(client.getNotAfter().toInstant())) {
                throw where.fail("client certificate " + spec.certFile() + " expired at "
                        + client.getNotAfter().toInstant() + "; issue a new one", spec.certFile(), null);
            }
            if (now.isBefore(client.getNotBefore().toInstant())) {
                throw where.fail("client certificate " + spec.certFile() + " is not valid before "
                        + client.getNotBefore().toInstant(), spec.certFile(), null);
            }
            key = privateKey(where, spec.keyFile());
        }
        return new ClientTls(clusterId, spec, List.copyOf(authorities), client, List.copyOf(chain), key);
    }

    /** A JDK SSL context that trusts only the cluster's CA and presents the client certificate, if there is one. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagerFactory() == null ? null : keyManagerFactory().getKeyManagers(),
                    trustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context of cluster " + clusterId + ": "
                    + e.getMessage(), e);
        }
    }

    public TrustManagerFactory trustManagerFactory() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the CA in " + spec.caFile() + ": " + e.getMessage(), e);
        }
    }

    /** Null when the cluster has no client certificate. */
    public KeyManagerFactory keyManagerFactory() {
        if (clientKey == null) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setKeyEntry("client", clientKey, NO_PASSWORD, clientChain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the client key " + spec.keyFile() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Where where, String what, String file) {
        String text = read(where, what, file);
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(decode(m.group(2)))));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw where.fail(what + " " + file + " holds a certificate that cannot be read: " + e.getMessage(), file, e);
        }
        if (certificates.isEmpty()) {
            throw where.fail(what + " " + file + " holds no PEM certificate (BEGIN CERTIFICATE)", file, null);
        }
        return certificates;
    }

    private static PrivateKey privateKey(Where where, String file) {
        String text = read(where, "key file", file);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = decode(m.group(2));
                for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisAlgorithm) {
                        // the PKCS#8 header names the algorithm, but the JDK only tells by trying
                    }
                }
                throw where.fail("key file " + file + " holds a PKCS#8 key of an algorithm other than EC, RSA, Ed25519",
                        file, null);
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw where.fail("key file " + file + " holds a '" + type + "' key; convert it to PKCS#8 with "
                        + "`openssl pkcs8 -topk8 -nocrypt -in " + file + "`", file, null);
            }
        }
        throw where.fail("key file " + file + " holds no PEM private key (BEGIN PRIVATE KEY)", file, null);
    }

    private static String read(Where where, String what, String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw where.fail(what + " " + file + " does not exist", file, e);
        } catch (IOException e) {
            throw where.fail(what + " " + file + " cannot be read: " + e.getMessage(), file, e);
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.strip());
    }

    private record Where(String clusterId, String member) {

        TlsMaterialException fail(String reason, String file, Throwable cause) {
            return new TlsMaterialException(prefix() + reason, file, cause);
        }

        private String prefix() {
            return "TLS of cluster " + clusterId + (member == null ? "" : ", member " + member) + ": ";
        }
    }
}
