package dev.cpr.bosh.bbr;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads why a bbr backup failed from its output. The case cpr handles: one instance's job could not run because
 * the instance (a master) is down, as in seed 001:
 * {@code Error attempting to run backup for job bbr-etcd on master/9b8ad6e0-...: Error: dial tcp
 * 172.28.3.2:2379: connect: connection refused - exit code 2}, or its VM is gone or silent.
 */
public final class BbrFailure {

    private static final Pattern[] INSTANCE_DOWN = {
            Pattern.compile("Error attempting to run (?:backup|pre-backup-lock) for job \\S+ on (\\S+?):"),
            Pattern.compile("instance (\\S+) has no VM"),
            Pattern.compile("connection timed out \\((\\S+?)\\)"),
    };

    private BbrFailure() {
    }

    /** The instance that was down ({@code master/<uuid>}), if the output says one was. */
    public static Optional<String> instanceDown(String output) {
        for (Pattern pattern : INSTANCE_DOWN) {
            Matcher m = pattern.matcher(output);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
