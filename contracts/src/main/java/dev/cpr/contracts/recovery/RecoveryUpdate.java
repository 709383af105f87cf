package dev.cpr.contracts.recovery;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param digest     {@code sha256:<hex>} of the plan's steps and the snapshot or artifact it uses: an approval names
 *                   it, so a plan that changed after a person saw it cannot be approved (null from older producers)
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
        String digest,
        List<RecoveryOption> options) implements EventCodec.Validatable {

    @JsonCreator
    public RecoveryUpdate {
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** An update without a digest or ranked options (the shape before approvals named the plan's digest). */
    public RecoveryUpdate(String planId, String incidentId, String clusterId, String plan, PlanState state,
            long sequence, List<StepView> steps, String message, Instant createdAt, Instant updatedAt,
            Long rpoSeconds, Long rtoMillis) {
        this(planId, incidentId, clusterId, plan, state, sequence, steps, message, createdAt, updatedAt, rpoSeconds,
                rtoMillis, null, List.of());
    }

    /** An update with its digest and without ranked options (every plan but a quorum-loss one). */
    public RecoveryUpdate(String planId, String incidentId, String clusterId, String plan, PlanState state,
            long sequence, List<StepView> steps, String message, Instant createdAt, Instant updatedAt,
            Long rpoSeconds, Long rtoMillis, String digest) {
        this(planId, incidentId, clusterId, plan, state, sequence, steps, message, createdAt, updatedAt, rpoSeconds,
                rtoMillis, digest, List.of());
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
