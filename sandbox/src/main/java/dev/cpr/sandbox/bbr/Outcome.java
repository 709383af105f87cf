package dev.cpr.sandbox.bbr;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The errors of one bbr run and its exit code: 1 general, 4 lock, 8 unlock, 16 cleanup, OR-ed together. */
final class Outcome {

    static final int GENERAL = 1;
    static final int LOCK = 4;
    static final int UNLOCK = 8;
    static final int CLEANUP = 16;

    private final List<String> errors = new ArrayList<>();
    private int exitCode;

    void fail(int kind, String message) {
        exitCode |= kind;
        errors.add(message);
    }

    boolean failed(int kind) {
        return (exitCode & kind) != 0;
    }

    boolean ok() {
        return exitCode == 0;
    }

    int exitCode() {
        return exitCode;
    }

    /** Prints the errors as bbr does ({@code 1 error occurred:\nerror 1:\n...}). */
    void print(PrintStream err) {
        if (errors.isEmpty()) {
            return;
        }
        err.println(errors.size() + (errors.size() == 1 ? " error occurred:" : " errors occurred:"));
        for (int i = 0; i < errors.size(); i++) {
            err.println("error " + (i + 1) + ":");
            err.println(errors.get(i));
        }
        err.flush();
    }
}
