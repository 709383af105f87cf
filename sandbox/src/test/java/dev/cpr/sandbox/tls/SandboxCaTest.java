package dev.cpr.sandbox.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.tls.SandboxCa.Validity;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SandboxCaTest {

    private static SandboxCa ca;
    private static X509Certificate authority;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = SandboxCa.create(TestDirs.fresh("ca"), "test CA");
        authority = read(ca.caFile());
    }

    @Test
    void aMemberCertificateIsSignedByTheCaForLoopbackAndServesBothSides() throws Exception {
        // when
        IssuedCertificate member = ca.issueMember("etcd-1", Validity.days(365));
        // then
        X509Certificate cert = read(member.certFile());
        cert.verify(authority.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=etcd-1");
        assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .containsExactlyInAnyOrder("127.0.0.1", "localhost");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(Files.readString(member.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aClientCertificateIsForClientAuthOnly() throws Exception {
        // when
        X509Certificate cert = read(ca.issueClient("cpr-client", Validity.days(365)).certFile());
        // then
        cert.verify(authority.getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void theValidityAskedForIsTheOneIssued() throws Exception {
        // when
        X509Certificate soon = read(ca.issueMember("soon", Validity.days(10)).certFile());
        X509Certificate expired = read(ca.issueClient("old", Validity.expired()).certFile());
        // then
        assertThat(Duration.between(Instant.now(), soon.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(9), Duration.ofDays(10).plusMinutes(1));
        assertThat(expired.getNotAfter().toInstant()).isBefore(Instant.now());
    }

    @Test
    void aValidityOfLessThanOneDayIsRefused() {
        assertThatThrownBy(() -> Validity.days(0)).hasMessageContaining("at least one day, not 0");
    }

    @Test
    void theCaIsACertificateAuthority() {
        assertThat(authority.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(authority.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
