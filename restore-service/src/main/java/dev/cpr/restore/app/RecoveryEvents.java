package dev.cpr.restore.app;

import dev.cpr.restore.domain.plan.PlanListener;

/**
 * The port through which each stored plan transition leaves the service as an event ({@code dev.cpr.recovery.updated});
 * the Kafka adapter implements it. A port of its own, because metrics and fault injection are plan listeners too.
 */
public interface RecoveryEvents extends PlanListener {
}
