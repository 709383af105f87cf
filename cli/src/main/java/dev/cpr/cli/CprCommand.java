package dev.cpr.cli;

import dev.cpr.sandbox.demo.launcher.CprHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cpr}: the sandbox's verbs ({@code demo}, {@code up}, {@code down}, {@code sandbox}) and the operator's verbs,
 * which work against any install through its console.
 */
@Command(name = "cpr", mixinStandardHelpOptions = true, version = "cpr 0.1.0",
        description = "Control-plane recovery: the local world (demo, up, down) and any install through its console.",
        footer = {"", "Exit codes: 0 ok; 1 refused or failed (a plan failed, a backup corrupt, status not all well); "
                + "2 usage; 3 console unreachable; 4 token refused (unknown or expired); 5 role may not; 6 not found; "
                + "7 a service behind the console is down.",
                "Address and token: --console/--token, CPR_CONSOLE_URL/CPR_TOKEN, a context of ~/.config/cpr/config.yaml "
                + "(CPR_CONFIG, --context, CPR_CONTEXT), else the running './cpr up' world."},
        subcommands = {
            SandboxVerbs.Demo.class, SandboxVerbs.Up.class, SandboxVerbs.Down.class, SandboxVerbs.Sandbox.class,
            ReadVerbs.Status.class, ReadVerbs.Incidents.class, ReadVerbs.Plans.class, ReadVerbs.ShowPlan.class,
            ActionVerbs.Approve.class, ActionVerbs.Reject.class, ActionVerbs.Cancel.class, ActionVerbs.Recover.class,
            BackupVerbs.Backups.class, BackupVerbs.Backup.class,
            AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class CprCommand implements java.util.concurrent.Callable<Integer> {

    private final Function<String, String> env;
    private final Path userHome;
    private final Path checkout;
    private final Duration pollInterval;

    /**
     * @param env          the environment ({@code CPR_CONSOLE_URL}, {@code CPR_TOKEN}, {@code CPR_CONFIG}, ...)
     * @param userHome     where {@code ~/.config/cpr/config.yaml} is looked for
     * @param checkout     the cpr checkout, whose {@code .cpr/sandbox.json} names a running world (null: none)
     * @param pollInterval how often {@code --watch} and {@code --wait} look again
     */
    public CprCommand(Function<String, String> env, Path userHome, Path checkout, Duration pollInterval) {
        this.env = env;
        this.userHome = userHome;
        this.checkout = checkout;
        this.pollInterval = pollInterval;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code cpr} alone: the usage and the demo's scenarios, exit 2. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.println("scenarios (cpr demo --scenario NAME):");
        dev.cpr.sandbox.demo.scenario.Scenarios.all().forEach(s -> err.printf("  %-24s %s%n", s.name(), s.description()));
        err.flush();
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        Path checkout;
        try {
            checkout = CprHome.locate().root();
        } catch (IllegalStateException outsideACheckout) {
            checkout = null; // an operator's machine: no sandbox, only consoles
        }
        System.exit(commandLine(new CprCommand(Target.processEnv(), Path.of(System.getProperty("user.home")), checkout,
                Duration.ofSeconds(2))).execute(args));
    }

    /** The command line with cpr's one-line error handling; tests call {@code setOut}/{@code setErr} on it. */
    public static CommandLine commandLine(CprCommand command) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException cli) {
                cmd.getErr().println("cpr: " + cli.getMessage());
                cmd.getErr().flush();
                return cli.exitCode();
            }
            throw e;
        });
        return line;
    }

    Target target(ConnectionOptions options) {
        return Target.resolve(options.console, options.token, options.context, env, userHome, checkout);
    }

    ConsoleClient client(ConnectionOptions options) {
        return new ConsoleClient(target(options), Duration.ofSeconds(options.timeoutSeconds));
    }

    Duration pollInterval() {
        return pollInterval;
    }

    /** The options every operator verb takes. */
    public static final class ConnectionOptions {
        @CommandLine.Option(names = "--console", paramLabel = "URL", description = "the console's address")
        String console;

        @CommandLine.Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (better: CPR_TOKEN)")
        String token;

        @CommandLine.Option(names = "--context", paramLabel = "NAME", description = "a context of the config file")
        String context;

        @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table (for people) or json (for scripts)")
        Output output;

        @CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "how long one call to the console may take")
        int timeoutSeconds;

        boolean json() {
            return output == Output.json;
        }
    }

    /** What {@code -o} takes. */
    public enum Output { table, json }

    /** Where a verb prints. */
    static PrintWriter out(CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getOut();
    }
}
