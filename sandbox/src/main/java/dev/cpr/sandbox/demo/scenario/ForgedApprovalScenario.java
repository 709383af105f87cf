package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue #11: anyone who can write to {@code cpr.approvals} must not be able to approve a destructive plan. A snapshot
 * is taken and verified, two of three members are killed and wiped, and a plan waits for approval (whichever plan
 * cpr proposes: the scenario judges "the waiting plan"). Then, as an attacker would: an unsigned approval naming the
 * Slack approver, and a tampered one (the world's notifier key signed an approval by someone else; the record names
 * the approver instead) are written straight onto the bus, and a viewer calls the REST approve. Each must be refused
 * and be in restore-service's approval audit, and the plan must still wait, unchanged. Then the approver clicks
 * Approve in Slack (the notifier signs it): the plan runs and succeeds, and the audit has that accepted approval.
 */
public final class ForgedApprovalScenario implements Scenario {

    public static final String NAME = "forged-approval";
    static final String FORGER = "U0FORGER";
    static final Duration AWAIT_APPROVAL = Duration.ofSeconds(90);
    static final Duration AWAIT_AUDIT = Duration.ofSeconds(20);
    static final Duration AWAIT_RESTORE = Duration.ofSeconds(120);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a plan waits for approval (quorum lost); an unsigned and a tampered approval on the bus and a REST "
                + "approval by a viewer are refused and audited, the plan keeps waiting; the approver's Slack click runs it";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        result.put("plan", null).put("unsigned_refused", false).put("tampered_refused", false)
                .put("viewer_refused", false).put("still_waiting", false).put("approved_by", null)
                .put("plan_state", null);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        String restore = world.service(CprService.RESTORE_SERVICE).url();
        String notifier = world.service(CprService.NOTIFIER).url();
        String viewer = world.tokens().viewer();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(), Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
            etcd.putKeys("/demo/" + NAME + "/", 1_000);
            String backupId = ServiceCalls.startBackup(world, clusterId, "etcd-v3-snapshot");
            ServiceCalls.awaitVerifiedBackup(ServiceCalls.backup(world, backupId), viewer, Duration.ofSeconds(120));
            progress.say(NAME + ": snapshot " + backupId + " verified; killing and wiping etcd-2 and etcd-3");
            List<String> victims = List.of("etcd-2", "etcd-3");
            // the data goes first, while the members still run (they keep their open files), then they die: killed
            // first, a member could be surveyed with its data still there, and cpr would rightly try to start it again
            java.time.Instant injected = java.time.Instant.now();
            victims.forEach(etcd::wipe);
            etcd.killTogether(victims);

            // only a plan made for this fault: one proposed for an earlier incident (say a stall while the world
            // started) may still be on the topic, already withdrawn
            Optional<EventWatcher.Seen> waiting = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && !s.receivedAt().isBefore(injected)
                    && clusterId.equals(s.event().subject())
                    && s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL, AWAIT_APPROVAL);
            if (waiting.isEmpty()) {
                return result.put("error", "no plan awaiting approval within " + AWAIT_APPROVAL.toSeconds() + " s");
            }
            String planId = waiting.get().data(RecoveryUpdate.class).planId();
            JsonNode before = ServiceCalls.send(restore + "/api/v1/recoveries/" + planId, "GET", null, viewer, 200);
            String digest = before.path("digest").asText();
            result.put("plan", before.path("plan").asText()).put("plan_id", planId);
            progress.say(NAME + ": plan " + planId + " (" + before.path("plan").asText() + ", digest " + digest
                    + ") waits; forging approvals");

            ApprovalDecided unsigned = approval(planId, clusterId, SlackApprovalScenario.APPROVER, digest);
            ApprovalDecided signedForForger = ApprovalSignatures.sign(approval(planId, clusterId, FORGER, digest),
                    world.approvalKeys().getPrivate());
            ApprovalDecided tampered = new ApprovalDecided(planId, clusterId, Decision.APPROVED,
                    SlackApprovalScenario.APPROVER, ApprovalChannel.SLACK, "clicked Approve in Slack",
                    signedForForger.decidedAt(), signedForForger.approvalId(), digest, signedForForger.signature());
            publish(world, clusterId, List.of(unsigned, tampered));
            JsonNode viewerAnswer = ServiceCalls.send(restore + "/api/v1/recoveries/" + planId + "/approve", "POST",
                    "{\"reason\":\"I can read, so I approve\"}", viewer, 403);

            List<JsonNode> refused = awaitAudit(restore, viewer, planId, rows -> rows.stream()
                    .filter(r -> "REFUSED".equals(r.path("outcome").asText())).count() >= 3);
            boolean unsignedRefused = has(refused, unsigned.approvalId(), "UNSIGNED");
            boolean tamperedRefused = has(refused, tampered.approvalId(), "BAD_SIGNATURE");
            boolean viewerRefused = viewerAnswer.path("status").asInt() == 403 && refused.stream()
                    .anyMatch(r -> "REST".equals(r.path("channel").asText())
                            && "NOT_OPERATOR".equals(r.path("refusal").asText()));
            JsonNode after = ServiceCalls.send(restore + "/api/v1/recoveries/" + planId, "GET", null, viewer, 200);
            boolean stillWaiting = "AWAITING_APPROVAL".equals(after.path("state").asText())
                    && after.path("sequence").asLong() == before.path("sequence").asLong()
                    && after.path("decidedBy").isNull();
            result.put("unsigned_refused", unsignedRefused).put("tampered_refused", tamperedRefused)
                    .put("viewer_refused", viewerRefused).put("still_waiting", stillWaiting)
                    .put("refusals", refused.stream().map(r -> r.path("channel").asText() + ":"
                            + r.path("refusal").asText()).sorted().toList());
            progress.say(NAME + ": unsigned refused " + unsignedRefused + ", tampered refused " + tamperedRefused
                    + ", viewer refused " + viewerRefused + "; plan still waiting " + stillWaiting);

            Optional<SlackApprovalScenario.Button> button = SlackApprovalScenario.awaitButton(world.slack(), planId,
                    "cpr_approve", Duration.ofSeconds(20));
            if (button.isEmpty()) {
                return result.put("error", "no Approve button for plan " + planId + " in Slack within 20 s");
            }
            int clicked = world.slack().clickButton(notifier, SlackApprovalScenario.APPROVER, button.get().ts(),
                    button.get().actionId(), button.get().value());
            if (clicked != 200) {
                return result.put("error", "the approver's click was answered " + clicked);
            }
            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && planId.equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), AWAIT_RESTORE);
            if (finished.isEmpty()) {
                return result.put("error", "plan " + planId + " did not finish within " + AWAIT_RESTORE.toSeconds()
                        + " s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            List<JsonNode> audit = awaitAudit(restore, viewer, planId, rows -> rows.stream()
                    .anyMatch(r -> "ACCEPTED".equals(r.path("outcome").asText())));
            Optional<JsonNode> accepted = audit.stream().filter(r -> "ACCEPTED".equals(r.path("outcome").asText()))
                    .findFirst();
            boolean signedAccepted = accepted.isPresent() && accepted.get().path("signed").asBoolean()
                    && digest.equals(accepted.get().path("planDigest").asText());
            result.put("plan_state", done.state().name()).put("audit_rows", audit.size())
                    .put("approved_by", accepted.map(a -> a.path("decidedBy").asText()).orElse(null))
                    .put("approval_signed", signedAccepted);
            boolean healthy = done.state() == PlanState.SUCCEEDED && Pause.until(() -> etcd.members().stream()
                    .allMatch(m -> etcd.isHealthy(m.name())), Duration.ofSeconds(30));
            result.put("cluster_healthy", healthy);
            progress.say(NAME + ": the approver's click -> plan " + done.state() + ", cluster "
                    + (healthy ? "healthy" : "NOT healthy") + "; " + audit.size() + " audit rows");
            return result.ok(unsignedRefused && tamperedRefused && viewerRefused && stillWaiting && signedAccepted
                    && healthy);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ApprovalDecided approval(String planId, String clusterId, String by, String digest) {
        return new ApprovalDecided(planId, clusterId, Decision.APPROVED, by, ApprovalChannel.SLACK,
                "clicked Approve in Slack", Instant.now(), UUID.randomUUID().toString(), digest, null);
    }

    /** Writes the records onto cpr.approvals as any Kafka client could. */
    private static void publish(World world, String clusterId, List<ApprovalDecided> decisions) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.sandbox().kafka().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        EventCodec codec = new EventCodec("/someone/with/kafka/access", Clock.systemUTC());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (ApprovalDecided decided : decisions) {
                producer.send(new ProducerRecord<>(Topics.APPROVALS, clusterId,
                        EventCodec.encode(codec.wrap(EventTypes.APPROVAL_DECIDED, clusterId, decided))))
                        .get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean has(List<JsonNode> rows, String approvalId, String refusal) {
        return rows.stream().anyMatch(r -> approvalId.equals(r.path("approvalId").asText())
                && "BUS".equals(r.path("channel").asText()) && refusal.equals(r.path("refusal").asText()));
    }

    /** restore-service's audit of the plan, once {@code until} holds (or as it is after {@link #AWAIT_AUDIT}). */
    private static List<JsonNode> awaitAudit(String restore, String viewer, String planId,
            java.util.function.Predicate<List<JsonNode>> until) throws Exception {
        Instant deadline = Instant.now().plus(AWAIT_AUDIT);
        while (true) {
            List<JsonNode> rows = new ArrayList<>();
            ServiceCalls.send(restore + "/api/v1/approvals?plan=" + planId, "GET", null, viewer, 200)
                    .forEach(rows::add);
            if (until.test(rows) || Instant.now().isAfter(deadline)) {
                return rows;
            }
            Pause.millis(200);
        }
    }
}
