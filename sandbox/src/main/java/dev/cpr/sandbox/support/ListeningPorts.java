package dev.cpr.sandbox.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A range of ports for servers to listen on that the kernel never gives to an outgoing connection, handed
 * out in turn from a random start (so two runs on one machine seldom try the same ports first).
 */
record ListeningPorts(int lowest, int highest, AtomicInteger cursor) {

    /** Linux's default ephemeral range, and what the range is taken to be where the file cannot be read. */
    static final int EPHEMERAL_LOW = 32_768;
    static final int EPHEMERAL_HIGH = 60_999;
    private static final int LOWEST_LISTENING = 10_000;
    private static final int HIGHEST_PORT = 65_535;
    private static final int ENOUGH = 1_000;

    ListeningPorts {
        if (lowest > highest) {
            throw new IllegalArgumentException("empty port range " + lowest + "-" + highest);
        }
    }

    static ListeningPorts between(int lowest, int highest) {
        return new ListeningPorts(lowest, highest,
                new AtomicInteger(ThreadLocalRandom.current().nextInt(highest - lowest + 1)));
    }

    /**
     * Below the ephemeral range in {@code rangeFile} ("32768 60999" on Linux), or above it if there is not
     * room below; Linux's default range if the file cannot be read.
     */
    static ListeningPorts outsideEphemeral(Path rangeFile) {
        int low = EPHEMERAL_LOW;
        int high = EPHEMERAL_HIGH;
        // a line at a time: Files.readString trusts the size procfs reports and returned "3" for "32768 60999"
        try (BufferedReader reader = Files.newBufferedReader(rangeFile)) {
            String[] fields = String.valueOf(reader.readLine()).trim().split("\\s+");
            int readLow = Integer.parseInt(fields[0]);
            int readHigh = Integer.parseInt(fields[1]);
            low = readLow;
            high = readHigh;
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, no /proc, or not two numbers: keep the default range
        }
        if (low - LOWEST_LISTENING >= ENOUGH) {
            return between(LOWEST_LISTENING, low - 1);
        }
        if (HIGHEST_PORT - high >= ENOUGH) {
            return between(high + 1, HIGHEST_PORT);
        }
        return between(1_024, HIGHEST_PORT); // the ephemeral range covers nearly everything: nowhere is safe
    }

    int size() {
        return highest - lowest + 1;
    }

    int next() {
        return lowest + Math.floorMod(cursor.getAndIncrement(), size());
    }

    @Override
    public String toString() {
        return "ports " + lowest + "-" + highest;
    }
}
