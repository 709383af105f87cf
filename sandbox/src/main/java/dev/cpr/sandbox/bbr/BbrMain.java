package dev.cpr.sandbox.bbr;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code bbr} (BOSH Backup and Restore CLI) for the sandbox: the real flags and subcommands, talking to the
 * {@link dev.cpr.sandbox.bosh.BoshDirectorSimulator} and writing and reading the real artifact layout.
 * <pre>
 * bbr deployment --target URL --username CLIENT --password SECRET --deployment NAME [--ca-cert PATH] \
 *     pre-backup-check | backup [--artifact-path DIR] [--with-manifest] | restore --artifact-path DIR
 *     | backup-cleanup | restore-cleanup
 * bbr director --host HOST[:PORT] --username bbr --private-key-path KEY \
 *     pre-backup-check | backup [--artifact-path DIR] | restore --artifact-path DIR | backup-cleanup | restore-cleanup
 * </pre>
 * {@code --target}, {@code --username}, {@code --password}, {@code --ca-cert} default to {@code BOSH_ENVIRONMENT},
 * {@code BOSH_CLIENT}, {@code BOSH_CLIENT_SECRET}, {@code BOSH_CA_CERT}. Exit codes OR together: 1 general error,
 * 4 lock error, 8 unlock error, 16 cleanup error. Log lines on stdout, errors on stderr, as bbr prints them.
 * Launcher: {@code sandbox/src/main/bbr/bbr} (runs this class on the sandbox jar's classpath).
 */
public final class BbrMain {

    private static final Set<String> COMMANDS = Set.of("pre-backup-check", "backup", "restore", "backup-cleanup",
            "restore-cleanup");
    private static final Set<String> SWITCHES = Set.of("--with-manifest", "--debug", "--unsafe-lock-free");

    private BbrMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Clock.systemUTC()));
    }

    /** Runs one bbr command; returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            err.println(usage());
            return args.length == 0 ? 1 : 0;
        }
        String mode = args[0];
        if (!mode.equals("deployment") && !mode.equals("director")) {
            err.println("Unknown command '" + mode + "'.\n" + usage());
            return 1;
        }
        Map<String, String> flags = new HashMap<>();
        String command = null;
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (COMMANDS.contains(arg) && command == null) {
                command = arg;
            } else if (SWITCHES.contains(arg)) {
                flags.put(arg, "true");
            } else if (arg.startsWith("--") && arg.contains("=")) {
                flags.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--") && i + 1 < rest.size()) {
                flags.put(arg, rest.get(++i));
            } else {
                err.println("Incorrect Usage: unexpected argument '" + arg + "'\n" + usage());
                return 1;
            }
        }
        if (command == null) {
            err.println("Incorrect Usage: no command given (" + String.join(", ", COMMANDS) + ")\n" + usage());
            return 1;
        }
        BbrLog log = new BbrLog(out, clock);
        try {
            Outcome outcome = mode.equals("deployment") ? deployment(command, flags, log, clock)
                    : director(command, flags, log, clock);
            outcome.print(err);
            return outcome.exitCode();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static Outcome deployment(String command, Map<String, String> flags, BbrLog log, Clock clock) {
        String target = required(flags, "--target", "BOSH_ENVIRONMENT");
        String username = required(flags, "--username", "BOSH_CLIENT");
        String password = required(flags, "--password", "BOSH_CLIENT_SECRET");
        String deployment = required(flags, "--deployment", null);
        String caCert = optional(flags, "--ca-cert", "BOSH_CA_CERT");
        if (!target.contains("://")) {
            target = "https://" + target + (target.contains(":") ? "" : ":25555");
        }
        DeploymentBbr bbr;
        try {
            bbr = new DeploymentBbr(new DirectorApi(target, username, password, caCert == null ? null : Path.of(caCert)),
                    deployment, log, clock);
        } catch (BbrException e) {
            Outcome outcome = new Outcome();
            outcome.fail(e.kind, e.getMessage());
            return outcome;
        }
        switch (command) {
            case "pre-backup-check" -> bbr.preBackupCheck();
            case "backup" -> bbr.backup(artifactParent(flags), flags.containsKey("--with-manifest"));
            case "restore" -> bbr.restore(artifact(flags));
            case "backup-cleanup" -> bbr.backupCleanup();
            case "restore-cleanup" -> bbr.restoreCleanup();
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
        return bbr.outcome();
    }

    private static Outcome director(String command, Map<String, String> flags, BbrLog log, Clock clock) {
        String host = required(flags, "--host", null);
        String username = required(flags, "--username", null);
        Path key = Path.of(required(flags, "--private-key-path", null));
        DirectorBbr bbr = new DirectorBbr(host, username, key, log, clock);
        switch (command) {
            case "pre-backup-check" -> bbr.preBackupCheck();
            case "backup" -> bbr.backup(artifactParent(flags));
            case "restore" -> bbr.restore(artifact(flags));
            case "backup-cleanup" -> bbr.cleanup(true);
            case "restore-cleanup" -> bbr.cleanup(false);
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
        return bbr.outcome();
    }

    private static Path artifactParent(Map<String, String> flags) {
        Path dir = Path.of(flags.getOrDefault("--artifact-path", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--artifact-path " + dir + " is not a directory");
        }
        return dir;
    }

    private static Path artifact(Map<String, String> flags) {
        String path = flags.get("--artifact-path");
        if (path == null) {
            throw new IllegalArgumentException("Incorrect Usage: --artifact-path is required for restore");
        }
        Path dir = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Backup artifact " + dir + " does not exist or is not a directory");
        }
        return dir;
    }

    private static String required(Map<String, String> flags, String flag, String env) {
        String value = optional(flags, flag, env);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Incorrect Usage: " + flag + " flag is required."
                    + (env == null ? "" : " (or set " + env + ")"));
        }
        return value;
    }

    private static String optional(Map<String, String> flags, String flag, String env) {
        String value = flags.get(flag);
        if (value == null && env != null) {
            value = System.getenv(env);
        }
        return value;
    }

    static String usage() {
        return """
                Usage:
                  bbr deployment --target URL --username CLIENT --password SECRET --deployment NAME [--ca-cert PATH] \\
                      pre-backup-check | backup [--artifact-path DIR] [--with-manifest] | restore --artifact-path DIR \\
                      | backup-cleanup | restore-cleanup
                  bbr director --host HOST[:PORT] --username bbr --private-key-path KEY \\
                      pre-backup-check | backup [--artifact-path DIR] | restore --artifact-path DIR \\
                      | backup-cleanup | restore-cleanup
                Exit codes (OR-ed): 1 general error, 4 lock error, 8 unlock error, 16 cleanup error.""";
    }
}
