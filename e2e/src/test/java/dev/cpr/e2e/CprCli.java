package dev.cpr.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.cli.CprCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** The cpr command run in-process as a script would run it: its address and token from the environment only. */
final class CprCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    private CprCli() {
    }

    /** {@code cpr args...} with {@code CPR_CONSOLE_URL=url} and {@code CPR_TOKEN=token}, its config home {@code home}. */
    static Run run(String url, String token, Path home, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("CPR_CONSOLE_URL", url);
        env.put("CPR_TOKEN", token);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = CprCommand.commandLine(new CprCommand(env::get, home, null, Duration.ofMillis(300)));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        System.out.println("[e2e] cpr " + String.join(" ", args) + " -> " + exit + "\n" + out + err);
        return new Run(exit, out.toString(), err.toString());
    }
}
