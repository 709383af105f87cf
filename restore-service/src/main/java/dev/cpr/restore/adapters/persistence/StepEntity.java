package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.plan.PlanStep;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A row of {@code recovery_step}, keyed by plan id and index. */
@Entity
@Table(name = "recovery_step")
@IdClass(StepEntity.Key.class)
public class StepEntity extends PanacheEntityBase {

    @Id
    @Column(name = "plan_id")
    public String planId;
    @Id
    @Column(name = "step_index")
    public int stepIndex;
    public String name;
    public String description;
    public boolean destructive;
    @Enumerated(EnumType.STRING)
    public StepState state;
    public int attempts;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public String output;

    static StepEntity of(String planId, PlanStep step) {
        StepEntity e = new StepEntity();
        e.planId = planId;
        e.stepIndex = step.index();
        e.name = step.name();
        e.description = step.description();
        e.destructive = step.destructive();
        e.update(step);
        return e;
    }

    void update(PlanStep step) {
        state = step.state();
        attempts = step.attempts();
        startedAt = step.startedAt();
        finishedAt = step.finishedAt();
        output = step.output();
    }

    PlanStep toDomain() {
        return new PlanStep(stepIndex, name, description, destructive, state, attempts, startedAt, finishedAt, output);
    }

    public static class Key implements Serializable {
        public String planId;
        public int stepIndex;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.stepIndex == stepIndex && Objects.equals(k.planId, planId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(planId, stepIndex);
        }
    }
}
