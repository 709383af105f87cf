package dev.cpr.healthmonitor.domain.bosh;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict on one BOSH poll of one cluster.
 *
 * @param instancesKnown the instances were read, so a kind that is not in {@code findings} is absent; when false,
 *                       only {@link FailureKind#BOSH_DIRECTOR_UNREACHABLE} can be judged
 * @param findings       the BOSH failure kinds seen, each once; in a meltdown, {@link FailureKind#BOSH_MELTDOWN}
 *                       replaces the per-instance kinds
 * @param instances      the configured group's instances as incident members (name, IPs, healthy, job state)
 */
public record BoshVerdict(
        String clusterId,
        boolean instancesKnown,
        Map<FailureKind, BoshFinding> findings,
        List<MemberHealth> instances,
        String summary) {

    /** The kinds a BOSH poll judges. */
    public static final List<FailureKind> KINDS = List.of(FailureKind.BOSH_DIRECTOR_UNREACHABLE,
            FailureKind.BOSH_DEPLOYMENT_UNKNOWN,
            FailureKind.BOSH_MELTDOWN, FailureKind.BOSH_VM_MISSING, FailureKind.BOSH_AGENT_UNRESPONSIVE,
            FailureKind.BOSH_JOB_FAILING);

    /** The kinds that name instances, replaced by one BOSH_MELTDOWN when too many are down. */
    public static final List<FailureKind> PER_INSTANCE = List.of(FailureKind.BOSH_VM_MISSING,
            FailureKind.BOSH_AGENT_UNRESPONSIVE, FailureKind.BOSH_JOB_FAILING);

    public BoshVerdict {
        findings = Map.copyOf(findings);
        instances = List.copyOf(instances);
    }

    public boolean shows(FailureKind kind) {
        return findings.containsKey(kind);
    }

    public Optional<BoshFinding> finding(FailureKind kind) {
        return Optional.ofNullable(findings.get(kind));
    }

    public boolean meltdown() {
        return shows(FailureKind.BOSH_MELTDOWN);
    }
}
