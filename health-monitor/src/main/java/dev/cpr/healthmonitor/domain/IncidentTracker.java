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
 *       open incident opens nothing (deduplicated, also across restarts via {@link #restore}). The exception is
 *       MEMBER_UNHEALTHY (issue #15, the liveness gap): see below.</li>
 *   <li>A failure opens once the {@link Debouncer} confirms it; it resolves once the debouncer
 *       clears it.</li>
 *   <li>Escalation: with MEMBER_UNHEALTHY open, a confirmed QUORUM_LOST opens a second incident;
 *       the first stays open (its members are still down).</li>
 *   <li>A lost quorum also shows unhealthy members, but a fresh quorum loss opens only
 *       QUORUM_LOST; if the quorum comes back while members are still down, MEMBER_UNHEALTHY
 *       opens then (de-escalation).</li>
 *   <li>MEMBER_UNHEALTHY is also debounced per member. While one is open, a member confirmed failing that no open
 *       MEMBER_UNHEALTHY names opens another one naming the newly failed members only (the open one stays, its plan
 *       keeps running): restore-service plans one member at a time and plans an incident once, so a member lost a
 *       few seconds after another, with the first incident open, would otherwise never get a plan. A
 *       MEMBER_UNHEALTHY resolves when no member fails any more (as any kind) or when any member it names is back
 *       (its plan is over, and restore-service planned only one of its members); the poll after that resolution is
 *       stored opens a new one naming those still down, so each gets its plan in turn, from the monitor's view of
 *       the moment (a member that came back by itself is not named, so never replaced).</li>
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
 * While a {@link PlannedOutage} holds for a cluster (a plan of cpr's own stops its members on purpose), its
 * QUORUM_LOST and MEMBER_UNHEALTHY are not judged either: they would only open an incident, and a Slack alert, for
 * what the plan is doing, which restore-service would keep waiting behind that very plan. Once the plan ends the polls
 * judge them as always, so a cluster the plan left broken gets its incident {@code debounce-polls} polls later.
 *
 * Decisions are proposals: the tracker records an incident as open or resolved only when the caller
 * says it stored the change ({@link #applied}), so a failed write is simply decided again on the
 * next poll. Thread-safe.
 */
public final class IncidentTracker {

    /**
     * {@code member} null: the cluster's kind as a whole (debounced, and the open incident of every kind but
     * MEMBER_UNHEALTHY). Set: one member's MEMBER_UNHEALTHY streak in the debouncer, and in {@link #open} and
     * {@link #pending} the MEMBER_UNHEALTHY incident whose first named member it is (members named by the open
     * ones never overlap, so it is unique).
     */
    private record Key(String clusterId, FailureKind failure, String member) {
        Key(String clusterId, FailureKind failure) {
            this(clusterId, failure, null);
        }
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
    /** Per cluster, the members with a MEMBER_UNHEALTHY streak of their own: those a poll observes one by one. */
    private final Map<String, Set<String>> watched = new HashMap<>();
    /** Per cluster, the plan of cpr's own stopping its members, if one runs (kept across lease changes). */
    private final Map<String, PlannedOutage> outages = new HashMap<>();

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
        watched.remove(clusterId);
    }

    /** A plan stopping the cluster's members runs (or still runs: a later update renews the hold). */
    public synchronized void outageBegins(PlannedOutage outage) {
        outages.put(outage.clusterId(), outage);
    }

    /** That plan ended: the cluster's members are judged again from the next poll on. */
    public synchronized void outageEnds(String clusterId, String planId) {
        outages.computeIfPresent(clusterId, (cluster, outage) -> outage.planId().equals(planId) ? null : outage);
    }

    /** The planned outage holding for the cluster at this moment, if any. */
    public synchronized Optional<PlannedOutage> outage(String clusterId, Instant at) {
        return Optional.ofNullable(outages.get(clusterId)).filter(outage -> outage.holdsAt(at));
    }

    /** Takes over incidents that were open before a restart: they count as confirmed and are not reopened. */
    public synchronized void restore(Collection<OpenIncident> incidents) {
        for (OpenIncident incident : incidents) {
            open.put(keyOf(incident), incident);
            debouncer.confirm(new Key(incident.clusterId(), incident.failure()), incident.firstSeenAt());
            confirmMembers(incident);
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
        Set<FailureKind> held = election || outage(poll.clusterId(), at).isPresent()
                ? QUORUM_KINDS // an election is left to the scheduled polls (see above); a planned outage to its plan
                : heldWhileSilent(poll, at);
        for (FailureKind kind : ETCD_KINDS) {
            if (!poll.judges(kind) || held.contains(kind)) {
                continue;
            }
            Key key = new Key(poll.clusterId(), kind);
            boolean byDrop = drop.isPresent() && confirmedByDrop(poll, kind, drop.get());
            if (byDrop && !debouncer.isConfirmed(key)) {
                debouncer.confirm(key, drop.get().at());
            } else {
                debouncer.observe(key, poll.shows(kind), at);
            }
            if (kind == FailureKind.MEMBER_UNHEALTHY) {
                observeMembers(poll, at, byDrop ? drop : Optional.empty());
            }
        }
        boolean quorumLost = debouncer.isConfirmed(new Key(poll.clusterId(), FailureKind.QUORUM_LOST));
        List<IncidentDecision> decisions = new ArrayList<>();
        for (FailureKind kind : ETCD_KINDS) {
            if (!poll.judges(kind) || held.contains(kind)) {
                continue;
            }
            Key key = new Key(poll.clusterId(), kind);
            if (kind == FailureKind.MEMBER_UNHEALTHY) {
                decideMembers(poll, members, at, quorumLost, decisions);
                continue;
            }
            boolean confirmed = debouncer.isConfirmed(key);
            OpenIncident current = open.get(key);
            if (pending.contains(key)) {
                continue; // a decision on this key is being stored by a concurrent poll
            }
            if (current == null && confirmed) {
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

    /**
     * Observes each member's own MEMBER_UNHEALTHY streak: those failing now, and those watched before (absent now,
     * their streak clears as the debounce says). A drop that confirmed the kind confirms its member too.
     */
    private void observeMembers(Classification poll, Instant at, Optional<MemberDropped> drop) {
        String cluster = poll.clusterId();
        List<String> failing = poll.shows(FailureKind.MEMBER_UNHEALTHY)
                ? poll.membersFor(FailureKind.MEMBER_UNHEALTHY) : List.of();
        Set<String> members = watched.computeIfAbsent(cluster, c -> new HashSet<>());
        members.addAll(failing);
        for (String member : List.copyOf(members)) {
            Key key = new Key(cluster, FailureKind.MEMBER_UNHEALTHY, member);
            if (drop.isPresent() && drop.get().member().equals(member) && !debouncer.isConfirmed(key)) {
                debouncer.confirm(key, drop.get().at());
            } else {
                debouncer.observe(key, failing.contains(member), at);
            }
            if (!failing.contains(member) && !debouncer.isConfirmed(key)) {
                members.remove(member);
            }
        }
    }

    /**
     * MEMBER_UNHEALTHY, of which a cluster may have several open (see the class comment): resolves those whose
     * members are all back (or all of them once no member fails), opens the first one as any kind, and, with one
     * open, another for the members confirmed failing that no open one names.
     */
    private void decideMembers(Classification poll, List<MemberHealth> members, Instant at, boolean quorumLost,
            List<IncidentDecision> decisions) {
        String cluster = poll.clusterId();
        FailureKind kind = FailureKind.MEMBER_UNHEALTHY;
        if (pending.stream().anyMatch(k -> k.clusterId().equals(cluster) && k.failure() == kind)) {
            return; // a decision on this cluster's member incidents is being stored by a concurrent poll
        }
        Key key = new Key(cluster, kind);
        boolean confirmed = debouncer.isConfirmed(key);
        List<OpenIncident> current = open.values().stream()
                .filter(i -> i.clusterId().equals(cluster) && i.failure() == kind).toList();
        Set<String> named = new HashSet<>();
        boolean resolving = false;
        for (OpenIncident incident : current) {
            if (!confirmed || aMemberBack(incident)) {
                decisions.add(new IncidentDecision.Resolve(incident, at));
                resolving = true;
            } else {
                named.addAll(incident.failedMembers());
            }
        }
        if (!confirmed || quorumLost || resolving) {
            // a lost quorum opens only QUORUM_LOST (its members are down too); the members of a resolving incident
            // still down are named on the next poll, once the resolution is stored (they might share its key)
            return;
        }
        if (current.isEmpty()) {
            decisions.add(new IncidentDecision.Open(new OpenIncident(ids.get(), cluster, kind,
                    poll.membersFor(kind), poll.summary(), debouncer.firstSeen(key).orElse(at), at), members));
            return;
        }
        List<String> newlyFailed = (poll.shows(kind) ? poll.membersFor(kind) : List.<String>of()).stream()
                .filter(m -> !named.contains(m) && debouncer.isConfirmed(new Key(cluster, kind, m))).toList();
        if (newlyFailed.isEmpty()) {
            return;
        }
        Instant firstSeen = newlyFailed.stream().map(m -> debouncer.firstSeen(new Key(cluster, kind, m)).orElse(at))
                .min(Instant::compareTo).orElse(at);
        decisions.add(new IncidentDecision.Open(new OpenIncident(ids.get(), cluster, kind, newlyFailed,
                "failed members no open member incident names: " + newlyFailed + "; " + poll.summary(), firstSeen,
                at), members));
    }

    /** A member it names fails no more (its own streak cleared). */
    private boolean aMemberBack(OpenIncident incident) {
        return incident.failedMembers().stream().anyMatch(
                m -> !debouncer.isConfirmed(new Key(incident.clusterId(), FailureKind.MEMBER_UNHEALTHY, m)));
    }

    /**
     * The members a MEMBER_UNHEALTHY names count as confirmed failing from its opening (or restart) on: each is
     * back only after the debounce's healthy polls of its own, even one the opening poll saw down only once.
     */
    private void confirmMembers(OpenIncident incident) {
        if (incident.failure() != FailureKind.MEMBER_UNHEALTHY) {
            return;
        }
        for (String member : incident.failedMembers()) {
            Key key = new Key(incident.clusterId(), FailureKind.MEMBER_UNHEALTHY, member);
            if (!debouncer.isConfirmed(key)) {
                debouncer.confirm(key, incident.firstSeenAt());
            }
            watched.computeIfAbsent(incident.clusterId(), c -> new HashSet<>()).add(member);
        }
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
        return keyOf(decision.incident());
    }

    /** Where an open incident is kept: by kind, and a MEMBER_UNHEALTHY by its first member too (see {@link Key}). */
    private static Key keyOf(OpenIncident incident) {
        String member = incident.failure() == FailureKind.MEMBER_UNHEALTHY && !incident.failedMembers().isEmpty()
                ? incident.failedMembers().get(0) : null;
        return new Key(incident.clusterId(), incident.failure(), member);
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
            confirmMembers(incident);
        } else {
            open.remove(key, incident);
        }
    }

    public synchronized List<OpenIncident> openIncidents() {
        return List.copyOf(open.values());
    }
}
