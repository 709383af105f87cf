package dev.cpr.cli;

import dev.cpr.sandbox.demo.launcher.Cpr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The local world's verbs, as before: {@code demo}, {@code up}, {@code down}, and its description. */
final class SandboxVerbs {

    private SandboxVerbs() {
    }

    @Command(name = "demo", description = "Run the seeds' scenarios in a fresh local world, then tear it down.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--scenario", paramLabel = "NAME[,NAME...]", description = "only these scenarios, in this order "
                + "(see 'cpr help')")
        String scenario;

        @Option(names = "--json", description = "one JSON line per scenario")
        boolean json;

        @Option(names = "--repeat", paramLabel = "N", description = "run each scenario N times (1 to 50), then one line "
                + "with the median and max of its timings")
        Integer repeat;

        @Option(names = "--etcd", paramLabel = "RELEASE", description = "3.4 (the system's, the default) or 3.5")
        String etcd;

        @Option(names = "--plain", description = "the sandbox cluster over plain HTTP (mutual TLS is the default)")
        boolean plain;

        @Option(names = "--tls", description = "the sandbox cluster over mutual TLS (the default)")
        boolean tls;

        @Override
        public Integer call() throws Exception {
            return Cpr.run("demo", launcherArgs());
        }

        /** The options as the sandbox's launcher reads them. */
        List<String> launcherArgs() {
            List<String> args = new ArrayList<>();
            if (etcd != null) {
                args.add("--etcd");
                args.add(etcd);
            }
            if (plain) {
                args.add("--plain");
            }
            if (tls) {
                args.add("--tls");
            }
            if (scenario != null) {
                args.add("--scenario");
                args.add(scenario);
            }
            if (json) {
                args.add("--json");
            }
            if (repeat != null) {
                args.add("--repeat");
                args.add(String.valueOf(repeat));
            }
            return args;
        }
    }

    @Command(name = "up", description = "Start the local world (sandbox, PKS cluster, the four services, the console) "
            + "and leave it running; prints .cpr/sandbox.json and the dashboard's URL.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--sso", description = "Also start a real OIDC provider (Keycloak, Java 21+): every service "
                + "accepts its tokens and the dashboard offers 'Log in with SSO' (users in .cpr/sandbox.json).")
        boolean sso;

        @Override
        public Integer call() throws Exception {
            return Cpr.run("up", sso ? List.of("--sso") : List.of());
        }
    }

    @Command(name = "down", description = "Stop what 'up' started.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return Cpr.run("down", List.of());
        }
    }

    @Command(name = "sandbox", description = "Print .cpr/sandbox.json of the running world (endpoints, pids, tokens) "
            + "and its BOSH deployment as the director lists it now.")
    static final class Sandbox implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return Cpr.run("status", List.of());
        }
    }
}
