package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * One director task: {@code queued -> processing -> done | error}, with its event output (newline-delimited
 * JSON, readable by byte range) and its result output. Thread-safe.
 */
final class SimulatedTask {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long id;
    private final String description;
    private final String deployment;
    private final String user;
    private final Clock clock;
    private final StringBuilder events = new StringBuilder();
    private final StringBuilder resultOutput = new StringBuilder();
    private String state = "queued";
    private String result = "";
    private long timestamp;
    private Long startedAt;
    private String stage = "";
    private int eventIndex;

    SimulatedTask(long id, String description, String deployment, String user, Clock clock) {
        this.id = id;
        this.description = description;
        this.deployment = deployment;
        this.user = user;
        this.clock = clock;
        this.timestamp = clock.instant().getEpochSecond();
    }

    long id() {
        return id;
    }

    String description() {
        return description;
    }

    synchronized String state() {
        return state;
    }

    synchronized void processing() {
        state = "processing";
        startedAt = clock.instant().getEpochSecond();
        timestamp = startedAt;
    }

    synchronized void done(String taskResult) {
        state = "done";
        result = taskResult == null ? "" : taskResult;
        timestamp = clock.instant().getEpochSecond();
    }

    synchronized void error(String message) {
        state = "error";
        result = message;
        timestamp = clock.instant().getEpochSecond();
        ObjectNode event = JSON.createObjectNode();
        event.put("time", timestamp);
        event.putObject("error").put("code", 100).put("message", message);
        events.append(event).append('\n');
    }

    /** Starts a new stage of {@code total} steps (events are numbered within it). */
    synchronized void stage(String name) {
        stage = name;
        eventIndex = 0;
    }

    /** One step of the current stage, started and finished at once. */
    synchronized void step(String task, int total) {
        eventIndex++;
        for (String eventState : new String[] {"started", "finished"}) {
            ObjectNode event = JSON.createObjectNode();
            event.put("time", clock.instant().getEpochSecond());
            event.put("stage", stage);
            event.putArray("tags");
            event.put("total", total);
            event.put("task", task);
            event.put("index", eventIndex);
            event.put("state", eventState);
            event.put("progress", eventState.equals("started") ? 0 : 100);
            events.append(event).append('\n');
        }
    }

    synchronized void appendResult(String line) {
        resultOutput.append(line).append('\n');
    }

    synchronized byte[] events() {
        return events.toString().getBytes(StandardCharsets.UTF_8);
    }

    synchronized String resultOutput() {
        return resultOutput.toString();
    }

    synchronized ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("state", state);
        out.put("description", description);
        out.put("timestamp", timestamp);
        if (startedAt == null) {
            out.putNull("started_at");
        } else {
            out.put("started_at", startedAt);
        }
        out.put("result", result);
        out.put("user", user);
        if (deployment == null) {
            out.putNull("deployment");
        } else {
            out.put("deployment", deployment);
        }
        out.put("context_id", "");
        return out;
    }
}
