package dev.cpr.sandbox.bosh;

import com.sun.net.httpserver.HttpExchange;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The director's tasks: each runs on one background thread, {@code queued -> processing -> done|error}, and is
 * read back through {@code GET /tasks/<id>} and its output (the event log honours {@code Range: bytes=N-}).
 */
final class DirectorTasks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectorTasks.class.getName());

    private final Clock clock;
    private final Duration stepDelay;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            SimHttp.daemonThreads("bosh-simulator-task"));
    private final Map<Long, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final AtomicLong nextTaskId = new AtomicLong(1);

    DirectorTasks(Clock clock, Duration stepDelay) {
        this.clock = clock;
        this.stepDelay = stepDelay;
    }

    long nextTaskId() {
        return nextTaskId.get();
    }

    /** Task ids go on after a restored state's, never back. */
    void continueAfter(long restoredNextTaskId) {
        nextTaskId.accumulateAndGet(restoredNextTaskId, Math::max);
    }

    SimulatedTask submit(String description, String deploymentName, String user,
            Function<SimulatedTask, String> work) {
        SimulatedTask task = new SimulatedTask(nextTaskId.getAndIncrement(), description, deploymentName, user, clock);
        tasks.put(task.id(), task);
        executor.submit(() -> {
            try {
                pause(stepDelay);
                task.processing();
                pause(stepDelay);
                task.done(work.apply(task));
            } catch (RuntimeException e) {
                LOG.info(() -> "BOSH simulator task " + task.id() + " '" + description + "' failed: " + e.getMessage());
                task.error(e.getMessage());
            } catch (InterruptedException e) {
                task.error("director shut down");
                Thread.currentThread().interrupt();
            }
        });
        return task;
    }

    SimulatedTask find(String id) {
        try {
            SimulatedTask task = tasks.get(Long.parseLong(id));
            if (task != null) {
                return task;
            }
        } catch (NumberFormatException e) {
            // falls through to not found
        }
        throw DirectorError.taskNotFound(id);
    }

    /** {@code GET /tasks/<id>/output?type=result|event|debug}. */
    void sendOutput(HttpExchange exchange, SimulatedTask task, String type) throws IOException {
        byte[] content = switch (type) {
            case "result" -> task.resultOutput().getBytes(StandardCharsets.UTF_8);
            case "event" -> task.events();
            case "debug" -> ("I, [" + Instant.now(clock) + "] INFO -- DirectorJobRunner: task " + task.id() + " '"
                    + task.description() + "' " + task.state() + "\n").getBytes(StandardCharsets.UTF_8);
            default -> throw new DirectorError(400, 40000, "Invalid output type '" + type + "'");
        };
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            sendFrom(exchange, content, range);
            return;
        }
        SimHttp.send(exchange, 200, SimHttp.TEXT, content);
    }

    private static void sendFrom(HttpExchange exchange, byte[] content, String range) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", SimHttp.TEXT);
        long from;
        try {
            from = Long.parseLong(range.substring(6, range.length() - 1));
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 0 || from >= content.length) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        int start = (int) from;
        exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/"
                + content.length);
        exchange.sendResponseHeaders(206, content.length - start);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content, start, content.length - start);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
