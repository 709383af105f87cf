package dev.cpr.notifier.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.events.EventRecords;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.notifier.adapters.persistence.ApprovalAuditEntity;
import dev.cpr.notifier.adapters.persistence.SlackMessageRepository;
import dev.cpr.notifier.adapters.persistence.SlackRequestLedger;
import dev.cpr.notifier.adapters.slack.SlackRequestVerifier;
import dev.cpr.notifier.adapters.slack.SlackRequestVerifier.Verdict;
import dev.cpr.notifier.adapters.slack.SlackSettings;
import dev.cpr.notifier.domain.ApprovalAction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Requests Slack sends to notifier: button clicks ({@code /slack/interactions}) and slash commands
 * ({@code /slack/commands}). Every request goes through the same gate: a valid v0 signature over the raw body and a
 * timestamp within {@code cpr.slack.max-request-age} (else 401), not seen before (a replay: 401). Then a click
 * must come from an approver (else 403) on a plan notifier shows as waiting for approval, and publishes
 * {@link ApprovalDecided} (channel SLACK, decidedBy = the Slack user id, the plan digest the message showed, a new
 * approval id), signed by {@link ApprovalSigner}, to {@code cpr.approvals} keyed by cluster id, and the plan's message is re-rendered with who decided and when. Every click, and every
 * {@code /cpr backup|recover}, accepted or not, leaves an {@code approval_audit} row.
 */
@ApplicationScoped
public class SlackInteractions {

    private static final Logger LOG = Logger.getLogger(SlackInteractions.class);
    static final String BUTTON = "BUTTON";
    static final String COMMAND = "COMMAND";

    /** What to answer Slack: an HTTP status and a JSON body (empty object when there is nothing to say). */
    public record Reply(int status, JsonNode body) {
        static Reply of(int status, String text) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            if (text != null) {
                body.put("response_type", "ephemeral").put("text", text);
            }
            return new Reply(status, body);
        }
    }

    /** A request that passed the signature gate. */
    record Verified(boolean ok, Reply refusal) {
    }

    private final SlackRequestVerifier verifier;
    private final SlackRequestLedger ledger;
    private final SlackMessageRepository messages;
    private final NotificationService notifications;
    private final ApproverPolicy approvers;
    private final ApprovalSigner signer;
    private final MutinyEmitter<String> approvals;
    private final SlashCommands commands;
    private final OutboxSender outbox;
    private final Clock clock;
    private final Duration maxAge;
    private final EventCodec codec;

    SlackInteractions(SlackSettings settings, SlackRequestLedger ledger, SlackMessageRepository messages,
            NotificationService notifications, ApproverPolicy approvers, ApprovalSigner signer,
            @Channel("approvals") MutinyEmitter<String> approvals, SlashCommands commands, OutboxSender outbox,
            Clock clock) {
        this.verifier = settings.signingSecret().filter(s -> !s.isBlank())
                .map(secret -> new SlackRequestVerifier(secret, clock, settings.maxRequestAge())).orElse(null);
        if (verifier == null) {
            LOG.warn("no cpr.slack.signing-secret: /slack/interactions and /slack/commands refuse every request");
        }
        this.ledger = ledger;
        this.messages = messages;
        this.notifications = notifications;
        this.approvers = approvers;
        this.signer = signer;
        this.approvals = approvals;
        this.commands = commands;
        this.outbox = outbox;
        this.clock = clock;
        this.maxAge = settings.maxRequestAge();
        this.codec = new EventCodec("/cpr/notifier", clock);
    }

    // ------------------------------------------------------------------ buttons

    /** A click as Slack posts it: form-encoded {@code payload=<json>}, signed. */
    public Uni<Reply> interaction(String rawBody, String timestamp, String signature) {
        Click click = Click.read(rawBody);
        return gate(BUTTON, rawBody, timestamp, signature, click.userId(), click.planId(), click.clusterId(),
                click.decision()).flatMap(gate -> {
                    if (!gate.ok()) {
                        return Uni.createFrom().item(gate.refusal());
                    }
                    if (click.error() != null) {
                        return audit(BUTTON, click.userId(), click.planId(), click.clusterId(), click.decision(),
                                "MALFORMED", 400, click.error());
                    }
                    return Contexts.blocking(() -> approvers.isAllowed(click.userId())).flatMap(allowed -> allowed
                            ? decide(click)
                            : audit(BUTTON, click.userId(), click.planId(), click.clusterId(), click.decision(),
                                    "NOT_ALLOWED", 403, "not on the approver allow-list"));
                });
    }

    private Uni<Reply> decide(Click click) {
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
                return auditInTx(BUTTON, click.userId(), action.planId(), action.clusterId(), click.decision(),
                        "IGNORED", 200, refusal);
            }
            Decision decision = action.approve() ? Decision.APPROVED : Decision.REJECTED;
            progress.decided(decision.name(), click.userId(), clock.instant());
            // what Slack's verified click gave us, signed: restore-service believes nothing else on cpr.approvals
            ApprovalDecided decided = signer.sign(new ApprovalDecided(action.planId(), action.clusterId(), decision,
                    click.userId(), ApprovalChannel.SLACK, "clicked " + (action.approve() ? "Approve" : "Reject")
                    + " in Slack", clock.instant(), UUID.randomUUID().toString(), action.digest(), null));
            Message<String> record = EventRecords.message(Topics.APPROVALS,
                    codec.wrap(EventTypes.APPROVAL_DECIDED, action.clusterId(), decided));
            return notifications.showDecision(progress, ctx)
                    .flatMap(v -> Contexts.back(approvals.sendMessage(record)))
                    .flatMap(v -> auditInTx(BUTTON, click.userId(), action.planId(), action.clusterId(),
                            decision.name(), "ACCEPTED", 200, null, decided.approvalId(), decided.planDigest()))
                    .invoke(() -> LOG.infof("plan %s by Slack user %s, published to cpr.approvals (%s)",
                            decision, click.userId(), ctx));
        })).invoke(outbox::wake);
    }

    // ------------------------------------------------------------------ slash commands

    /** {@code /cpr ...} as Slack posts it: form-encoded {@code command}, {@code text}, {@code user_id} ..., signed. */
    public Uni<Reply> command(String rawBody, String timestamp, String signature) {
        Map<String, String> form = form(rawBody);
        String userId = form.get("user_id");
        SlashCommands.Parsed parsed = SlashCommands.parse(form.getOrDefault("text", ""));
        boolean audited = parsed.needsApprover();
        return gate(COMMAND, rawBody, timestamp, signature, userId, parsed.plan(), parsed.cluster(), parsed.verb())
                .flatMap(gate -> {
                    if (!gate.ok()) {
                        return Uni.createFrom().item(gate.refusal());
                    }
                    if (!parsed.needsApprover()) {
                        return commands.run(parsed, userId);
                    }
                    return Contexts.blocking(() -> approvers.isAllowed(userId)).flatMap(allowed -> {
                        if (!allowed) {
                            return audit(COMMAND, userId, parsed.plan(), parsed.cluster(), parsed.verb(),
                                    "NOT_ALLOWED", 403, "not on the approver allow-list");
                        }
                        return commands.run(parsed, userId).flatMap(reply -> audited
                                ? audit(COMMAND, userId, parsed.plan(), parsed.cluster(), parsed.verb(),
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

    // ------------------------------------------------------------------ the gate

    private Uni<Verified> gate(String source, String rawBody, String timestamp, String signature, String userId,
            String planId, String clusterId, String decision) {
        if (verifier == null) {
            return audit(source, userId, planId, clusterId, decision, "NOT_CONFIGURED", 503,
                    "no signing secret configured").map(r -> new Verified(false, r));
        }
        Verdict verdict = verifier.verify(timestamp, rawBody, signature);
        if (verdict != Verdict.VALID) {
            String outcome = verdict == Verdict.STALE ? "STALE" : "BAD_SIGNATURE";
            LOG.warnf("Slack request refused: %s (source=%s claimed user=%s plan=%s cluster=%s)", verdict, source,
                    userId, planId, clusterId);
            return audit(source, userId, planId, clusterId, decision, outcome, 401, verdict.name().toLowerCase()
                    .replace('_', ' ')).map(r -> new Verified(false, r));
        }
        String digest = sha256(signature.trim() + ":" + timestamp.trim() + ":" + rawBody);
        return Panache.withTransaction(() -> ledger.firstTime(digest, clock.instant(), maxAge)).flatMap(first -> {
            if (first) {
                return Uni.createFrom().item(new Verified(true, null));
            }
            LOG.warnf("Slack request refused: replay of a request already handled (source=%s user=%s plan=%s)",
                    source, userId, planId);
            return audit(source, userId, planId, clusterId, decision, "REPLAY", 401,
                    "the same signed request was already handled").map(r -> new Verified(false, r));
        });
    }

    private Uni<Reply> audit(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason) {
        return Panache.withTransaction(() -> auditInTx(source, userId, planId, clusterId, decision, outcome, status,
                reason));
    }

    private Uni<Reply> auditInTx(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason) {
        return auditInTx(source, userId, planId, clusterId, decision, outcome, status, reason, null, null);
    }

    private Uni<Reply> auditInTx(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason, String approvalId, String planDigest) {
        return ApprovalAuditEntity.of(clock.instant(), source, userId, planId, clusterId, decision, outcome, status,
                        reason).published(approvalId, planDigest).persist()
                .replaceWith(Reply.of(status, status == 200 && reason == null ? null : message(outcome, reason)));
    }

    private static String message(String outcome, String reason) {
        return switch (outcome) {
            case "NOT_ALLOWED" -> "You are not allowed to do this: " + reason + ".";
            case "STALE", "BAD_SIGNATURE", "REPLAY" -> "Request refused (" + reason + ").";
            default -> reason;
        };
    }

    // ------------------------------------------------------------------ parsing

    /** What a {@code block_actions} payload says; fields null when missing, {@code error} when not a click of ours. */
    record Click(String userId, ApprovalAction action, String error) {

        String planId() {
            return action == null ? null : action.planId();
        }

        String clusterId() {
            return action == null ? null : action.clusterId();
        }

        String decision() {
            return action == null ? null : action.approve() ? Decision.APPROVED.name() : Decision.REJECTED.name();
        }

        static Click read(String rawBody) {
            String payload = form(rawBody).get("payload");
            if (payload == null) {
                return new Click(null, null, "no payload parameter");
            }
            JsonNode json;
            try {
                json = EventCodec.mapper().readTree(payload);
            } catch (Exception e) {
                return new Click(null, null, "payload is not JSON");
            }
            String user = json.path("user").path("id").asText(null);
            if (!"block_actions".equals(json.path("type").asText())) {
                return new Click(user, null, "payload type '" + json.path("type").asText() + "' is not block_actions");
            }
            JsonNode first = json.path("actions").path(0);
            try {
                return new Click(user, ApprovalAction.parse(first.path("action_id").asText(null),
                        first.path("value").asText(null)), null);
            } catch (IllegalArgumentException e) {
                return new Click(user, null, e.getMessage());
            }
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException badEscape) {
                // a malformed pair is skipped; the signature check decides about the request
            }
        }
        return out;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
