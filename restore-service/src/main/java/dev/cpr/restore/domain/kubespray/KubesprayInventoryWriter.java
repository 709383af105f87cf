package dev.cpr.restore.domain.kubespray;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the Ansible INI inventory kubespray's {@code recover-control-plane.yml} wants (its runbook,
 * docs/operations/recover-control-plane.md, and seed 004):
 * <ul>
 *   <li>{@code [all]}: every node with its connection variables and {@code etcd_member_name};</li>
 *   <li>{@code [etcd]} and {@code [kube_control_plane]}: the healthy nodes FIRST (the playbook recovers from the
 *       first node of each group), then the broken ones (replaced in place, same name and address);</li>
 *   <li>{@code [broken_etcd]} with {@code etcd_member_name=<name>} on each host, and
 *       {@code [broken_kube_control_plane]}: the failed nodes (present, possibly empty);</li>
 *   <li>{@code [kube_node]}, {@code [calico_rr]} and {@code [k8s_cluster:children]} as kubespray expects.</li>
 * </ul>
 * Every etcd member is taken to run on a control-plane node (kubespray's stacked layout). The content depends
 * only on its inputs (no timestamps), so writing it again is a no-op a resumed plan can recognise.
 */
public final class KubesprayInventoryWriter {

    private KubesprayInventoryWriter() {
    }

    /**
     * The nodes of a cluster, healthy ones first, each in inventory order.
     *
     * @throws IllegalArgumentException when a failed member is not in the cluster, none failed, or none is healthy
     */
    public static List<KubesprayNode> nodes(ClusterSpec cluster, Collection<String> failed) {
        Set<String> broken = new LinkedHashSet<>(failed);
        if (broken.isEmpty()) {
            throw new IllegalArgumentException("no failed member named: nothing for recover-control-plane to do on "
                    + cluster.id());
        }
        for (String name : broken) {
            if (cluster.member(name).isEmpty()) {
                throw new IllegalArgumentException("failed member " + name + " is not a member of " + cluster.id()
                        + " " + cluster.members().stream().map(MemberSpec::name).toList());
            }
        }
        List<KubesprayNode> healthy = new ArrayList<>();
        List<KubesprayNode> down = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            if (broken.contains(member.name())) {
                down.add(KubesprayNode.of(member, true));
            } else {
                healthy.add(KubesprayNode.of(member, false));
            }
        }
        if (healthy.isEmpty()) {
            throw new IllegalArgumentException("every member of " + cluster.id() + " failed: kubespray's "
                    + "recover-control-plane needs at least one working node");
        }
        List<KubesprayNode> nodes = new ArrayList<>(healthy);
        nodes.addAll(down);
        return nodes;
    }

    /** The inventory text; {@code comment} lines go on top as {@code # ...}. */
    public static String render(List<KubesprayNode> nodes, List<String> comment) {
        List<KubesprayNode> ordered = new ArrayList<>(nodes.stream().filter(n -> !n.broken()).toList());
        ordered.addAll(nodes.stream().filter(KubesprayNode::broken).toList());
        Set<String> hostnames = new LinkedHashSet<>();
        for (KubesprayNode node : ordered) {
            if (!hostnames.add(node.hostname())) {
                throw new IllegalArgumentException("two members on host " + node.hostname()
                        + ": kubespray runs one etcd member per node");
            }
        }
        StringBuilder ini = new StringBuilder();
        for (String line : comment) {
            ini.append("# ").append(line.replace("\n", " ")).append('\n');
        }
        section(ini, "all", ordered.stream().map(KubesprayNode::allLine).toList());
        List<String> names = ordered.stream().map(KubesprayNode::hostname).toList();
        section(ini, "etcd", names);
        section(ini, "kube_control_plane", names);
        List<KubesprayNode> broken = ordered.stream().filter(KubesprayNode::broken).toList();
        section(ini, "broken_etcd", broken.stream()
                .map(n -> n.hostname() + " etcd_member_name=" + n.etcdMemberName()).toList());
        section(ini, "broken_kube_control_plane", broken.stream().map(KubesprayNode::hostname).toList());
        section(ini, "kube_node", List.of());
        section(ini, "calico_rr", List.of());
        section(ini, "k8s_cluster:children", List.of("kube_control_plane", "kube_node", "calico_rr"));
        return ini.toString();
    }

    private static void section(StringBuilder ini, String name, List<String> lines) {
        if (ini.length() > 0) {
            ini.append('\n');
        }
        ini.append('[').append(name).append("]\n");
        lines.forEach(line -> ini.append(line).append('\n'));
    }

    /** Writes the file atomically (a temp file in the same directory, then a move). */
    public static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path part = dir.resolve(file.getFileName() + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
