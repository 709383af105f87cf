package dev.cpr.sandbox.bbr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the sandbox's {@code bbr} launcher script as its own process, on this test JVM's classpath. */
record BbrRun(int exitCode, String stdout, String stderr) {

    static final Path SCRIPT = Path.of("src", "main", "bbr", "bbr");

    static BbrRun run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toAbsolutePath().toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("bbr", ".out");
            Path err = Files.createTempFile("bbr", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("CPR_BBR_CLASSPATH", System.getProperty("java.class.path"));
            builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bbr " + String.join(" ", args) + " did not finish in 180 s");
            }
            BbrRun run = new BbrRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            System.out.println("[bbr " + args[0] + " " + args[args.length - 1] + "] exit " + run.exitCode());
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
