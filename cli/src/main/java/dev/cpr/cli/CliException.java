package dev.cpr.cli;

/** A failure told in one line, with the exit code scripts rely on ({@link ExitCode}). */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
