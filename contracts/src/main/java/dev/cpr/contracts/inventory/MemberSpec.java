package dev.cpr.contracts.inventory;

/** One etcd member: its name in the cluster, its URLs, its data directory on its node, how to reach the node. */
public record MemberSpec(String name, String clientUrl, String peerUrl, String dataDir, NodeAccess access) {

    /** The pid file of a local member: the configured one, or {@code <data-dir>.pid}. */
    public String localPidFile() {
        return access != null && access.pidFile() != null ? access.pidFile() : dataDir + ".pid";
    }

    /** The log file of a local member: the configured one, or {@code <data-dir>.log}. */
    public String localLogFile() {
        return access != null && access.logFile() != null ? access.logFile() : dataDir + ".log";
    }

    public String etcdBinary() {
        return access != null && access.etcdBinary() != null ? access.etcdBinary() : "etcd";
    }
}
