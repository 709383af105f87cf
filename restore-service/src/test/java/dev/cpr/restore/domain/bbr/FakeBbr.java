package dev.cpr.restore.domain.bbr;

import dev.cpr.bosh.bbr.BbrExitCode;
import dev.cpr.bosh.bbr.BbrProcess;
import dev.cpr.bosh.bbr.BbrRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A bbr that runs nothing: it records every call and answers each subcommand as the test scripted it. */
final class FakeBbr implements BbrProcess {

    record Call(List<String> args, Map<String, String> env, Duration timeout) {
        String subcommand() {
            return args.stream().filter(a -> a.equals("restore") || a.equals("restore-cleanup")).findFirst()
                    .orElse(String.join(" ", args));
        }
    }

    final List<Call> calls = new ArrayList<>();
    private final Map<String, BbrRun> answers = new HashMap<>();

    /** {@code subcommand} exits with this code and prints these lines. */
    FakeBbr answer(String subcommand, int exit, String... lines) {
        answers.put(subcommand, new BbrRun(subcommand, BbrExitCode.of(exit), false, List.of(lines), Duration.ofMillis(5)));
        return this;
    }

    /** {@code subcommand} runs past its timeout and is killed. */
    FakeBbr timesOut(String subcommand, String... lines) {
        answers.put(subcommand, new BbrRun(subcommand, BbrExitCode.of(137), true, List.of(lines), Duration.ofSeconds(7)));
        return this;
    }

    List<String> subcommands() {
        return calls.stream().map(Call::subcommand).toList();
    }

    @Override
    public BbrRun run(String clusterId, List<String> args, Map<String, String> env, Duration timeout,
            Consumer<String> onLine) {
        Call call = new Call(List.copyOf(args), Map.copyOf(env), timeout);
        calls.add(call);
        BbrRun run = answers.getOrDefault(call.subcommand(), new BbrRun(call.subcommand(), BbrExitCode.of(0), false,
                List.of("Completed " + call.subcommand()), Duration.ofMillis(5)));
        run.output().forEach(onLine);
        return run;
    }
}
