package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.domain.bosh.BoshFinding;
import dev.cpr.healthmonitor.domain.bosh.BoshVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * BOSH clusters are judged by a second, independent poll ({@link #onBoshPoll}) with the same debouncing and the
 * same one-open-incident-per-cluster-and-kind rule, over the BOSH kinds only:
 * <ul>
 *   <li>{@code BOSH_DIRECTOR_UNREACHABLE} opens and resolves like any kind. While the director does not answer,
 *       the other kinds are <b>not judged</b> (neither opened nor resolved: nobody knows).</li>
 *   <li>{@code BOSH_DEPLOYMENT_UNKNOWN} is judged whenever the director answers: it opens when the director does not
 *       know the deployment (a rebuilt director, seed 003) and resolves once it does again.</li>
 *   <li>{@code BOSH_MELTDOWN} replaces the per-instance kinds ({@code BOSH_VM_MISSING},
 *       {@code BOSH_AGENT_UNRESPONSIVE}, {@code BOSH_JOB_FAILING}): while a poll shows a meltdown or a meltdown
 *       incident is open, no per-instance incident opens, and those already open stay as they are.</li>
 * </ul>
 * The etcd poll ({@link #onPoll}) judges {@code MEMBER_UNHEALTHY} and {@code QUORUM_LOST}, and, each on its own,
 * the alarm and space kinds {@code SPACE_EXHAUSTED}, {@code SPACE_LOW} and {@code DATA_CORRUPT}: a NOSPACE alarm
 * with a member down opens both SPACE_EXHAUSTED and MEMBER_UNHEALTHY. While the quorum is lost the alarm and space
 * kinds are not judged (neither opened nor resolved). {@code CERTIFICATE_EXPIRING} is judged on every poll, like the
 * space warning a warning only. An incident names the members of its own kind (the alarmed, the near-quota, the
 * corrupt ones or those whose certificate ends soon).
 *
 * A <b>silent</b> quorum loss ({@link Classification#silent()}: every member down only failed to answer in time) is
 * not judged, for either QUORUM_LOST or MEMBER_UNHEALTHY, until it has lasted {@code silentQuorumGrace}. Killed
 * members refuse connections at once, so a real crash is judged at the next poll as always; members that only go
 * quiet together are as likely the monitor's own stall (a machine starting several JVMs at once) or its isolation
 * from them, and a lost quorum leads to the most destructive plans. A hung majority is still reported, that much
 * later.
 *
 * Decisions are proposals: the tracker records an incident as open or resolved only when the caller
 * says it stored the change ({@link #applied}), so a failed write is simply decided again on the
 * next poll. Thread-safe.
 */
public final class IncidentTracker {

    private record Key(String clusterId, FailureKind failure) {
    }

    /** The kinds the etcd poll judges. */
    static final List<FailureKind> ETCD_KINDS = List.of(FailureKind.QUORUM_LOST, FailureKind.MEMBER_UNHEALTHY,
            FailureKind.DATA_CORRUPT, FailureKind.SPACE_EXHAUSTED, FailureKind.SPACE_LOW,
            FailureKind.CERTIFICATE_EXPIRING);

    private final Debouncer<Key> debouncer;
    private final Supplier<String> ids;
    private final Map<Key, OpenIncident> open = new HashMap<>();
    /** Keys with a decision handed out and not yet stored or discarded: two polls of one cluster may overlap. */
    private final Set<Key> pending = new HashSet<>();
    private final Duration silentQuorumGrace;
    /** Per cluster, the first poll of the current streak of silent quorum losses. */
    private final Map<String, Instant> silentSince = new HashMap<>();

    /** Judges a silent quorum loss at once, like any other (see {@link #IncidentTracker(int, Duration, Supplier)}). */
    public IncidentTracker(int debouncePolls, Supplier<String> ids) {
        this(debouncePolls, Duration.ZERO, ids);
    }

    /**
     * @param silentQuorumGrace how long a silent quorum loss goes unjudged (see the class comment)
     * @param ids               new incident ids (random UUIDs in production)
     */
    public IncidentTracker(int debouncePolls, Duration silentQuorumGrace, Supplier<String> ids) {
        if (silentQuorumGrace == null || silentQuorumGrace.isNegative()) {
            throw new IllegalArgumentException("silent quorum grace must be zero or more, was " + silentQuorumGrace);
        }
        this.debouncer = new Debouncer<>(debouncePolls);
        this.silentQuorumGrace = silentQuorumGrace;
        this.ids = ids;
    }

    /**
     * Drops all it knows of a cluster (its open incidents, its debouncing): another replica watches it now, and what
     * this one knew goes stale. Taken back later, its open incidents are {@link #restore}d from the database.
     */
    public synchronized void forget(String clusterId) {
        open.keySet().removeIf(key -> key.clusterId().equals(clusterId));
        debouncer.forgetIf(key -> key.clusterId().equals(clusterId));
        pending.removeIf(key -> key.clusterId().equals(clusterId));
        silentSince.remove(clusterId);
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
        return onPoll(poll, members, at, Optional.empty());
    }

    /** The kinds a lost quorum shows (its members are down too), held together. */
    private static final Set<FailureKind> QUORUM_KINDS = Set.of(FailureKind.QUORUM_LOST, FailureKind.MEMBER_UNHEALTHY);

    /**
     * A poll made because a member's connection dropped: when it shows that member, and only that one, down with the
     * quorum intact, the drop and this poll are two sightings and MEMBER_UNHEALTHY is confirmed now, first seen at the
     * drop. Any other poll counts as an ordinary poll, with one exception: a quorum loss that the members that refused
     * do not make alone ({@link Classification#quorumLostByRefusals()} false: others timed out or answered unhealthy)
     * is not counted towards QUORUM_LOST or MEMBER_UNHEALTHY (nor against them). Such a poll comes a second after the
     * drop, often just after a scheduled poll, and killing the leader makes the others time out or answer 503 for the
     * length of an election: two polls within one election would confirm a quorum loss that is not one (seen twice on
     * a loaded machine: a false QUORUM_LOST, once with a survivor rebuild proposed). The scheduled polls,
     * {@code debounce-polls} of them, judge it as they would without the streams. Members that refused are dead for
     * sure and are counted at once.
     */
    public synchronized List<IncidentDecision> onPoll(Classification poll, List<MemberHealth> members, Instant at,
            Optional<MemberDropped> drop) {
        boolean election = drop.isPresent() && poll.shows(FailureKind.QUORUM_LOST) && !poll.quorumLostByRefusals();
        Set<FailureKind> held = election
                ? QUORUM_KINDS // left to the scheduled polls (see above): a leader election looks like this
                : heldWhileSilent(poll, at);
        for (FailureKind kind : ETCD_KINDS) {
            if (!poll.judges(kind) || held.contains(kind)) {
                continue;
            }
            Key key = new Key(poll.clusterId(), kind);
            if (drop.isPresent() && confirmedByDrop(poll, kind, drop.get()) && !debouncer.isConfirmed(key)) {
                debouncer.confirm(key, drop.get().at());
            } else {
                debouncer.observe(key, poll.shows(kind), at);
            }
        }
        boolean quorumLost = debouncer.isConfirmed(new Key(poll.clusterId(), FailureKind.QUORUM_LOST));
        List<IncidentDecision> decisions = new ArrayList<>();
        for (FailureKind kind : ETCD_KINDS) {
            if (!poll.judges(kind) || held.contains(kind)) {
                continue;
            }
            Key key = new Key(poll.clusterId(), kind);
            boolean confirmed = debouncer.isConfirmed(key);
            OpenIncident current = open.get(key);
            if (pending.contains(key)) {
                continue; // a decision on this key is being stored by a concurrent poll
            }
            boolean subsumed = kind == FailureKind.MEMBER_UNHEALTHY && quorumLost;
            if (current == null && confirmed && !subsumed) {
                Instant firstSeen = debouncer.firstSeen(key).orElse(at);
                decisions.add(new IncidentDecision.Open(new OpenIncident(ids.get(), poll.clusterId(), kind,
                        poll.membersFor(kind), poll.summary(), firstSeen, at), members));
            } else if (current != null && !confirmed) {
                decisions.add(new IncidentDecision.Resolve(current, at));
            }
        }
        decisions.forEach(d -> pending.add(keyOf(d)));
        return decisions;
    }

    /** The kinds this poll leaves unjudged because its quorum loss is silent and still within the grace. */
    private Set<FailureKind> heldWhileSilent(Classification poll, Instant at) {
        if (!poll.silent()) {
            silentSince.remove(poll.clusterId());
            return Set.of();
        }
        Instant since = silentSince.computeIfAbsent(poll.clusterId(), cluster -> at);
        return Duration.between(since, at).compareTo(silentQuorumGrace) < 0
                ? Set.of(FailureKind.QUORUM_LOST, FailureKind.MEMBER_UNHEALTHY)
                : Set.of();
    }

    /**
     * Only the plain case: the dropped member is the one member down and the quorum holds. A poll that also finds
     * other members silent may be a slow machine rather than a failure, and a lost quorum leads to the most
     * destructive plans: both wait for the ordinary debounce.
     */
    private static boolean confirmedByDrop(Classification poll, FailureKind kind, MemberDropped drop) {
        return kind == FailureKind.MEMBER_UNHEALTHY && drop.clusterId().equals(poll.clusterId())
                && poll.shows(kind) && !poll.shows(FailureKind.QUORUM_LOST)
                && poll.membersFor(kind).equals(List.of(drop.member()));
    }

    /** The caller could not store {@code decision}: it is decided again on a later poll. */
    public synchronized void discarded(IncidentDecision decision) {
        pending.remove(keyOf(decision));
    }

    private static Key keyOf(IncidentDecision decision) {
        return new Key(decision.incident().clusterId(), decision.incident().failure());
    }

    /** Decides the BOSH kinds of one BOSH poll (see the class comment). */
    public synchronized List<IncidentDecision> onBoshPoll(BoshVerdict verdict, Instant at) {
        String cluster = verdict.clusterId();
        Key meltdownKey = new Key(cluster, FailureKind.BOSH_MELTDOWN);
        debouncer.observe(new Key(cluster, FailureKind.BOSH_DIRECTOR_UNREACHABLE),
                verdict.shows(FailureKind.BOSH_DIRECTOR_UNREACHABLE), at);
        List<FailureKind> judged = new ArrayList<>();
        judged.add(FailureKind.BOSH_DIRECTOR_UNREACHABLE);
        if (!verdict.shows(FailureKind.BOSH_DIRECTOR_UNREACHABLE)) {
            Key unknown = new Key(cluster, FailureKind.BOSH_DEPLOYMENT_UNKNOWN);
            debouncer.observe(unknown, verdict.shows(FailureKind.BOSH_DEPLOYMENT_UNKNOWN), at);
            judged.add(FailureKind.BOSH_DEPLOYMENT_UNKNOWN);
        }
        if (verdict.instancesKnown()) {
            debouncer.observe(meltdownKey, verdict.meltdown(), at);
            judged.add(FailureKind.BOSH_MELTDOWN);
            if (!verdict.meltdown()) {
                for (FailureKind kind : BoshVerdict.PER_INSTANCE) {
                    debouncer.observe(new Key(cluster, kind), verdict.shows(kind), at);
                    judged.add(kind);
                }
            }
        }
        boolean meltdown = verdict.meltdown() || debouncer.isConfirmed(meltdownKey) || open.containsKey(meltdownKey);
        List<IncidentDecision> decisions = new ArrayList<>();
        for (FailureKind kind : judged) {
            Key key = new Key(cluster, kind);
            boolean confirmed = debouncer.isConfirmed(key);
            OpenIncident current = open.get(key);
            boolean subsumed = BoshVerdict.PER_INSTANCE.contains(kind) && meltdown;
            if (current == null && confirmed && !subsumed) {
                // confirmed means this poll showed it (a confirmed kind absent now is still confirmed while it
                // debounces away); then the finding of an earlier poll is not at hand
                BoshFinding finding = verdict.finding(kind).orElse(null);
                if (finding == null) {
                    continue;
                }
                decisions.add(new IncidentDecision.Open(new OpenIncident(ids.get(), cluster, kind, finding.instances(),
                        finding.summary(), debouncer.firstSeen(key).orElse(at), at), verdict.instances()));
            } else if (current != null && !confirmed) {
                decisions.add(new IncidentDecision.Resolve(current, at));
            }
        }
        return decisions;
    }

    /** The caller stored {@code decision}: the tracker's view of open incidents follows it. */
    public synchronized void applied(IncidentDecision decision) {
        OpenIncident incident = decision.incident();
        Key key = keyOf(decision);
        pending.remove(key);
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
