package dev.cpr.restore.domain.kubespray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubesprayInventoryWriterTest {

    /** Three stacked control-plane nodes: etcd1 on node1 (10.0.0.1) ... */
    static ClusterSpec kubesprayCluster() {
        return new ClusterSpec("prod", ClusterKind.ETCD, "k8s_etcd", null, List.of(
                member("etcd1", "node1", "10.0.0.1"),
                member("etcd2", "node2", "10.0.0.2"),
                member("etcd3", "node3", "10.0.0.3")), null);
    }

    static MemberSpec member(String name, String node, String ip) {
        return new MemberSpec(name, "https://" + ip + ":2379", "https://" + ip + ":2380", "/var/lib/etcd",
                new NodeAccess(NodeAccess.Type.SSH, null, null, null, ip, 22, "ubuntu", null, node));
    }

    @Test
    void theHealthyNodesComeFirstAndTheBrokenOnesAreInTheBrokenGroups() {
        // given etcd1 on the first node failed
        ClusterSpec cluster = kubesprayCluster();

        // when the inventory is written
        String ini = KubesprayInventoryWriter.render(KubesprayInventoryWriter.nodes(cluster, List.of("etcd1")),
                List.of("plan p-1"));

        // then the survivors lead etcd and kube_control_plane, and etcd1's node is marked broken with its member name
        assertThat(ini).isEqualTo("""
                # plan p-1

                [all]
                node2 ansible_host=10.0.0.2 ansible_port=22 ansible_user=ubuntu etcd_member_name=etcd2
                node3 ansible_host=10.0.0.3 ansible_port=22 ansible_user=ubuntu etcd_member_name=etcd3
                node1 ansible_host=10.0.0.1 ansible_port=22 ansible_user=ubuntu etcd_member_name=etcd1

                [etcd]
                node2
                node3
                node1

                [kube_control_plane]
                node2
                node3
                node1

                [broken_etcd]
                node1 etcd_member_name=etcd1

                [broken_kube_control_plane]
                node1

                [kube_node]

                [calico_rr]

                [k8s_cluster:children]
                kube_control_plane
                kube_node
                calico_rr
                """);
    }

    @Test
    void withoutAnInstanceNameTheHostIsTheHostname() {
        MemberSpec bare = new MemberSpec("etcd9", "https://h9:2379", "https://h9:2380", "/var/lib/etcd",
                new NodeAccess(NodeAccess.Type.SSH, null, null, null, "h9.example.org", null, null, null, null));

        KubesprayNode node = KubesprayNode.of(bare, true);

        assertThat(node.hostname()).isEqualTo("h9.example.org");
        assertThat(node.allLine()).isEqualTo("h9.example.org etcd_member_name=etcd9");
    }

    @Test
    void twoBrokenMembersKeepTheirInventoryOrderAfterTheSurvivor() {
        List<KubesprayNode> nodes = KubesprayInventoryWriter.nodes(kubesprayCluster(), List.of("etcd3", "etcd1"));

        assertThat(nodes).extracting(KubesprayNode::hostname).containsExactly("node2", "node1", "node3");
        assertThat(nodes).filteredOn(KubesprayNode::broken).extracting(KubesprayNode::etcdMemberName)
                .containsExactly("etcd1", "etcd3");
    }

    @Test
    void everyMemberBrokenIsRefusedBecauseKubesprayNeedsAWorkingNode() {
        assertThatThrownBy(() -> KubesprayInventoryWriter.nodes(kubesprayCluster(), List.of("etcd1", "etcd2", "etcd3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least one working node");
    }

    @Test
    void anUnknownOrMissingFailedMemberIsRefused() {
        assertThatThrownBy(() -> KubesprayInventoryWriter.nodes(kubesprayCluster(), List.of("etcd7")))
                .hasMessageContaining("failed member etcd7 is not a member of prod");
        assertThatThrownBy(() -> KubesprayInventoryWriter.nodes(kubesprayCluster(), List.of()))
                .hasMessageContaining("no failed member named");
    }

    @Test
    void aMemberWithoutSshAccessCannotBeInAKubesprayInventory() {
        MemberSpec local = new MemberSpec("etcd1", "http://127.0.0.1:2379", "http://127.0.0.1:2380", "/tmp/etcd1",
                NodeAccess.local("etcd", null, null));

        assertThatThrownBy(() -> KubesprayNode.of(local, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member etcd1 needs ssh access with a host for kubespray");
    }

    @Test
    void valuesThatWouldBreakTheIniFormatAreRefused() {
        assertThatThrownBy(() -> new KubesprayNode("node1 evil=1", null, null, null, "etcd1", false))
                .hasMessageContaining("hostname 'node1 evil=1' cannot be written");
        assertThatThrownBy(() -> new KubesprayNode("node1", null, null, null, "etcd#1", false))
                .hasMessageContaining("etcd_member_name 'etcd#1' cannot be written");
    }

    @Test
    void theCommandLineIsTheRunbooksWithTheSnapshotWhenGiven() {
        PlaybookRun run = new PlaybookRun(java.nio.file.Path.of("/opt/kubespray"), java.nio.file.Path.of("/w/hosts.ini"),
                "recover-control-plane.yml", List.of("etcd", "kube_control_plane"),
                new java.util.LinkedHashMap<>(java.util.Map.of("etcd_retries", "10")), List.of("--become"),
                java.time.Duration.ofMinutes(1));

        assertThat(run.argv("ansible-playbook")).containsExactly("ansible-playbook", "-i", "/w/hosts.ini",
                "recover-control-plane.yml", "--limit", "etcd,kube_control_plane", "-e", "etcd_retries=10", "--become");
        assertThatThrownBy(() -> new PlaybookRun(run.workDir(), run.inventory(), run.playbook(), run.limit(),
                java.util.Map.of("etcd_snapshot", "/tmp/my snapshot.db"), List.of(), run.timeout()))
                .hasMessageContaining("cannot be passed as -e key=value");
    }
}
