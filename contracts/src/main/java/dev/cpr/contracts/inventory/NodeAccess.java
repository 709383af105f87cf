package dev.cpr.contracts.inventory;

/**
 * How cpr reaches the node a member runs on, to stop, wipe and start it.
 * {@code local}: the member is a process on the service's own host (the sandbox); its pid file
 * and log file default to {@code <data-dir>.pid} and {@code <data-dir>.log}.
 * {@code ssh} and {@code bosh} are declared here so inventories can name them; their adapters
 * come with the ssh and BOSH work.
 */
public record NodeAccess(
        Type type,
        String etcdBinary,
        String pidFile,
        String logFile,
        String host,
        Integer port,
        String user,
        String deployment,
        String instance) {

    public enum Type {
        @com.fasterxml.jackson.annotation.JsonProperty("local") LOCAL,
        @com.fasterxml.jackson.annotation.JsonProperty("ssh") SSH,
        @com.fasterxml.jackson.annotation.JsonProperty("bosh") BOSH
    }

    public static NodeAccess local(String etcdBinary, String pidFile, String logFile) {
        return new NodeAccess(Type.LOCAL, etcdBinary, pidFile, logFile, null, null, null, null, null);
    }
}
