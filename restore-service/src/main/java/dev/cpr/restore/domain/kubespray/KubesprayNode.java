package dev.cpr.restore.domain.kubespray;

import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.util.regex.Pattern;

/**
 * One control-plane node as kubespray's inventory names it.
 *
 * @param hostname       the Ansible inventory hostname (kubespray also uses it as the Kubernetes node name)
 * @param ansibleHost    the address Ansible connects to; null to connect to {@code hostname}
 * @param ansiblePort    null for the default
 * @param ansibleUser    null for the default
 * @param etcdMemberName the etcd member name ({@code etcd_member_name})
 * @param broken         whether the node failed (it goes into {@code broken_etcd} and {@code broken_kube_control_plane})
 */
public record KubesprayNode(String hostname, String ansibleHost, Integer ansiblePort, String ansibleUser,
        String etcdMemberName, boolean broken) {

    /** What an INI inventory can hold unquoted: no whitespace, {@code =}, {@code #}, {@code ;}, quotes or brackets. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:@%+/\\-]+");

    public KubesprayNode {
        requireSafe("hostname", hostname, true);
        requireSafe("ansible_host", ansibleHost, false);
        requireSafe("ansible_user", ansibleUser, false);
        requireSafe("etcd_member_name", etcdMemberName, true);
    }

    /**
     * The node of a cluster member: the hostname is the ssh access's {@code instance} when set, else its
     * {@code host}; Ansible connects to {@code host} with the access's port and user.
     *
     * @throws IllegalArgumentException when the member has no ssh access (kubespray reaches nodes over ssh)
     */
    public static KubesprayNode of(MemberSpec member, boolean broken) {
        NodeAccess access = member.access();
        if (access == null || access.type() != NodeAccess.Type.SSH || access.host() == null || access.host().isBlank()) {
            throw new IllegalArgumentException("member " + member.name()
                    + " needs ssh access with a host for kubespray (access: {type: ssh, host: ..., instance: <node name>})");
        }
        String hostname = access.instance() != null && !access.instance().isBlank() ? access.instance() : access.host();
        String ansibleHost = hostname.equals(access.host()) ? null : access.host();
        return new KubesprayNode(hostname, ansibleHost, access.port(), access.user(), member.name(), broken);
    }

    /** The host line of {@code [all]}: hostname and its connection variables. */
    String allLine() {
        StringBuilder line = new StringBuilder(hostname);
        if (ansibleHost != null) {
            line.append(" ansible_host=").append(ansibleHost);
        }
        if (ansiblePort != null) {
            line.append(" ansible_port=").append(ansiblePort);
        }
        if (ansibleUser != null) {
            line.append(" ansible_user=").append(ansibleUser);
        }
        line.append(" etcd_member_name=").append(etcdMemberName);
        return line.toString();
    }

    private static void requireSafe(String what, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(what + " is required for a kubespray inventory host");
            }
            return;
        }
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot be written into an Ansible INI inventory");
        }
    }
}
