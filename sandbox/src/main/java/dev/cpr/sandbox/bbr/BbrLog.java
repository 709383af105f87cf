package dev.cpr.sandbox.bbr;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** bbr's log lines: {@code [bbr] 2020/08/05 02:54:23 INFO - Starting restore of ...} (UTC). */
final class BbrLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final Clock clock;

    BbrLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    void info(String message) {
        line("INFO", message);
    }

    void warn(String message) {
        line("WARNING", message);
    }

    void error(String message) {
        line("ERROR", message);
    }

    private void line(String level, String message) {
        out.println("[bbr] " + TIME.format(clock.instant()) + " " + level + " - " + message);
        out.flush();
    }
}
