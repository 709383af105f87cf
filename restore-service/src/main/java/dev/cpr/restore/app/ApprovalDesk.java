package dev.cpr.restore.app;

import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.config.ApprovalConfig;
import dev.cpr.restore.domain.approval.ApprovalPolicy;
import dev.cpr.restore.domain.approval.ApprovalRules;
import dev.cpr.restore.domain.plan.PlanDigest;
import dev.cpr.restore.domain.approval.Refusal;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every decision about a waiting plan comes through here, whatever carried it: a REST call, or a record on
 * {@code cpr.approvals} (a Slack click the notifier signed, or anything else anyone wrote there). It checks who vouches
 * for it ({@link ApprovalRules}), applies it or refuses it, and writes one {@code approval_audit} row either way.
 * A refused decision changes nothing but the audit. Blocking: call it on a worker thread.
 */
@ApplicationScoped
@Startup
public class ApprovalDesk {

    private static final Logger LOG = Logger.getLogger(ApprovalDesk.class);
    static final String REST = "REST";
    static final String BUS = "BUS";

    private final PlanRecords store;
    private final PlanRunner runner;
    private final ApprovalLog audit;
    private final Recoveries recoveries;
    private final ApprovalPolicy policy;
    private final List<PublicKey> trustedKeys;

    public ApprovalDesk(PlanRecords store, PlanRunner runner, ApprovalLog audit, Recoveries recoveries,
            ApprovalConfig config) {
        this.store = store;
        this.runner = runner;
        this.audit = audit;
        this.recoveries = recoveries;
        this.policy = new ApprovalPolicy(config.maxAge(), config.maxClockSkew(), config.twoApprovers().orElse(List.of()));
        this.trustedKeys = parseKeys(config.trustedKeys().orElse(List.of()));
        if (trustedKeys.isEmpty()) {
            LOG.warn("no cpr.restore.approval.trusted-keys: every decision on cpr.approvals is refused (a Slack click "
                    + "cannot approve); operators can still decide over REST");
        }
    }

    private static List<PublicKey> parseKeys(List<String> texts) {
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                continue;
            }
            try {
                keys.add(ApprovalSignatures.publicKey(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cpr.restore.approval.trusted-keys[" + i + "]: " + e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    // ------------------------------------------------------------------ REST

    /**
     * A REST approve or reject by an authenticated caller: 403 unless an operator, 404 for an unknown plan, 409 when
     * the plan is not waiting, changed since {@code digest} was read, or needs another approver; audited either way.
     *
     * @param digest the plan digest the caller saw, or null to decide on the plan as the API shows it now
     */
    public Recoveries.Decided fromRest(String planId, Decision decision, String who, boolean operator, String reason,
            String digest) {
        Instant now = recoveries.now();
        String approvalId = UUID.randomUUID().toString();
        Attempt attempt = new Attempt(REST, ApprovalChannel.REST.name(), approvalId, planId, null, decision, who, now,
                digest, false);
        if (!operator) {
            refuse(attempt, Refusal.NOT_OPERATOR, "the caller's role may read plans but not decide about them");
            throw RecoveryRequestRefused.forbidden(who + " may not approve or reject plans: the operator role is "
                    + "required; the attempt is audited");
        }
        RecoveryPlan plan;
        try {
            plan = recoveries.find(planId);
        } catch (RecoveryRequestRefused e) {
            refuse(attempt, Refusal.UNKNOWN_PLAN, e.getMessage());
            throw e;
        }
        attempt = attempt.withCluster(plan.clusterId());
        audit.firstUse(approvalId, now);
        ApprovalRules.Verdict verdict = ApprovalRules.against(Optional.of(plan), plan.clusterId(), decision, who,
                ApprovalChannel.REST.name(), reason, digest, now, firstApprover(plan, decision), policy, now);
        if (verdict instanceof ApprovalRules.Refuse refuse) {
            refuse(attempt, refuse.refusal(), refuse.why());
            throw RecoveryRequestRefused.conflict(refuse.why());
        }
        if (verdict instanceof ApprovalRules.AlreadyDone done) {
            return new Recoveries.Decided(plan, plan.state(), done.why(), true);
        }
        if (verdict instanceof ApprovalRules.AwaitSecond second) {
            String detail = firstOfTwo(attempt.withDigest(second.digest()), plan);
            return new Recoveries.Decided(plan, PlanState.AWAITING_APPROVAL, detail, true);
        }
        ApprovalRules.Apply apply = (ApprovalRules.Apply) verdict;
        RecoveryPlan next = apply.plan();
        // on the bus too, for whoever follows decisions there. The plan, both events and the ACCEPTED audit row commit
        // together, so when this service reads its own decision back the audit already recognises it as this one.
        ApprovalDecided decided = new ApprovalDecided(plan.id(), plan.clusterId(), decision, who, ApprovalChannel.REST,
                reason, next.decidedAt(), approvalId, apply.digest(), null);
        ApprovalLog.Entry accepted = row(attempt.withDigest(apply.digest()), "ACCEPTED", null, null);
        try {
            store.saveDecided(next, decided, accepted);
        } catch (PlanStore.ConcurrentPlanUpdateException e) {
            refuse(attempt.withDigest(apply.digest()), Refusal.NOT_WAITING, "the plan changed meanwhile: " + e.getMessage());
            throw RecoveryRequestRefused.conflict("plan " + next.id() + " changed meanwhile: " + e.getMessage());
        }
        LOG.infof("%s %s", next.tag(), next.message());
        runner.transitioned(next);
        return new Recoveries.Decided(next, next.state(), next.message(), true);
    }

    // ------------------------------------------------------------------ bus

    /** A decision read from {@code cpr.approvals}: applied only when a trusted key vouches for it; audited either way. */
    public void fromBus(ApprovalDecided decided, String eventId) {
        Instant now = recoveries.now();
        String tag = "[cluster=" + decided.clusterId() + " plan=" + decided.planId() + " event=" + eventId + "]";
        boolean signed = ApprovalSignatures.verify(decided, trustedKeys);
        Attempt attempt = new Attempt(BUS, decided.channel().name(), decided.approvalId(), decided.planId(),
                decided.clusterId(), decided.decision(), decided.decidedBy(), decided.decidedAt(), decided.planDigest(),
                signed);
        if (!signed && decided.channel() == ApprovalChannel.REST && decided.approvalId() != null
                && audit.acceptedOverRest(decided.approvalId(), decided.planId(), decided.decision().name(),
                        decided.decidedBy())) {
            LOG.debugf("%s this service's own REST decision %s read back: already applied", tag, decided.approvalId());
            return;
        }
        Optional<ApprovalRules.Refuse> unvouched = ApprovalRules.vouched(decided, signed, policy, now);
        if (unvouched.isPresent()) {
            refuseOnBus(tag, attempt, unvouched.get());
            return;
        }
        if (!audit.firstUse(decided.approvalId(), now)) {
            refuseOnBus(tag, attempt, new ApprovalRules.Refuse(Refusal.REPLAY, "approval id " + decided.approvalId()
                    + " was used before"));
            return;
        }
        Optional<RecoveryPlan> plan = store.find(decided.planId());
        ApprovalRules.Verdict verdict = ApprovalRules.against(plan, decided.clusterId(), decided.decision(),
                decided.decidedBy(), decided.channel().name(), decided.reason(), decided.planDigest(),
                decided.decidedAt(), plan.flatMap(p -> firstApprover(p, decided.decision())), policy, now);
        if (verdict instanceof ApprovalRules.Refuse refuse) {
            refuseOnBus(tag, attempt, refuse);
        } else if (verdict instanceof ApprovalRules.AlreadyDone done) {
            LOG.debugf("%s %s", tag, done.why());
        } else if (verdict instanceof ApprovalRules.AwaitSecond) {
            firstOfTwo(attempt, plan.get());
        } else {
            RecoveryPlan next = ((ApprovalRules.Apply) verdict).plan();
            try {
                store.save(next);
            } catch (PlanStore.ConcurrentPlanUpdateException e) {
                refuseOnBus(tag, attempt, new ApprovalRules.Refuse(Refusal.NOT_WAITING, "the plan changed meanwhile: "
                        + e.getMessage()));
                return;
            }
            record(attempt, "ACCEPTED", null, null);
            LOG.infof("%s %s", tag, next.message());
            runner.transitioned(next);
        }
    }

    // ------------------------------------------------------------------ audit

    /** One attempt as the audit records it. */
    record Attempt(String channel, String claimedChannel, String approvalId, String planId, String clusterId,
            Decision decision, String decidedBy, Instant decidedAt, String digest, boolean signed) {

        Attempt withCluster(String cluster) {
            return new Attempt(channel, claimedChannel, approvalId, planId, cluster, decision, decidedBy, decidedAt,
                    digest, signed);
        }

        Attempt withDigest(String planDigest) {
            return new Attempt(channel, claimedChannel, approvalId, planId, clusterId, decision, decidedBy, decidedAt,
                    planDigest, signed);
        }
    }

    private Optional<String> firstApprover(RecoveryPlan plan, Decision decision) {
        if (decision != Decision.APPROVED || !policy.needsTwoApprovers(plan.clusterId(), plan.plan())) {
            return Optional.empty();
        }
        String digest = PlanDigest.of(plan);
        return audit.firstApprover(plan.id(), digest);
    }

    private String firstOfTwo(Attempt attempt, RecoveryPlan plan) {
        String detail = "approved by " + attempt.decidedBy() + " via " + attempt.claimedChannel() + "; plan "
                + plan.plan() + " of " + plan.clusterId() + " needs a second, different approver: it keeps waiting";
        record(attempt, "FIRST_OF_TWO", null, detail);
        LOG.infof("%s %s", plan.tag(), detail);
        return detail;
    }

    private void refuseOnBus(String tag, Attempt attempt, ApprovalRules.Refuse refuse) {
        LOG.warnf("%s %s by %s (claimed via %s) refused, %s: %s", tag, attempt.decision(), attempt.decidedBy(),
                attempt.claimedChannel(), refuse.refusal(), refuse.why());
        refuse(attempt, refuse.refusal(), refuse.why());
    }

    private void refuse(Attempt attempt, Refusal refusal, String why) {
        if (attempt.channel().equals(REST)) {
            LOG.warnf("[cluster=%s plan=%s] REST %s by %s refused, %s: %s", attempt.clusterId(), attempt.planId(),
                    attempt.decision(), attempt.decidedBy(), refusal, why);
        }
        record(attempt, "REFUSED", refusal, why);
    }

    private void record(Attempt attempt, String outcome, Refusal refusal, String reason) {
        audit.append(row(attempt, outcome, refusal, reason));
    }

    private ApprovalLog.Entry row(Attempt attempt, String outcome, Refusal refusal, String reason) {
        return new ApprovalLog.Entry(0, recoveries.now(), attempt.channel(),
                attempt.claimedChannel(), attempt.approvalId(), attempt.planId(), attempt.clusterId(),
                attempt.decision() == null ? null : attempt.decision().name(), attempt.decidedBy(), attempt.decidedAt(),
                attempt.digest(), attempt.signed(), outcome, refusal == null ? null : refusal.name(), reason);
    }
}
