package dev.cpr.restore.domain.kubespray;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubesprayInventoryCheckTest {

    private static final String GOOD = """
            # written by cpr
            [all]
            node2 ansible_host=10.0.0.2 etcd_member_name=etcd2
            node1 ansible_host=10.0.0.1 etcd_member_name=etcd1

            [etcd]
            node2
            node1

            [kube_control_plane]
            node2
            node1

            [broken_etcd]
            node1 etcd_member_name=etcd1

            [broken_kube_control_plane]
            node1

            [k8s_cluster:children]
            kube_control_plane
            """;

    @Test
    void theInventoryCprWritesPasses() {
        assertThat(KubesprayInventoryCheck.problems(GOOD)).isEmpty();
    }

    @Test
    void anUnknownGroupIsNamed() {
        assertThat(KubesprayInventoryCheck.problems(GOOD.replace("[broken_kube_control_plane]", "[broken_masters]")))
                .anyMatch(p -> p.contains("unknown group [broken_masters]"));
    }

    @Test
    void aBrokenEtcdHostWithoutItsMemberNameIsNamed() {
        String ini = GOOD.replace("node1 ansible_host=10.0.0.1 etcd_member_name=etcd1", "node1 ansible_host=10.0.0.1")
                .replace("node1 etcd_member_name=etcd1", "node1");

        assertThat(KubesprayInventoryCheck.problems(ini)).containsExactly("broken_etcd host node1 has no etcd_member_name");
    }

    @Test
    void aBrokenNodeFirstOrOutsideItsGroupIsNamed() {
        String brokenFirst = GOOD.replace("[etcd]\nnode2\nnode1", "[etcd]\nnode1\nnode2");
        String notInEtcd = GOOD.replace("[etcd]\nnode2\nnode1", "[etcd]\nnode2");

        assertThat(KubesprayInventoryCheck.problems(brokenFirst))
                .containsExactly("the first [etcd] host node1 is broken: healthy nodes go first");
        assertThat(KubesprayInventoryCheck.problems(notInEtcd)).containsExactly("broken_etcd host node1 is not in [etcd]");
        assertThat(KubesprayInventoryCheck.problems("[all]\nnode1\n")).isEqualTo(List.of(
                "group [etcd] is empty or missing", "group [kube_control_plane] is empty or missing"));
    }
}
