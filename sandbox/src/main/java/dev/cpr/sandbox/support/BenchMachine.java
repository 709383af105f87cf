package dev.cpr.sandbox.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a benchmark prints about the machine it ran on: these machines are shared, so a figure means little without
 * the load average beside it (read at the start and at the end of a run).
 */
public final class BenchMachine {

    private BenchMachine() {
    }

    /** {@code 2 cores (model), 23 GB, java 17.0.x, max heap 1024 MB}. */
    public static String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %d GB memory, java %s, max heap %d MB",
                Runtime.getRuntime().availableProcessors(), cpuModel(), totalMemoryGb(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The 1, 5 and 15 minute load averages as {@code /proc/loadavg} has them, or "unknown" off Linux. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Heap in use after a collection asked for (a figure of what is kept, not of garbage not yet collected). */
    public static double heapUsedAfterGcMb() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static String cpuModel() {
        return line("/proc/cpuinfo", "model name").orElse("cpu model unknown");
    }

    private static long totalMemoryGb() {
        return line("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) >> 20).orElse(0L);
    }

    private static java.util.Optional<String> line(String file, String name) {
        try (var lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(name)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
