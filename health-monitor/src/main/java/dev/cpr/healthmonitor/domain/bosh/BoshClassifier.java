package dev.cpr.healthmonitor.domain.bosh;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.kernel.MeltdownGuard;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns one {@link BoshObservation} into a {@link BoshVerdict}.
 * <ul>
 *   <li>{@code /info} did not answer: {@link FailureKind#BOSH_DIRECTOR_UNREACHABLE}; nothing else can be judged.</li>
 *   <li>The director answered but does not know the deployment: {@link FailureKind#BOSH_DEPLOYMENT_UNKNOWN} (a
 *       rebuilt director that lost its state, seed 003); the instances cannot be judged.</li>
 *   <li>Per instance of the configured group (PKS: {@code master}), unless it is meant to be down: no VM
 *       ({@code vm_cid} null) is {@link FailureKind#BOSH_VM_MISSING}, {@code "unresponsive agent"} is
 *       {@link FailureKind#BOSH_AGENT_UNRESPONSIVE}, {@code failing} is {@link FailureKind#BOSH_JOB_FAILING}.</li>
 *   <li>Meltdown ({@link MeltdownGuard}, counted over the whole deployment): one
 *       {@link FailureKind#BOSH_MELTDOWN} <b>instead of</b> the per-instance kinds, saying "alert, do not act".</li>
 * </ul>
 */
public final class BoshClassifier {

    private final String instanceGroup;
    private final MeltdownGuard guard;

    public BoshClassifier(String instanceGroup, MeltdownGuard guard) {
        this.instanceGroup = instanceGroup;
        this.guard = guard;
    }

    public BoshVerdict classify(BoshObservation seen) {
        String who = seen.clusterId() + ": ";
        Map<FailureKind, BoshFinding> findings = new EnumMap<>(FailureKind.class);
        if (!seen.directorReachable()) {
            findings.put(FailureKind.BOSH_DIRECTOR_UNREACHABLE, new BoshFinding(FailureKind.BOSH_DIRECTOR_UNREACHABLE,
                    List.of(), who + FailureKind.BOSH_DIRECTOR_UNREACHABLE.label() + ": " + seen.directorUrl()
                            + " did not answer /info: " + seen.directorProblem()));
            return new BoshVerdict(seen.clusterId(), false, findings, List.of(), findings.values().iterator().next()
                    .summary());
        }
        List<BoshInstanceView> group = seen.instances().stream().filter(i -> instanceGroup.equals(i.group())).toList();
        List<MemberHealth> members = group.stream().map(BoshClassifier::asMember).toList();
        if (seen.deploymentUnknown()) {
            findings.put(FailureKind.BOSH_DEPLOYMENT_UNKNOWN, new BoshFinding(FailureKind.BOSH_DEPLOYMENT_UNKNOWN,
                    List.of(), who + FailureKind.BOSH_DEPLOYMENT_UNKNOWN.label() + ": " + seen.directorUrl()
                            + " answers but does not know " + seen.deployment() + " (" + seen.instancesProblem()
                            + "): a rebuilt director without its state? restore it with bbr director (seed 003)"));
            return new BoshVerdict(seen.clusterId(), false, findings, members, findings.get(
                    FailureKind.BOSH_DEPLOYMENT_UNKNOWN).summary());
        }
        if (!seen.instancesKnown()) {
            return new BoshVerdict(seen.clusterId(), false, findings, members,
                    who + "instances of " + seen.deployment() + " unknown: " + seen.instancesProblem());
        }
        List<BoshInstanceView> down = seen.instances().stream().filter(BoshInstanceView::down).toList();
        int total = seen.instances().size();
        if (guard.isMeltdown(down.size(), total)) {
            findings.put(FailureKind.BOSH_MELTDOWN, new BoshFinding(FailureKind.BOSH_MELTDOWN,
                    down.stream().map(BoshInstanceView::name).toList(),
                    who + FailureKind.BOSH_MELTDOWN.label() + ": " + down.size() + " of " + total + " instances of "
                            + seen.deployment() + " down at once (meltdown at " + guard + "): "
                            + describe(down) + ". Alert, do not act: nothing automatic runs, people decide."));
        } else {
            add(findings, FailureKind.BOSH_VM_MISSING, group, i -> !i.intentionallyDown() && !i.hasVm(), seen);
            add(findings, FailureKind.BOSH_AGENT_UNRESPONSIVE, group,
                    i -> !i.intentionallyDown() && i.agentUnresponsive(), seen);
            add(findings, FailureKind.BOSH_JOB_FAILING, group, i -> !i.intentionallyDown() && i.jobFailing(), seen);
        }
        String summary = findings.isEmpty()
                ? who + "every " + instanceGroup + " instance of " + seen.deployment() + " running"
                : findings.values().stream().map(BoshFinding::summary).collect(Collectors.joining("; "));
        return new BoshVerdict(seen.clusterId(), true, findings, members, summary);
    }

    private void add(Map<FailureKind, BoshFinding> findings, FailureKind kind, List<BoshInstanceView> group,
            Predicate<BoshInstanceView> test, BoshObservation seen) {
        List<BoshInstanceView> hit = group.stream().filter(test).toList();
        if (hit.isEmpty()) {
            return;
        }
        findings.put(kind, new BoshFinding(kind, hit.stream().map(BoshInstanceView::name).toList(),
                seen.clusterId() + ": " + kind.label() + " in deployment " + seen.deployment() + ": " + describe(hit)));
    }

    /** {@code master/<uuid> (1) job_state failing, processes etcd failing, az pks-az2, ips 10.0.0.3}. */
    static String describe(List<BoshInstanceView> instances) {
        List<String> parts = new ArrayList<>();
        for (BoshInstanceView i : instances) {
            StringBuilder s = new StringBuilder(i.label());
            if (!i.hasVm()) {
                s.append(" no VM (vm_cid null)");
            } else {
                s.append(" job_state ").append(i.jobState());
                if (!i.unhealthyProcesses().isEmpty()) {
                    s.append(", processes ").append(i.unhealthyProcesses().stream()
                            .map(p -> p.name() + " " + p.state()).collect(Collectors.joining(", ")));
                }
                s.append(", vm ").append(i.vmCid());
            }
            if (i.az() != null) {
                s.append(", az ").append(i.az());
            }
            if (!i.ips().isEmpty()) {
                s.append(", ips ").append(String.join(" ", i.ips()));
            }
            parts.add(s.toString());
        }
        return String.join("; ", parts);
    }

    private static MemberHealth asMember(BoshInstanceView i) {
        boolean healthy = i.hasVm() && BoshInstanceView.RUNNING.equals(i.jobState()) && i.unhealthyProcesses().isEmpty();
        String reason = healthy ? null : !i.hasVm() ? "no VM" : "job_state " + i.jobState();
        return new MemberHealth(i.name(), i.ips().isEmpty() ? null : i.ips().get(0), healthy, reason);
    }
}
