package dev.cpr.notifier.app;

import static dev.cpr.notifier.app.SlackAudit.BUTTON;
import static dev.cpr.notifier.app.SlackAudit.COMMAND;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.notifier.app.SlackForms.Click;
import dev.cpr.notifier.domain.ApprovalAction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Requests Slack sends to notifier: button clicks ({@code /slack/interactions}) and slash commands
 * ({@code /slack/commands}). Every request first passes the {@link SlackRequestGate} (signature, freshness, replay).
 * Then a click must come from an approver (else 403) on a plan notifier shows as waiting for approval, and publishes
 * {@link ApprovalDecided} (channel SLACK, decidedBy = the Slack user id, the plan digest the message showed, a new
 * approval id), signed by {@link ApprovalSigner}, to {@code cpr.approvals} keyed by cluster id, and the plan's
 * message is re-rendered with who decided and when: the decision, its event ({@link ApprovalEvents}, an outbox row),
 * the re-rendered message and the audit row commit together, and the event is sent after the commit. Every click,
 * and every {@code /cpr backup|recover}, accepted or not, leaves an {@code approval_audit} row ({@link SlackAudit}).
 */
@ApplicationScoped
public class SlackInteractions {

    private static final Logger LOG = Logger.getLogger(SlackInteractions.class);

    private final SlackRequestGate gate;
    private final SlackAudit audit;
    private final SlackMessages messages;
    private final NotificationService notifications;
    private final ApproverPolicy approvers;
    private final ApprovalSigner signer;
    private final ApprovalEvents approvals;
    private final SlashCommands commands;
    private final OutboxSender outbox;
    private final Clock clock;

    SlackInteractions(SlackRequestGate gate, SlackAudit audit, SlackMessages messages,
            NotificationService notifications, ApproverPolicy approvers, ApprovalSigner signer,
            ApprovalEvents approvals, SlashCommands commands, OutboxSender outbox,
            Clock clock) {
        this.gate = gate;
        this.audit = audit;
        this.messages = messages;
        this.notifications = notifications;
        this.approvers = approvers;
        this.signer = signer;
        this.approvals = approvals;
        this.commands = commands;
        this.outbox = outbox;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ buttons

    /** A click as Slack posts it: form-encoded {@code payload=<json>}, signed. */
    public Uni<SlackReply> interaction(String rawBody, String timestamp, String signature) {
        Click click = Click.read(rawBody);
        return gate.pass(BUTTON, rawBody, timestamp, signature, click.userId(), click.planId(), click.clusterId(),
                click.decision()).flatMap(passage -> {
                    if (!passage.ok()) {
                        return Uni.createFrom().item(passage.refusal());
                    }
                    if (click.error() != null) {
                        return audit.audit(BUTTON, click.userId(), click.planId(), click.clusterId(), click.decision(),
                                "MALFORMED", 400, click.error());
                    }
                    return Contexts.blocking(() -> approvers.isAllowed(click.userId())).flatMap(allowed -> allowed
                            ? decide(click)
                            : audit.audit(BUTTON, click.userId(), click.planId(), click.clusterId(), click.decision(),
                                    "NOT_ALLOWED", 403, "not on the approver allow-list"));
                });
    }

    private Uni<SlackReply> decide(Click click) {
        ApprovalAction action = click.action();
        String ctx = "cluster=" + action.clusterId() + " plan=" + action.planId() + " user=" + click.userId();
        return Panache.withTransaction(() -> messages.progressMessage(action.planId()).flatMap(progress -> {
            String refusal = null;
            if (progress == null || !action.clusterId().equals(progress.clusterId())) {
                refusal = "notifier knows no plan " + action.planId() + " on cluster " + action.clusterId();
            } else if (progress.decision() != null) {
                refusal = "plan " + action.planId() + " was already " + progress.decision().toLowerCase()
                        + " by <@" + progress.decidedBy() + ">";
            } else if (!PlanState.AWAITING_APPROVAL.name().equals(progress.state())) {
                refusal = "plan " + action.planId() + " is " + progress.state() + ", no longer waiting for approval";
            }
            if (refusal != null) {
                LOG.infof("approval click ignored: %s (%s)", refusal, ctx);
                return audit.auditInTx(BUTTON, click.userId(), action.planId(), action.clusterId(), click.decision(),
                        "IGNORED", 200, refusal);
            }
            Decision decision = action.approve() ? Decision.APPROVED : Decision.REJECTED;
            // what Slack's verified click gave us, signed: restore-service believes nothing else on cpr.approvals
            ApprovalDecided decided = signer.sign(new ApprovalDecided(action.planId(), action.clusterId(), decision,
                    click.userId(), ApprovalChannel.SLACK, "clicked " + (action.approve() ? "Approve" : "Reject")
                    + " in Slack", clock.instant(), UUID.randomUUID().toString(), action.digest(), null));
            return messages.decided(progress.id(), decision.name(), click.userId(), clock.instant())
                    .flatMap(marked -> notifications.showDecision(marked, ctx))
                    .flatMap(v -> approvals.decided(decided))
                    .flatMap(v -> audit.auditInTx(BUTTON, click.userId(), action.planId(), action.clusterId(),
                            decision.name(), "ACCEPTED", 200, null, decided.approvalId(), decided.planDigest()))
                    .invoke(() -> LOG.infof("plan %s by Slack user %s, written for cpr.approvals (%s)",
                            decision, click.userId(), ctx));
        })).invoke(() -> {
            outbox.wake();
            approvals.committed();
        });
    }

    // ------------------------------------------------------------------ slash commands

    /** {@code /cpr ...} as Slack posts it: form-encoded {@code command}, {@code text}, {@code user_id} ..., signed. */
    public Uni<SlackReply> command(String rawBody, String timestamp, String signature) {
        Map<String, String> form = SlackForms.form(rawBody);
        String userId = form.get("user_id");
        SlashCommands.Parsed parsed = SlashCommands.parse(form.getOrDefault("text", ""));
        boolean audited = parsed.needsApprover();
        return gate.pass(COMMAND, rawBody, timestamp, signature, userId, parsed.plan(), parsed.cluster(), parsed.verb())
                .flatMap(passage -> {
                    if (!passage.ok()) {
                        return Uni.createFrom().item(passage.refusal());
                    }
                    if (!parsed.needsApprover()) {
                        return commands.run(parsed, userId);
                    }
                    return Contexts.blocking(() -> approvers.isAllowed(userId)).flatMap(allowed -> {
                        if (!allowed) {
                            return audit.audit(COMMAND, userId, parsed.plan(), parsed.cluster(), parsed.verb(),
                                    "NOT_ALLOWED", 403, "not on the approver allow-list");
                        }
                        return commands.run(parsed, userId).flatMap(reply -> audited
                                ? audit.audit(COMMAND, userId, parsed.plan(), parsed.cluster(), parsed.verb(),
                                        reply.status() == 200 && !reply.body().path("failed").asBoolean(false)
                                                ? "ACCEPTED" : "FAILED",
                                        reply.status(), reply.body().path("text").asText(null))
                                        .replaceWith(reply)
                                : Uni.createFrom().item(reply));
                    });
                })
                .map(reply -> {
                    if (reply.body() instanceof ObjectNode node) {
                        node.remove("failed");
                    }
                    return reply;
                });
    }
}
