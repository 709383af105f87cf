package dev.cpr.restore.adapters.ssh;

import java.io.IOException;

/** Reaching a node over ssh failed, or a command on it failed; the message names the host and why. */
public class SshException extends IOException {

    private final transient CommandResult result;

    public SshException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    public SshException(String message) {
        this(message, (Throwable) null);
    }

    /** A command exited non-zero: the message carries its exit code and stderr. */
    public SshException(CommandResult result) {
        super(result.host() + ": `" + result.command() + "` failed with exit code " + result.exitCode()
                + (result.stderr().isBlank() ? "" : ": " + CommandResult.clip(result.stderr()))
                + (result.stdout().isBlank() ? "" : " (stdout: " + CommandResult.clip(result.stdout()) + ")"));
        this.result = result;
    }

    /** The failed command, when a command ran. */
    public CommandResult result() {
        return result;
    }
}
