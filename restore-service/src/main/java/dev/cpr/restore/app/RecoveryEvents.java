package dev.cpr.restore.app;

import dev.cpr.restore.domain.plan.PlanListener;

/**
 * The port through which each stored plan transition leaves the service as an event ({@code dev.cpr.recovery.updated}):
 * the store wrote the event's outbox row in the transition's transaction, and this tells the Kafka adapter to send it
 * now rather than at its next poll. A port of its own, because metrics and fault injection are plan listeners too.
 */
public interface RecoveryEvents extends PlanListener {
}
