package dev.cpr.sandbox.bbr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.TlsSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance's VM as bbr reaches it over SSH (on the simulator: {@code /_sim/deployments/<d>/ssh}): its
 * {@code /var/vcap/store} directory and, on a master, the etcd member it runs.
 *
 * @param member     null on an instance without an etcd member (a worker)
 * @param memberTls  the CA, client certificate and key the bbr-etcd job's etcdctl presents to its member; null when
 *                   the member serves plain HTTP
 */
record VmAccess(String group, String id, int index, boolean bootstrap, String vmCid, boolean agentResponsive,
        String host, Path storeDir, List<String> bbrJobs, MemberSpec member, TlsSpec memberTls) {

    static List<VmAccess> parse(JsonNode ssh) {
        List<VmAccess> out = new ArrayList<>();
        for (JsonNode i : ssh.path("instances")) {
            JsonNode etcd = i.path("etcd");
            MemberSpec member = etcd.isObject() ? new MemberSpec(etcd.path("name").asText(),
                    etcd.path("client_url").asText(), etcd.path("peer_url").asText(), etcd.path("data_dir").asText(),
                    NodeAccess.local(etcd.path("etcd_binary").asText(), etcd.path("pid_file").asText(),
                            etcd.path("log_file").asText())) : null;
            JsonNode tls = etcd.path("tls");
            TlsSpec memberTls = tls.isObject() ? new TlsSpec(tls.path("ca_file").asText(),
                    tls.path("cert_file").asText(), tls.path("key_file").asText()) : null;
            List<String> jobs = new ArrayList<>();
            i.path("bbr_jobs").forEach(j -> jobs.add(j.asText()));
            out.add(new VmAccess(i.path("job_name").asText(), i.path("id").asText(), i.path("index").asInt(),
                    i.path("bootstrap").asBoolean(), i.path("vm_cid").isNull() ? null : i.path("vm_cid").asText(),
                    i.path("agent_responsive").asBoolean(true), i.path("host").asText(),
                    Path.of(i.path("store_dir").asText()), List.copyOf(jobs), member, memberTls));
        }
        return out;
    }

    /** {@code master/<uuid>} */
    String name() {
        return group + "/" + id;
    }

    /** {@code master-0-bbr-etcd.tar} */
    String tarName(String job) {
        return group + "-" + index + "-" + job + ".tar";
    }

    Path backupDir() {
        return storeDir.resolve("bbr-backup");
    }

    Path restoreDir() {
        return storeDir.resolve("bbr-restore");
    }

    /** Like opening an SSH session: fails when the VM is gone or does not answer. */
    void connect() throws BbrException {
        if (vmCid == null) {
            throw new BbrException(Outcome.GENERAL, "ssh.NewConnection.ParseAuthorizedKey failed: instance " + name()
                    + " has no VM");
        }
        if (!agentResponsive) {
            throw new BbrException(Outcome.GENERAL, "ssh: dial tcp " + host + ":22: connect: connection timed out ("
                    + name() + ")");
        }
    }
}
