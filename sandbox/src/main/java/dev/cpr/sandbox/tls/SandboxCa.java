package dev.cpr.sandbox.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one sandbox cluster, with {@code openssl} (listed in {@code .ci/tools}): its
 * {@code ca.pem} and {@code ca-key.pem}, and the certificates it issues, all PEM files in one directory.
 *
 * <p>Why openssl and not the JDK: the JDK reads certificates but has no public API to issue one, and the
 * library that would (Bouncy Castle's PKIX part) is not among the build's dependencies. {@code openssl ca} also
 * takes a start and end date, which the faults need (an expired client certificate, one expiring in 10 days).
 * Keys are EC P-256 in PKCS#8, which etcd, the JDK, Netty and Vert.x all read.
 */
public final class SandboxCa {

    /** A certificate issued for a past day only: for the "expired client certificate" fault. */
    public record Validity(int days, String startDate, String endDate) {

        public static Validity days(int days) {
            if (days < 1) {
                throw new IllegalArgumentException("a certificate must be valid for at least one day, not " + days);
            }
            return new Validity(days, null, null);
        }

        /** 1 January 2020 to 2 January 2020. */
        public static Validity expired() {
            return new Validity(0, "20200101000000Z", "20200102000000Z");
        }

        List<String> flags() {
            return startDate == null ? List.of("-days", Integer.toString(days))
                    : List.of("-startdate", startDate, "-enddate", endDate);
        }
    }

    private static final String CONFIG = """
            [ req ]
            distinguished_name = dn
            prompt = no
            [ dn ]
            CN = unused
            [ ca ]
            default_ca = sandbox
            [ sandbox ]
            database = %1$s/index.txt
            new_certs_dir = %1$s/issued
            rand_serial = yes
            default_md = sha256
            policy = any
            unique_subject = no
            email_in_dn = no
            [ any ]
            commonName = supplied
            [ ca_ext ]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [ member ]
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth, clientAuth
            subjectAltName = IP:127.0.0.1, DNS:localhost
            [ client ]
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = clientAuth
            """;

    private final Path dir;
    private final Path config;

    private SandboxCa(Path dir) {
        this.dir = dir;
        this.config = dir.resolve("openssl.cnf");
    }

    /**
     * Makes a new CA (valid ten years) in {@code dir}, replacing whatever an earlier run left there.
     *
     * @throws IllegalStateException if openssl is missing or fails (its output in the message)
     */
    public static SandboxCa create(Path dir, String name) {
        Path absolute = dir.toAbsolutePath().normalize();
        SandboxCa ca = new SandboxCa(absolute);
        try {
            Files.createDirectories(absolute.resolve("issued"));
            Files.writeString(absolute.resolve("index.txt"), "");
            Files.writeString(ca.config, CONFIG.formatted(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox CA under " + absolute, e);
        }
        ca.newKey(ca.keyFile());
        ca.openssl(List.of("req", "-x509", "-new", "-config", ca.config.toString(), "-extensions", "ca_ext",
                "-key", ca.keyFile().toString(), "-subj", "/CN=" + name, "-days", "3650",
                "-out", ca.caFile().toString()));
        return ca;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    Path keyFile() {
        return dir.resolve("ca-key.pem");
    }

    /** A member's certificate for both its client and peer listeners: server and client auth, SAN 127.0.0.1 and localhost. */
    public IssuedCertificate issueMember(String name, Validity validity) {
        return issue(name, "member", validity);
    }

    /** A client certificate (client auth only), for cpr's services and the sandbox's own checks. */
    public IssuedCertificate issueClient(String name, Validity validity) {
        return issue(name, "client", validity);
    }

    private IssuedCertificate issue(String name, String extensions, Validity validity) {
        IssuedCertificate issued = new IssuedCertificate(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
        Path request = dir.resolve(name + ".csr");
        newKey(issued.keyFile());
        openssl(List.of("req", "-new", "-config", config.toString(), "-key", issued.keyFile().toString(),
                "-subj", "/CN=" + name, "-out", request.toString()));
        List<String> sign = new ArrayList<>(List.of("ca", "-batch", "-notext", "-config", config.toString(),
                "-extensions", extensions, "-cert", caFile().toString(), "-keyfile", keyFile().toString(),
                "-in", request.toString(), "-out", issued.certFile().toString()));
        sign.addAll(validity.flags());
        openssl(sign);
        return issued;
    }

    private void newKey(Path file) {
        openssl(List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file.toString()));
    }

    private void openssl(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(args);
        Path output = dir.resolve("openssl.log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + args.get(0) + " did not finish in 30 s under " + dir);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed (exit "
                        + process.exitValue() + "):\n" + Files.readString(output));
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                throw new IllegalStateException("openssl is not installed: the sandbox's TLS clusters need it "
                        + "(Debian/Ubuntu: apt-get install openssl)", e);
            }
            throw new UncheckedIOException("cannot run openssl under " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
