package dev.cpr.restore.domain.kubespray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an INI inventory must hold before it is handed to {@code recover-control-plane.yml}; checked before
 * ansible-playbook starts, so a wrong entry is refused instead of recovering the wrong nodes:
 * <ul>
 *   <li>only the groups kubespray knows ({@code [x:vars]} and {@code [x:children]} of them too); a misspelt group
 *       would silently be an empty one to the playbook;</li>
 *   <li>{@code etcd} and {@code kube_control_plane} not empty, their first host not broken (the playbook recovers
 *       from it);</li>
 *   <li>every {@code broken_etcd} host has {@code etcd_member_name} (on its line or in {@code [all]}) and is in
 *       {@code etcd}; every {@code broken_kube_control_plane} host is in {@code kube_control_plane}.</li>
 * </ul>
 */
public final class KubesprayInventoryCheck {

    public static final Set<String> GROUPS = Set.of("all", "etcd", "kube_control_plane", "broken_etcd",
            "broken_kube_control_plane", "kube_node", "calico_rr", "k8s_cluster");

    private KubesprayInventoryCheck() {
    }

    /** @return what is wrong, one line each; empty when the inventory may be used */
    public static List<String> problems(String ini) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        Map<String, Map<String, String>> vars = new LinkedHashMap<>();
        String group = "ungrouped";
        boolean hostSection = true;
        int lineNo = 0;
        for (String raw : ini.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    problems.add("line " + lineNo + ": '" + line + "' is not a group header");
                    continue;
                }
                String header = line.substring(1, line.length() - 1).strip();
                String name = header.contains(":") ? header.substring(0, header.indexOf(':')) : header;
                String suffix = header.contains(":") ? header.substring(header.indexOf(':') + 1) : "";
                if (!GROUPS.contains(name)) {
                    problems.add("line " + lineNo + ": unknown group [" + header + "] (kubespray's groups: "
                            + GROUPS.stream().sorted().toList() + ")");
                }
                if (!suffix.isEmpty() && !suffix.equals("vars") && !suffix.equals("children")) {
                    problems.add("line " + lineNo + ": [" + header + "] is neither :vars nor :children");
                }
                group = name;
                hostSection = suffix.isEmpty();
                hosts.computeIfAbsent(group, g -> new ArrayList<>());
                continue;
            }
            if (!hostSection) {
                continue;
            }
            String[] fields = line.split("\\s+");
            hosts.computeIfAbsent(group, g -> new ArrayList<>()).add(fields[0]);
            Map<String, String> hostVars = vars.computeIfAbsent(fields[0], h -> new LinkedHashMap<>());
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq <= 0) {
                    problems.add("line " + lineNo + ": '" + fields[i] + "' of host " + fields[0] + " is not key=value");
                } else {
                    hostVars.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
                }
            }
        }
        List<String> etcd = hosts.getOrDefault("etcd", List.of());
        List<String> controlPlane = hosts.getOrDefault("kube_control_plane", List.of());
        Set<String> brokenEtcd = new LinkedHashSet<>(hosts.getOrDefault("broken_etcd", List.of()));
        Set<String> brokenControlPlane = new LinkedHashSet<>(hosts.getOrDefault("broken_kube_control_plane", List.of()));
        if (etcd.isEmpty()) {
            problems.add("group [etcd] is empty or missing");
        } else if (brokenEtcd.contains(etcd.get(0))) {
            problems.add("the first [etcd] host " + etcd.get(0) + " is broken: healthy nodes go first");
        }
        if (controlPlane.isEmpty()) {
            problems.add("group [kube_control_plane] is empty or missing");
        } else if (brokenControlPlane.contains(controlPlane.get(0))) {
            problems.add("the first [kube_control_plane] host " + controlPlane.get(0) + " is broken: healthy nodes go first");
        }
        for (String host : brokenEtcd) {
            String name = vars.getOrDefault(host, Map.of()).get("etcd_member_name");
            if (name == null || name.isBlank()) {
                problems.add("broken_etcd host " + host + " has no etcd_member_name");
            }
            if (!etcd.contains(host)) {
                problems.add("broken_etcd host " + host + " is not in [etcd]");
            }
        }
        for (String host : brokenControlPlane) {
            if (!controlPlane.contains(host)) {
                problems.add("broken_kube_control_plane host " + host + " is not in [kube_control_plane]");
            }
        }
        return problems;
    }
}
