package dev.cpr.sandbox.kubespray;

import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.sandbox.tls.IssuedCertificate;
import dev.cpr.sandbox.tls.SandboxCa;
import dev.cpr.sandbox.tls.SandboxCa.Validity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kubespray cluster's etcd certificates, laid out on each node as kubespray's etcd role lays them out: under
 * {@code /etc/ssl/etcd/ssl} of the node, {@code ca.pem}, {@code member-<host>.pem} (what the member serves to clients
 * and peers) and {@code admin-<host>.pem} (what etcdctl presents on that node), each with its {@code -key.pem}. A
 * kubespray cluster always serves etcd over mutual TLS, so the sandbox's does too; cpr gets a client certificate of
 * its own from the same CA, named by the inventory's {@code tls:} block.
 */
final class KubesprayEtcdCerts {

    /** kubespray's {@code etcd_cert_dir}, below the node's root. */
    static final String CERT_DIR = "etc/ssl/etcd/ssl";

    private final SandboxCa ca;
    private final IssuedCertificate cprClient;

    private KubesprayEtcdCerts(SandboxCa ca, IssuedCertificate cprClient) {
        this.ca = ca;
        this.cprClient = cprClient;
    }

    static KubesprayEtcdCerts create(Path base, String clusterId) {
        SandboxCa ca = SandboxCa.create(base.resolve("tls"), "cpr sandbox CA of " + clusterId);
        return new KubesprayEtcdCerts(ca, ca.issueClient("cpr-client", Validity.days(365)));
    }

    /** Issues the node's member and admin certificates and copies them, with the CA, into its cert dir. */
    void layOut(KubesprayCluster.Node node) {
        Path dir = certDir(node);
        try {
            Files.createDirectories(dir);
            Files.copy(ca.caFile(), dir.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
            copy(ca.issueMember("member-" + node.hostname(), Validity.days(365)), dir, "member-" + node.hostname());
            copy(ca.issueClient("admin-" + node.hostname(), Validity.days(365)), dir, "admin-" + node.hostname());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the etcd certificates of " + node.hostname() + " in " + dir, e);
        }
    }

    /** The TLS variables of kubespray's etcd.env template, for this node's member. */
    static Map<String, String> memberEnv(KubesprayCluster.Node node) {
        Path dir = certDir(node);
        String cert = dir.resolve("member-" + node.hostname() + ".pem").toString();
        String key = dir.resolve("member-" + node.hostname() + "-key.pem").toString();
        String ca = dir.resolve("ca.pem").toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_TRUSTED_CA_FILE", ca);
        env.put("ETCD_CERT_FILE", cert);
        env.put("ETCD_KEY_FILE", key);
        env.put("ETCD_CLIENT_CERT_AUTH", "true");
        env.put("ETCD_PEER_TRUSTED_CA_FILE", ca);
        env.put("ETCD_PEER_CERT_FILE", cert);
        env.put("ETCD_PEER_KEY_FILE", key);
        env.put("ETCD_PEER_CLIENT_CERT_AUTH", "true");
        return env;
    }

    static Path certDir(KubesprayCluster.Node node) {
        return node.dir().resolve(CERT_DIR);
    }

    /** The inventory's {@code tls:} block: the CA and cpr's own client certificate. */
    TlsSpec spec() {
        return new TlsSpec(ca.caFile().toString(), cprClient.certFile().toString(), cprClient.keyFile().toString());
    }

    private static void copy(IssuedCertificate issued, Path dir, String name) throws IOException {
        Files.copy(issued.certFile(), dir.resolve(name + ".pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(issued.keyFile(), dir.resolve(name + "-key.pem"), StandardCopyOption.REPLACE_EXISTING);
    }
}
