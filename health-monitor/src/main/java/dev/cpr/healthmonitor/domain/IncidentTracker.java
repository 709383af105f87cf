package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides when incidents open and resolve, from classified polls.
 *
 * <ul>
 *   <li>One open incident per cluster and failure kind: a confirmed failure that already has an
 *       open incident opens nothing (deduplicated, also across restarts via {@link #restore}).</li>
 *   <li>A failure opens once the {@link Debouncer} confirms it; it resolves once the debouncer
 *       clears it.</li>
 *   <li>Escalation: with MEMBER_UNHEALTHY open, a confirmed QUORUM_LOST opens a second incident;
 *       the first stays open (its members are still down).</li>
 *   <li>A lost quorum also shows unhealthy members, but a fresh quorum loss opens only
 *       QUORUM_LOST; if the quorum comes back while members are still down, MEMBER_UNHEALTHY
 *       opens then (de-escalation).</li>
 * </ul>
 *
 * Decisions are proposals: the tracker records an incident as open or resolved only when the caller
 * says it stored the change ({@link #applied}), so a failed write is simply decided again on the
 * next poll. Thread-safe.
 */
public final class IncidentTracker {

    private record Key(String clusterId, FailureKind failure) {
    }

    private final Debouncer<Key> debouncer;
    private final Supplier<String> ids;
    private final Map<Key, OpenIncident> open = new HashMap<>();

    /** @param ids new incident ids (random UUIDs in production) */
    public IncidentTracker(int debouncePolls, Supplier<String> ids) {
        this.debouncer = new Debouncer<>(debouncePolls);
        this.ids = ids;
    }

    /** Takes over incidents that were open before a restart: they count as confirmed and are not reopened. */
    public synchronized void restore(Collection<OpenIncident> incidents) {
        for (OpenIncident incident : incidents) {
            Key key = new Key(incident.clusterId(), incident.failure());
            open.put(key, incident);
            debouncer.confirm(key, incident.firstSeenAt());
        }
    }

    public synchronized List<IncidentDecision> onPoll(Classification poll, List<MemberHealth> members, Instant at) {
        for (FailureKind kind : FailureKind.values()) {
            debouncer.observe(new Key(poll.clusterId(), kind), poll.shows(kind), at);
        }
        boolean quorumLost = debouncer.isConfirmed(new Key(poll.clusterId(), FailureKind.QUORUM_LOST));
        List<IncidentDecision> decisions = new ArrayList<>();
        for (FailureKind kind : List.of(FailureKind.QUORUM_LOST, FailureKind.MEMBER_UNHEALTHY)) {
            Key key = new Key(poll.clusterId(), kind);
            boolean confirmed = debouncer.isConfirmed(key);
            OpenIncident current = open.get(key);
            boolean subsumed = kind == FailureKind.MEMBER_UNHEALTHY && quorumLost;
            if (current == null && confirmed && !subsumed) {
                Instant firstSeen = debouncer.firstSeen(key).orElse(at);
                decisions.add(new IncidentDecision.Open(new OpenIncident(ids.get(), poll.clusterId(), kind,
                        poll.failedMembers(), poll.summary(), firstSeen, at), members));
            } else if (current != null && !confirmed) {
                decisions.add(new IncidentDecision.Resolve(current, at));
            }
        }
        return decisions;
    }

    /** The caller stored {@code decision}: the tracker's view of open incidents follows it. */
    public synchronized void applied(IncidentDecision decision) {
        OpenIncident incident = decision.incident();
        Key key = new Key(incident.clusterId(), incident.failure());
        if (decision instanceof IncidentDecision.Open) {
            open.put(key, incident);
        } else {
            open.remove(key, incident);
        }
    }

    public synchronized List<OpenIncident> openIncidents() {
        return List.copyOf(open.values());
    }
}
