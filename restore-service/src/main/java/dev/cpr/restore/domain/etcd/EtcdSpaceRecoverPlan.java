package dev.cpr.restore.domain.etcd;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code etcd-space-recover}: the cluster hit {@code --quota-backend-bytes} and raised {@code NOSPACE} (it takes only
 * reads and deletes). etcd's maintenance guide, without losing a key:
 * <pre>
 *  record-sizes    every member's database size, and the defragment order: followers first, the leader last
 *  compact         compact the history before the current revision, keeping the last N revisions
 *  defragment-1..n defragment one member at a time in the recorded order, a pause between (it blocks the member)
 *  check-quota     the defragmented databases fit the quota; if the live data itself does not, stop: only a larger
 *                  --quota-backend-bytes helps (nothing is restored, nothing is lost)
 *  disarm-alarm    disarm NOSPACE
 *  verify-write    a key can be written (and is deleted again)
 *  verify-shrunk   every member's database is smaller than recorded and below the quota
 * </pre>
 * The order is recorded by the first step and read back from its stored output when the plan resumes, so the
 * defragment step that was interrupted runs again on the same member and no later one starts before it: two members
 * are never defragmented at once. Each step is idempotent (compacting or defragmenting twice changes nothing more).
 */
public final class EtcdSpaceRecoverPlan {

    public static final String RECORD_SIZES = "record-sizes";
    public static final String COMPACT = "compact";
    public static final String DEFRAGMENT = "defragment-";
    public static final String CHECK_QUOTA = "check-quota";
    public static final String DISARM_ALARM = "disarm-alarm";
    public static final String VERIFY_WRITE = "verify-write";
    public static final String VERIFY_SHRUNK = "verify-shrunk";

    /** etcd's default {@code --quota-backend-bytes}. */
    public static final long ETCD_DEFAULT_QUOTA = 2L * 1024 * 1024 * 1024;
    static final String NOSPACE = "NOSPACE";

    private static final Pattern ORDER = Pattern.compile("order: ([^;]+);");
    private static final Pattern SIZE = Pattern.compile("([^\\s=;]+)=(\\d+)");
    private static final Pattern SIZES = Pattern.compile("sizes: ([^;]+);");

    /**
     * Knobs of the plan.
     *
     * @param pollInterval   how often a member is asked again while it comes back from a defragmentation
     * @param keepRevisions  revisions of history kept by the compaction (watchers can still resume within them)
     * @param defragPause    the pause before each defragmentation after the first (the cluster settles between)
     * @param maxLivePercent the share (%) of the quota the defragmented database may fill; above it the live data
     *                       itself is too large for the quota and the plan stops
     * @param quotaBytes     the cluster's quota if configured; else read from a member, else etcd's default
     * @param defragTimeout  the limit of one member's defragmentation
     */
    public record Settings(Duration pollInterval, long keepRevisions, Duration defragPause, int maxLivePercent,
            Optional<Long> quotaBytes, Duration defragTimeout) {
    }

    private final ClusterSpec cluster;
    private final String planId;
    private final EtcdAdmin etcd;
    private final Settings settings;
    private final Sleeper sleeper;
    private volatile List<String> order;
    private volatile Map<String, Long> sizesBefore;

    /** @param stored the plan's stored steps: a resumed plan reads the recorded order and sizes from them */
    public EtcdSpaceRecoverPlan(ClusterSpec cluster, String planId, EtcdAdmin etcd, Settings settings, Sleeper sleeper,
            List<PlanStep> stored) {
        this.cluster = cluster;
        this.planId = planId;
        this.etcd = etcd;
        this.settings = settings;
        this.sleeper = sleeper;
        stored.stream()
                .filter(s -> RECORD_SIZES.equals(s.name()) && s.state() == StepState.SUCCEEDED && s.output() != null)
                .findFirst()
                .ifPresent(s -> readRecord(s.output()));
    }

    /** An outline carries the steps' texts only: these settings are never read. */
    private static final Settings OUTLINE_ONLY = new Settings(Duration.ofSeconds(1), 0, Duration.ZERO, 100,
            Optional.empty(), Duration.ZERO);

    /** The steps as stored when the plan is made (nothing done yet). */
    public static List<PlanStep> outline(ClusterSpec cluster) {
        return Step.outline(new EtcdSpaceRecoverPlan(cluster, null, null, OUTLINE_ONLY, null, List.of()).declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        int n = cluster.members().size();
        Duration defragLimit = settings.defragTimeout().plus(settings.defragPause()).plusSeconds(10);
        List<Step> steps = new ArrayList<>();
        steps.add(step(RECORD_SIZES, "record every member's database size; defragment order: the followers, then the "
                + "leader").timeout(Duration.ofSeconds(20)).run(this::recordSizes));
        steps.add(step(COMPACT, "compact the history before the current revision, keeping the configured window of "
                + "revisions").timeout(Duration.ofSeconds(60)).check(this::nothingToCompact).run(this::compact));
        for (int i = 0; i < n; i++) {
            int position = i;
            steps.add(step(DEFRAGMENT + (i + 1), defragmentText(i + 1, n)).timeout(defragLimit)
                    .run(() -> defragment(position)).verify(() -> verifyAnswers(position)));
        }
        steps.add(step(CHECK_QUOTA, "the defragmented databases fit the quota (else only a larger "
                + "--quota-backend-bytes helps)").timeout(Duration.ofSeconds(20)).run(this::checkQuota));
        steps.add(step(DISARM_ALARM, "disarm the NOSPACE alarm").timeout(Duration.ofSeconds(20))
                .check(this::noAlarm).run(this::disarm).verify(this::verifyDisarmed));
        steps.add(step(VERIFY_WRITE, "a key can be written (and is deleted again)").timeout(Duration.ofSeconds(20))
                .run(this::verifyWrite));
        steps.add(step(VERIFY_SHRUNK, "every member's database is smaller than recorded and below the quota")
                .timeout(Duration.ofSeconds(20)).run(this::verifyShrunk));
        return steps;
    }

    private static String defragmentText(int i, int n) {
        return i == n
                ? "pause, then defragment the leader (member " + i + " of " + n + ", the last)"
                : (i == 1 ? "" : "pause, then ") + "defragment follower " + i + " of " + n + " (one member at a time)";
    }

    // record-sizes

    private String recordSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        List<String> followers = new ArrayList<>();
        String leader = null;
        for (MemberSpec member : cluster.members()) {
            EtcdAdmin.MemberSpace space = etcd.space(member.clientUrl()).orElseThrow(() -> new IllegalStateException(
                    member.name() + " does not answer: every member must be up to defragment them one by one"));
            sizes.put(member.name(), space.dbSize());
            if (space.leader() && leader == null) {
                leader = member.name();
            } else {
                followers.add(member.name());
            }
        }
        List<String> ordered = new ArrayList<>(followers);
        if (leader != null) {
            ordered.add(leader);
        }
        String text = record(ordered, sizes, quota());
        readRecord(text);
        return text + (leader == null ? " (no member said it leads: inventory order)" : " (the leader " + leader
                + " last)");
    }

    /** The first step's output: what a resumed plan reads back. */
    public static String record(List<String> order, Map<String, Long> sizes, long quota) {
        return "order: " + String.join(", ", order) + "; sizes: " + sizes.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + "; quota " + quota
                + " bytes";
    }

    private void readRecord(String output) {
        Matcher o = ORDER.matcher(output);
        Matcher s = SIZES.matcher(output);
        if (!o.find() || !s.find()) {
            return;
        }
        List<String> names = List.of(o.group(1).split(",\\s*"));
        Map<String, Long> sizes = new LinkedHashMap<>();
        Matcher each = SIZE.matcher(s.group(1));
        while (each.find()) {
            sizes.put(each.group(1), Long.parseLong(each.group(2)));
        }
        this.order = names;
        this.sizesBefore = sizes;
    }

    private long quota() {
        if (settings.quotaBytes().isPresent()) {
            return settings.quotaBytes().get();
        }
        for (MemberSpec member : cluster.members()) {
            Optional<Long> read = etcd.quotaBytes(member.clientUrl());
            if (read.isPresent()) {
                return read.get();
            }
        }
        return ETCD_DEFAULT_QUOTA;
    }

    // compact

    private long compactTarget() {
        return etcd.keyspace(cluster).revision() - settings.keepRevisions();
    }

    private Optional<String> nothingToCompact() {
        long target = compactTarget();
        return target <= 1 ? StepSpec.notNeeded("fewer than " + (settings.keepRevisions() + 2)
                + " revisions: nothing to compact") : Optional.empty();
    }

    private String compact() {
        long target = compactTarget();
        try {
            etcd.compact(cluster, target);
            return "compacted the history before revision " + target + " (kept the last " + settings.keepRevisions()
                    + " revisions)";
        } catch (EtcdAdmin.EtcdAdminException e) {
            if (String.valueOf(e.getMessage()).contains("compacted")) {
                return "already compacted at or past revision " + target;
            }
            throw e;
        }
    }

    // defragment-i

    private MemberSpec memberAt(int position) {
        List<String> recorded = order;
        if (recorded == null || position >= recorded.size()) {
            throw new StepSpec.FatalStepException("the defragment order was not recorded by " + RECORD_SIZES
                    + ": cannot tell which member is next without risking two at once");
        }
        String name = recorded.get(position);
        return cluster.member(name).orElseThrow(() -> new StepSpec.FatalStepException(
                "member " + name + " of the recorded order is no longer in the inventory of " + cluster.id()));
    }

    private String defragment(int position) throws InterruptedException {
        MemberSpec member = memberAt(position);
        if (position > 0 && !settings.defragPause().isZero()) {
            sleeper.sleep(settings.defragPause());
        }
        long before = etcd.space(member.clientUrl()).map(EtcdAdmin.MemberSpace::dbSize).orElse(-1L);
        etcd.defragment(member.clientUrl());
        long after = etcd.space(member.clientUrl()).map(EtcdAdmin.MemberSpace::dbSize).orElse(-1L);
        return "defragmented " + member.name() + ": " + mib(before) + " -> " + mib(after);
    }

    /** The member is back: it answers its status again (a defragmentation blocks it while it runs). */
    private void verifyAnswers(int position) throws Exception {
        MemberSpec member = memberAt(position);
        new Poll(sleeper).until(() -> etcd.space(member.clientUrl()).isPresent() ? Poll.done(true)
                        : Poll.<Boolean>notYet("no answer"), settings.defragTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException(member.name()
                        + " does not answer after its defragmentation"));
    }

    // check-quota

    private String checkQuota() {
        long quota = quota();
        List<String> sizes = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            long size = etcd.space(member.clientUrl()).orElseThrow(() -> new IllegalStateException(
                    member.name() + " does not answer")).dbSize();
            String text = member.name() + " " + mib(size) + " (" + size * 100 / quota + " %)";
            sizes.add(text);
            if (size * 100 > quota * (long) settings.maxLivePercent()) {
                over.add(text);
            }
        }
        if (!over.isEmpty()) {
            throw new StepSpec.FatalStepException("the live data itself exceeds the quota: after compaction and "
                    + "defragmentation " + String.join(", ", over) + " of the " + mib(quota) + " quota (limit "
                    + settings.maxLivePercent() + " %): only a larger quota helps: raise --quota-backend-bytes on "
                    + "every member (etcd suggests at most 8 GiB); the NOSPACE alarm stays raised, no key was lost "
                    + "and nothing is restored");
        }
        return "every database fits the " + mib(quota) + " quota: " + String.join(", ", sizes);
    }

    // disarm-alarm

    private List<EtcdAdmin.Alarm> noSpaceAlarms() {
        return etcd.alarms(cluster).stream().filter(a -> NOSPACE.equals(a.type())).toList();
    }

    private Optional<String> noAlarm() {
        return noSpaceAlarms().isEmpty() ? StepSpec.notNeeded("no NOSPACE alarm is raised") : Optional.empty();
    }

    private String disarm() {
        List<EtcdAdmin.Alarm> alarms = noSpaceAlarms();
        for (EtcdAdmin.Alarm alarm : alarms) {
            etcd.disarm(cluster, alarm);
        }
        return "disarmed NOSPACE on " + alarms.stream().map(a -> memberName(a.memberId()))
                .collect(Collectors.joining(", "));
    }

    private String memberName(long memberId) {
        try {
            return etcd.members(cluster).stream().filter(m -> m.id() == memberId).map(EtcdMember::name)
                    .filter(n -> !n.isBlank()).findFirst().orElse(Long.toHexString(memberId));
        } catch (RuntimeException e) {
            return Long.toHexString(memberId);
        }
    }

    private void verifyDisarmed() {
        if (!noSpaceAlarms().isEmpty()) {
            throw new IllegalStateException("NOSPACE is still raised");
        }
    }

    // verify-write

    private String verifyWrite() {
        String key = "/cpr/space-recover/" + planId;
        etcd.putAndDelete(cluster, key);
        return "wrote and deleted " + key + ": the cluster takes writes again";
    }

    // verify-shrunk

    private String verifyShrunk() {
        long quota = quota();
        Map<String, Long> before = sizesBefore == null ? Map.of() : sizesBefore;
        List<String> lines = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            long now = etcd.space(member.clientUrl()).orElseThrow(() -> new IllegalStateException(
                    member.name() + " does not answer")).dbSize();
            Long was = before.get(member.name());
            if (now >= quota || (was != null && now >= was)) {
                throw new IllegalStateException(member.name() + "'s database did not shrink: " + mib(now)
                        + (was == null ? "" : ", recorded " + mib(was)) + ", quota " + mib(quota));
            }
            lines.add(member.name() + " " + (was == null ? "" : mib(was) + " -> ") + mib(now));
        }
        return "every database shrank: " + String.join(", ", lines) + " (quota " + mib(quota) + ")";
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
