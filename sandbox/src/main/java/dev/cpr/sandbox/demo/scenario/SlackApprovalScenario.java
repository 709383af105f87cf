package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.slack.SlackSimulator.Signing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quorum loss whose restore waits for a person, handled from Slack: the approver takes a snapshot with
 * {@code /cpr backup <cluster>} (notifier calls backup-service) and the scenario waits until it is verified; two of
 * three members are killed and wiped (all of them, so only the snapshot can bring the cluster back); the {@code etcd-quorum-restore} plan waits for approval, and the approval
 * comes from Slack (the simulator clicking the plan message's button as Slack would). A forged click, a stale click
 * and a click by someone not on the allow-list must all be refused; the approver's click must start the restore,
 * and the plan must succeed.
 * <p>
 * notifier needs, from the World: {@code CPR_SLACK_SIGNING_SECRET} = the simulator's signing secret,
 * {@code CPR_SLACK_APPROVERS} = {@value #APPROVER}, {@code CPR_NOTIFIER_BACKUP_SERVICE_URL} = backup-service's URL
 * and {@code CPR_NOTIFIER_SERVICE_TOKEN} = a token backup-service accepts for triggering a backup.
 */
public final class SlackApprovalScenario implements Scenario {

    public static final String NAME = "slack-approval";
    /** The Slack user id the World puts on notifier's approver allow-list. */
    public static final String APPROVER = World.SLACK_APPROVER;
    /** Someone in the workspace who is not on it. */
    public static final String BYSTANDER = "U0BYSTANDER";
    /** Every member: with one member's data left, the least destructive way out would be a survivor rebuild. */
    static final List<String> VICTIMS = List.of("etcd-1", "etcd-2", "etcd-3");
    static final Duration AWAIT_APPROVAL = Duration.ofSeconds(90);
    static final Duration AWAIT_RESTORE = Duration.ofSeconds(120);
    static final Duration AWAIT_BACKUP = Duration.ofSeconds(120);
    /** notifier's answer to {@code /cpr backup}: "Backup <id> of *<cluster>* started (...)". */
    static final Pattern BACKUP_STARTED = Pattern.compile("Backup (\\S+) of \\*[^*]+\\* started");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "snapshot with /cpr backup, quorum loss (every member killed and wiped); the restore waits for "
                + "approval, given in Slack after a forged, a stale and a not-allowed click are refused";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        result.put("forged_rejected", false).put("stale_rejected", false).put("not_allowed_rejected", false)
                .put("approved_by", null).put("recovered_ms", null);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        SlackSimulator slack = world.slack();
        String notifier = world.service(CprService.NOTIFIER).url();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES, Topics.BACKUPS)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
            etcd.putKeys("/demo/" + NAME + "/", 1_000);

            SlackSimulator.AppResponse backup = slack.slashCommand(notifier, APPROVER, "backup " + clusterId,
                    Signing.VALID);
            Matcher started = BACKUP_STARTED.matcher(backup.body() == null ? "" : backup.body());
            if (backup.status() != 200 || !started.find()) {
                return result.put("error", "/cpr backup " + clusterId + " answered " + backup.status() + ": "
                        + backup.body());
            }
            String backupId = started.group(1);
            progress.say(NAME + ": /cpr backup " + clusterId + " started backup " + backupId + "; waiting for its drill");
            Optional<EventWatcher.Seen> verified = events.await(s -> EventTypes.BACKUP_UPDATED.equals(s.event().type())
                    && backupId.equals(s.data(BackupUpdate.class).backupId())
                    && s.data(BackupUpdate.class).status() == BackupStatus.VERIFIED, AWAIT_BACKUP);
            if (verified.isEmpty()) {
                return result.put("error", "backup " + backupId + " was not verified within "
                        + AWAIT_BACKUP.toSeconds() + " s");
            }
            result.put("snapshot_id", backupId);

            progress.say(NAME + ": killing and wiping " + String.join(", ", VICTIMS) + " (quorum lost)");
            Instant injected = Instant.now();
            // both at once, then their data (see QuorumLossScenario)
            // the data goes first, while the members still run (they keep their open files), then they die: killed
            // first, a member could be surveyed with its data still there, and cpr would rightly try to start it again
            VICTIMS.forEach(etcd::wipe);
            etcd.killTogether(VICTIMS);

            Optional<EventWatcher.Seen> waiting = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && clusterId.equals(s.event().subject())
                    && s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL, AWAIT_APPROVAL);
            if (waiting.isEmpty()) {
                return result.put("error", "no plan awaiting approval within " + AWAIT_APPROVAL.toSeconds() + " s"
                        + " (is the " + PlanNames.ETCD_QUORUM_RESTORE + " plan in restore-service, with mode "
                        + "APPROVAL?)");
            }
            RecoveryUpdate plan = waiting.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId());
            progress.say(NAME + ": plan " + plan.planId() + " (" + plan.plan() + ") waits for approval");

            Optional<Button> approve = awaitButton(slack, plan.planId(), "cpr_approve", Duration.ofSeconds(20));
            if (approve.isEmpty()) {
                return result.put("error", "no Approve button for plan " + plan.planId() + " in Slack within 20 s");
            }
            Button button = approve.get();

            int forged = slack.click(notifier, APPROVER, button.ts(), button.actionId(), button.value(), Signing.FORGED)
                    .status();
            int stale = slack.click(notifier, APPROVER, button.ts(), button.actionId(), button.value(), Signing.STALE)
                    .status();
            int bystander = slack.clickButton(notifier, BYSTANDER, button.ts(), button.actionId(), button.value());
            result.put("forged_rejected", forged == 401).put("stale_rejected", stale == 401)
                    .put("not_allowed_rejected", bystander == 403);
            progress.say(NAME + ": forged click -> " + forged + ", stale click -> " + stale + ", click by "
                    + BYSTANDER + " -> " + bystander);

            int approved = slack.clickButton(notifier, APPROVER, button.ts(), button.actionId(), button.value());
            progress.say(NAME + ": click by approver " + APPROVER + " -> " + approved);
            if (approved != 200) {
                return result.put("error", "the approver's click was answered " + approved);
            }
            result.put("approved_by", APPROVER);

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), AWAIT_RESTORE);
            if (finished.isEmpty()) {
                return result.put("error", "plan " + plan.planId() + " did not finish within "
                        + AWAIT_RESTORE.toSeconds() + " s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name());
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + plan.planId() + " ended " + done.state() + ": " + done.message());
            }
            boolean healthy = Pause.until(() -> etcd.members().stream().allMatch(m -> etcd.isHealthy(m.name())),
                    Duration.ofSeconds(30));
            result.put("recovered_ms", Duration.between(injected, Instant.now()).toMillis())
                    .put("cluster_healthy", healthy);
            progress.say(NAME + ": plan " + plan.planId() + " SUCCEEDED, cluster " + (healthy ? "healthy" : "NOT healthy"));
            return result.ok(healthy && forged == 401 && stale == 401 && bystander == 403);
        } catch (RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A button as shown in Slack: the message it is on, its action id and value. */
    record Button(String ts, String actionId, String value) {
    }

    static Optional<Button> awaitButton(SlackSimulator slack, String planId, String actionId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<Button> found = findButton(slack.messages(), planId, actionId);
            if (found.isPresent() || Instant.now().isAfter(deadline)) {
                return found;
            }
            Pause.millis(200);
        }
    }

    static Optional<Button> findButton(List<SimMessage> messages, String planId, String actionId) {
        for (SimMessage message : messages) {
            if (message.blocks() == null) {
                continue;
            }
            for (JsonNode block : message.blocks()) {
                for (JsonNode element : block.path("elements")) {
                    String value = element.path("value").asText("");
                    if (actionId.equals(element.path("action_id").asText()) && value.contains("\"" + planId + "\"")) {
                        return Optional.of(new Button(message.ts(), actionId, value));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
