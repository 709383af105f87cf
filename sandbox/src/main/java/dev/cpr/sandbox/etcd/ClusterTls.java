package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.sandbox.tls.IssuedCertificate;
import dev.cpr.sandbox.tls.SandboxCa;
import dev.cpr.sandbox.tls.SandboxCa.Validity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS material of one sandbox cluster, under {@code <baseDir>/tls}: its own CA, one certificate per member
 * (served on both the client and the peer listener), and the client certificate cpr and the sandbox use. The
 * inventory's {@code tls:} block points at the CA and the client certificate.
 */
record ClusterTls(SandboxCa ca, Map<String, IssuedCertificate> members, IssuedCertificate client) {

    /** How long the client certificate and, unless asked otherwise, the members' certificates are valid. */
    static final int DEFAULT_DAYS = 365;

    static ClusterTls create(Path baseDir, String clusterId, List<String> memberNames, int memberDays) {
        SandboxCa ca = SandboxCa.create(baseDir.resolve("tls"), "cpr sandbox CA of " + clusterId);
        Map<String, IssuedCertificate> members = new LinkedHashMap<>();
        for (String name : memberNames) {
            members.put(name, ca.issueMember(name, Validity.days(memberDays)));
        }
        return new ClusterTls(ca, Map.copyOf(members), ca.issueClient("cpr-client", Validity.days(DEFAULT_DAYS)));
    }

    TlsSpec spec() {
        return new TlsSpec(ca.caFile().toString(), client.certFile().toString(), client.keyFile().toString());
    }

    /** etcd's flags for mutual TLS on both listeners: a member accepts only clients and peers the CA signed. */
    List<String> memberFlags(String name) {
        IssuedCertificate own = members.get(name);
        if (own == null) {
            throw new IllegalArgumentException("no certificate was issued for member '" + name + "'");
        }
        String caFile = ca.caFile().toString();
        return List.of(
                "--cert-file", own.certFile().toString(), "--key-file", own.keyFile().toString(),
                "--trusted-ca-file", caFile, "--client-cert-auth",
                "--peer-cert-file", own.certFile().toString(), "--peer-key-file", own.keyFile().toString(),
                "--peer-trusted-ca-file", caFile, "--peer-client-cert-auth");
    }
}
