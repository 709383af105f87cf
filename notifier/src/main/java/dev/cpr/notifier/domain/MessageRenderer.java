package dev.cpr.notifier.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders cpr's events as Slack Block Kit messages. Pure: the same event always gives the same message,
 * so a {@code chat.update} with an unchanged plan is harmless.
 * <ul>
 *   <li>incident opened: header (cluster, failure), fields failed members / summary / detected at</li>
 *   <li>recovery progress (one message in the incident's thread, updated in place): plan state, a bar like
 *       {@code ▰▰▰▱▱ 3/5}, elapsed time, one line per step with its state emoji</li>
 *   <li>incident resolved: the top message rewritten as resolved with how long it was open, and a short reply</li>
 * </ul>
 */
public final class MessageRenderer {

    /** Slack's limits: header text 150 characters, section text 3000, field text 2000. */
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public SlackMessage incidentOpened(IncidentOpened incident) {
        String title = ":rotating_light: " + incident.clusterId() + ": " + failure(incident.failure());
        ArrayNode blocks = F.arrayNode();
        blocks.add(header(title));
        blocks.add(fields(incidentFields(incident)));
        blocks.add(context("incident `" + incident.incidentId() + "` · cpr is on it, progress follows in the thread"));
        String text = "Incident on " + incident.clusterId() + ": " + failure(incident.failure())
                + members(incident.failedMembers()) + summarySuffix(incident.summary());
        return new SlackMessage(text, blocks);
    }

    /**
     * The top message once the incident is resolved.
     *
     * @param opened the incident as it was opened, or null when notifier never saw it
     */
    public SlackMessage incidentResolved(IncidentOpened opened, IncidentResolved resolved) {
        String openFor = openFor(resolved);
        String title = ":white_check_mark: Resolved: " + resolved.clusterId() + ": " + failure(resolved.failure());
        ArrayNode blocks = F.arrayNode();
        blocks.add(header(title));
        if (opened != null) {
            blocks.add(fields(incidentFields(opened)));
        }
        blocks.add(fields(List.of(
                field("Resolved at", time(resolved.resolvedAt())),
                field("Open for", openFor == null ? "unknown" : openFor))));
        blocks.add(context("incident `" + resolved.incidentId() + "` · resolved"));
        String text = "Resolved: incident on " + resolved.clusterId() + ": " + failure(resolved.failure())
                + (openFor == null ? "" : " (open for " + openFor + ")");
        return new SlackMessage(text, blocks);
    }

    /** The short reply posted in the incident's thread when it resolves. */
    public SlackMessage resolvedReply(IncidentResolved resolved) {
        String openFor = openFor(resolved);
        String line = ":white_check_mark: *Resolved*: " + resolved.clusterId() + " is healthy again"
                + (openFor == null ? "." : " after " + openFor + ".");
        ArrayNode blocks = F.arrayNode();
        blocks.add(section(line));
        return new SlackMessage("Resolved: " + resolved.clusterId() + " is healthy again"
                + (openFor == null ? "" : " after " + openFor), blocks);
    }

    /** The plan's progress message: posted once in the incident's thread, then updated in place. */
    public SlackMessage progress(RecoveryUpdate update) {
        return progress(update, null);
    }

    /**
     * The progress message; while the plan waits for approval and nobody decided yet it carries Approve / Reject
     * buttons ({@link ApprovalAction}); once someone decided in Slack, it says who and when instead.
     */
    public SlackMessage progress(RecoveryUpdate update, ApprovalNote decision) {
        List<StepView> steps = update.steps().stream().sorted(Comparator.comparingInt(StepView::index)).toList();
        int done = (int) steps.stream().filter(s -> s.state() != null && s.state().isDone()).count();
        String bar = ProgressBar.render(done, steps.size());
        String elapsed = elapsed(update);
        String plan = update.plan() == null ? "recovery" : update.plan();

        StringBuilder head = new StringBuilder()
                .append(planEmoji(update.state())).append(" *Recovery `").append(plan).append("`* on *")
                .append(update.clusterId()).append("*: ").append(planState(update.state()))
                .append("\n`").append(bar).append('`');
        if (elapsed != null) {
            head.append(" · elapsed ").append(elapsed);
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            lines.append(stepLine(i + 1, steps.get(i))).append('\n');
        }

        ArrayNode blocks = F.arrayNode();
        blocks.add(section(head.toString()));
        if (!steps.isEmpty()) {
            blocks.add(section(lines.toString().stripTrailing()));
        }
        if (!update.options().isEmpty()) {
            blocks.add(section(truncate(options(update.options()), SECTION_MAX)));
        }
        // the digest stays on the message once decided: it says which version of the plan was approved
        String context = "plan `" + update.planId() + "`"
                + (update.digest() == null ? "" : " · digest `" + shortDigest(update.digest()) + "`")
                + (update.message() == null || update.message().isBlank() ? "" : " · " + update.message());
        if (decision != null) {
            blocks.add(section((decision.approved() ? ":white_check_mark: *Approved*" : ":no_entry: *Rejected*")
                    + " by <@" + decision.decidedBy() + "> at " + time(decision.decidedAt())));
        } else if (update.state() == PlanState.AWAITING_APPROVAL) {
            blocks.add(section(":raised_hand: This plan waits for approval" + destructiveNote(steps) + "."
                    + (update.digest() == null ? "" : " Plan digest `" + shortDigest(update.digest())
                    + "`: an approval is for exactly these steps and this snapshot.")));
            blocks.add(approvalButtons(update));
        }
        blocks.add(context(context));

        String text = "Recovery " + plan + " on " + update.clusterId() + ": " + planState(update.state()) + " " + bar
                + (elapsed == null ? "" : " (elapsed " + elapsed + ")");
        if (decision != null) {
            text += (decision.approved() ? " · approved by " : " · rejected by ") + decision.decidedBy();
        } else if (update.state() == PlanState.AWAITING_APPROVAL) {
            text += " · waits for approval";
        }
        return new SlackMessage(text, blocks);
    }

    /** The first 12 hex digits of {@code sha256:<hex>}, as a person compares it with the API's. */
    static String shortDigest(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /**
     * On quorum loss: every way out restore-service weighed, least destructive first, with what it would lose, so the
     * person approving sees what the other choices would have cost.
     */
    static String options(List<RecoveryOption> options) {
        StringBuilder out = new StringBuilder("*Options, least destructive first*");
        for (RecoveryOption option : options) {
            out.append('\n').append(option.rank()).append(". `").append(option.plan()).append('`')
                    .append(option.chosen() ? " *(this plan)*" : option.viable() ? "" : " _(not possible)_")
                    .append(": ").append(lossFigures(option)).append(option.loses());
        }
        return out.toString();
    }

    private static String lossFigures(RecoveryOption option) {
        if (!option.viable() || option.revisionsLost() == null && option.secondsLost() == null) {
            return "";
        }
        return "*loses " + (option.revisionsLost() == null ? "?" : option.revisionsLost()) + " revisions, "
                + (option.secondsLost() == null ? "?" : HumanDuration.format(Duration.ofSeconds(option.secondsLost())))
                + "* · ";
    }

    private static String destructiveNote(List<StepView> steps) {
        long destructive = steps.stream().filter(StepView::destructive).count();
        return destructive == 0 ? "" : " (" + destructive + " destructive step" + (destructive == 1 ? "" : "s") + ")";
    }

    private static ObjectNode approvalButtons(RecoveryUpdate update) {
        String value = ApprovalAction.value(update.planId(), update.clusterId(), update.digest());
        ObjectNode block = F.objectNode().put("type", "actions").put("block_id", ApprovalAction.BLOCK_ID);
        ArrayNode elements = block.putArray("elements");
        elements.add(button(ApprovalAction.APPROVE, "Approve", "primary", value));
        ObjectNode reject = button(ApprovalAction.REJECT, "Reject", "danger", value);
        elements.add(reject);
        return block;
    }

    private static ObjectNode button(String actionId, String label, String style, String value) {
        ObjectNode button = F.objectNode().put("type", "button").put("action_id", actionId).put("style", style)
                .put("value", value);
        button.putObject("text").put("type", "plain_text").put("text", label).put("emoji", true);
        return button;
    }

    /** One step: {@code :white_check_mark: 3. member-add: Add the new member (attempt 2)}. */
    static String stepLine(int position, StepView step) {
        StringBuilder line = new StringBuilder()
                .append(stepEmoji(step.state())).append(' ').append(position).append(". *").append(step.name()).append('*');
        if (step.description() != null && !step.description().isBlank()) {
            line.append(": ").append(step.description());
        }
        if (step.attempts() > 1) {
            line.append(" (attempt ").append(step.attempts()).append(')');
        }
        if (step.state() == StepState.FAILED && step.output() != null && !step.output().isBlank()) {
            line.append(" — ").append(truncate(step.output().strip(), 200));
        }
        if (step.state() == StepState.RUNNING && step.output() != null && !step.output().isBlank()) {
            // a long step's output so far (a playbook's latest task): the newest line says where it is
            String[] lines = step.output().strip().split("\n");
            line.append(" — _").append(truncate(lines[lines.length - 1].strip(), 150)).append('_');
        }
        return line.toString();
    }

    static String stepEmoji(StepState state) {
        if (state == null) {
            return ":grey_question:";
        }
        return switch (state) {
            case PENDING -> ":white_circle:";
            case RUNNING -> ":arrows_counterclockwise:";
            case SUCCEEDED -> ":white_check_mark:";
            case SKIPPED -> ":fast_forward:";
            case FAILED -> ":x:";
        };
    }

    static String planEmoji(PlanState state) {
        return switch (state) {
            case PROPOSED -> ":memo:";
            case AWAITING_APPROVAL -> ":hourglass:";
            case RUNNING -> ":arrows_counterclockwise:";
            case SUCCEEDED -> ":white_check_mark:";
            case FAILED -> ":x:";
            case CANCELLED -> ":no_entry_sign:";
            case REJECTED -> ":no_entry:";
            case EXPIRED -> ":alarm_clock:";
        };
    }

    static String planState(PlanState state) {
        return state.name().replace('_', ' ');
    }

    private static String elapsed(RecoveryUpdate update) {
        if (update.createdAt() == null || update.updatedAt() == null) {
            return null;
        }
        return HumanDuration.format(Duration.between(update.createdAt(), update.updatedAt()));
    }

    private static String openFor(IncidentResolved resolved) {
        return resolved.openedAt() == null ? null
                : HumanDuration.format(Duration.between(resolved.openedAt(), resolved.resolvedAt()));
    }

    private static List<ObjectNode> incidentFields(IncidentOpened incident) {
        return List.of(
                field("Failed members", incident.failedMembers().isEmpty() ? "all (cluster-wide)"
                        : String.join(", ", incident.failedMembers())),
                field("Detected at", time(incident.detectedAt())),
                field("Summary", incident.summary() == null || incident.summary().isBlank() ? "-" : incident.summary()));
    }

    static String failure(FailureKind failure) {
        if (failure == null) {
            return "failure";
        }
        return failure.label();
    }

    private static String members(List<String> failed) {
        return failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")";
    }

    private static String summarySuffix(String summary) {
        return summary == null || summary.isBlank() ? "" : ": " + summary;
    }

    static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }

    static ObjectNode header(String text) {
        ObjectNode block = F.objectNode().put("type", "header");
        block.putObject("text").put("type", "plain_text").put("text", truncate(text, HEADER_MAX)).put("emoji", true);
        return block;
    }

    static ObjectNode section(String mrkdwn) {
        ObjectNode block = F.objectNode().put("type", "section");
        block.putObject("text").put("type", "mrkdwn").put("text", truncate(mrkdwn, SECTION_MAX));
        return block;
    }

    static ObjectNode fields(List<ObjectNode> fields) {
        ObjectNode block = F.objectNode().put("type", "section");
        ArrayNode array = block.putArray("fields");
        fields.forEach(array::add);
        return block;
    }

    static ObjectNode field(String label, String value) {
        return F.objectNode().put("type", "mrkdwn").put("text", truncate("*" + label + "*\n" + value, FIELD_MAX));
    }

    static ObjectNode context(String mrkdwn) {
        ObjectNode block = F.objectNode().put("type", "context");
        block.putArray("elements").addObject().put("type", "mrkdwn").put("text", truncate(mrkdwn, SECTION_MAX));
        return block;
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
