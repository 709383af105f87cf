package dev.cpr.restore.adapters.ssh;

/** Where a command goes: {@code user@host:port}. */
public record SshTarget(String host, int port, String user) {

    public SshTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("ssh target needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ssh port " + port + " of " + host + " is out of range");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("ssh target " + host + " needs a user");
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
