package dev.cpr.restore.domain.approval;

import dev.cpr.contracts.recovery.PlanNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How strict approvals are: how old a signed approval may be, how far ahead of this clock it may be dated, and which
 * plans of which clusters need two distinct approvers ({@code <cluster>:<plan>}, either side may be {@code *}).
 */
public record ApprovalPolicy(Duration maxAge, Duration maxClockSkew, List<String> twoApprovers) {

    public ApprovalPolicy {
        twoApprovers = twoApprovers == null ? List.of() : twoApprovers.stream().map(String::strip)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String rule : twoApprovers) {
            if (rule.indexOf(':') <= 0 || rule.indexOf(':') == rule.length() - 1) {
                throw new IllegalArgumentException("two-approvers entry '" + rule + "' must be <cluster>:<plan> "
                        + "(either may be *), e.g. prod-etcd:" + PlanNames.ETCD_QUORUM_RESTORE);
            }
        }
    }

    public boolean needsTwoApprovers(String clusterId, String plan) {
        return twoApprovers.stream().anyMatch(rule -> {
            String[] parts = rule.split(":", 2);
            return (parts[0].equals("*") || parts[0].equals(clusterId)) && (parts[1].equals("*") || parts[1].equals(plan));
        });
    }

    /** Whether an approval dated {@code decidedAt} is too old, or dated further ahead than the clock skew allows. */
    public boolean stale(Instant decidedAt, Instant now) {
        return decidedAt.isBefore(now.minus(maxAge)) || decidedAt.isAfter(now.plus(maxClockSkew));
    }
}
