package dev.cpr.contracts.recovery;

import dev.cpr.contracts.events.EventCodec;
import java.time.Instant;
import java.util.List;

/**
 * Payload of {@code dev.cpr.recovery.updated}: the whole plan after one transition, so a reader
 * (Slack progress message, demo, dashboard) never has to rebuild it from deltas.
 *
 * @param sequence   increases with every transition of this plan; readers drop older ones
 * @param rpoSeconds age of the data the plan restored from, when it restored any
 * @param rtoMillis  detection to healthy, once the plan succeeded
 * @param options    on quorum loss: the ranked ways out, least destructive first, each with what it loses
 *                   (empty for other plans; absent in events of older producers)
 */
public record RecoveryUpdate(
        String planId,
        String incidentId,
        String clusterId,
        String plan,
        PlanState state,
        long sequence,
        List<StepView> steps,
        String message,
        Instant createdAt,
        Instant updatedAt,
        Long rpoSeconds,
        Long rtoMillis,
        List<RecoveryOption> options) implements EventCodec.Validatable {

    public RecoveryUpdate {
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** An update without ranked options (every plan but a quorum-loss one). */
    public RecoveryUpdate(String planId, String incidentId, String clusterId, String plan, PlanState state,
            long sequence, List<StepView> steps, String message, Instant createdAt, Instant updatedAt, Long rpoSeconds,
            Long rtoMillis) {
        this(planId, incidentId, clusterId, plan, state, sequence, steps, message, createdAt, updatedAt, rpoSeconds,
                rtoMillis, List.of());
    }

    @Override
    public void validate() {
        if (planId == null || planId.isBlank()) {
            throw new IllegalArgumentException("planId is missing");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is missing");
        }
        if (state == null) {
            throw new IllegalArgumentException("state is missing");
        }
        if (steps == null) {
            throw new IllegalArgumentException("steps is missing");
        }
    }
}
