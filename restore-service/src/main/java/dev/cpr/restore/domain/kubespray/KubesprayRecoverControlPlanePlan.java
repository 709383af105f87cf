package dev.cpr.restore.domain.kubespray;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.LiveOutput;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code kubespray-recover-control-plane} (seed 004): the cluster was deployed by kubespray and some of its
 * control-plane nodes broke. Let kubespray's own {@code recover-control-plane.yml} recover them, the way its
 * runbook says:
 * <pre>
 *  write-inventory            the inventory with the healthy nodes first in etcd and kube_control_plane, the
 *                             broken ones in broken_etcd (with etcd_member_name) and broken_kube_control_plane
 *  run-recover-control-plane  (destructive) ansible-playbook -i INV recover-control-plane.yml
 *                             --limit etcd,kube_control_plane -e etcd_retries=10 [-e etcd_snapshot=PATH],
 *                             from the kubespray checkout, its output streamed line by line
 *  verify-cluster             every member listed and healthy, exactly one leader
 * </pre>
 * The inventory is written into cpr's own directory for the plan ({@code <work-dir>/<cluster>/<plan>/hosts.ini}, never
 * into the operator's inventory, where a later {@code -i inventory/<name>/} would pick it up), with
 * {@code group_vars} and {@code host_vars} linked from the cluster's kubespray inventory so its settings apply.
 * The playbook's full output goes to {@code recover-control-plane.log} there. Success is recorded in a marker file
 * beside it, so a resumed plan never runs the playbook twice; a failed run is not retried by itself (a person
 * reads its output first).
 */
public final class KubesprayRecoverControlPlanePlan {

    public static final String NAME = PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE;
    public static final String WRITE_INVENTORY = "write-inventory";
    public static final String RUN_RECOVER_CONTROL_PLANE = "run-recover-control-plane";
    public static final String VERIFY_CLUSTER = "verify-cluster";

    public static final List<String> LIMIT = List.of("etcd", "kube_control_plane");

    /** One attempt: a failed playbook run is for a person to read, not to repeat blindly. */
    static final RetryPolicy ONCE = new RetryPolicy(1, RetryPolicy.DEFAULT.backoff());

    /**
     * Knobs of the plan.
     *
     * @param kubesprayDir    the kubespray checkout, where ansible-playbook runs
     * @param inventoryDir    the cluster's kubespray inventory (relative to {@code kubesprayDir} unless absolute),
     *                        whose {@code group_vars} and {@code host_vars} are linked next to the written inventory;
     *                        null when there is none
     * @param workDir         cpr's files for a plan go to {@code <workDir>/<cluster>/<planId>/}
     * @param playbook        {@code recover-control-plane.yml}
     * @param etcdRetries     {@code -e etcd_retries=N}
     * @param extraArgs       appended to the command line, e.g. {@code --become}, {@code -e @extra-vars.yml}
     * @param playbookTimeout bound of the playbook run (its process tree is killed after it)
     * @param tailLines       how many last output lines go into the step's output
     */
    public record Settings(Path kubesprayDir, Path inventoryDir, Path workDir, String playbook, int etcdRetries,
            List<String> extraArgs, Duration playbookTimeout, Duration pollInterval, Duration verifyTimeout,
            int tailLines) {

        public Settings {
            extraArgs = List.copyOf(extraArgs);
        }
    }

    /** An outline carries the steps' texts only: these settings are never read. */
    private static final Settings OUTLINE_ONLY = new Settings(null, null, null, null, 0, List.of(), Duration.ZERO,
            Duration.ZERO, Duration.ZERO, 0);

    private final ClusterSpec cluster;
    private final List<String> broken;
    private final Optional<String> etcdSnapshot;
    private final String planId;
    private final PlaybookRunner runner;
    private final ClusterCheck health;
    private final Settings settings;
    private final Sleeper sleeper;
    private final Consumer<String> lines;

    /**
     * @param broken       the failed members (etcd member names)
     * @param etcdSnapshot a snapshot on the first etcd node to restore from when quorum is lost
     * @param health       whether the cluster is whole (normally {@link EtcdClusterCheck})
     * @param lines        gets every playbook output line as it comes (the step's live output)
     */
    public KubesprayRecoverControlPlanePlan(ClusterSpec cluster, List<String> broken, Optional<String> etcdSnapshot,
            String planId, PlaybookRunner runner, ClusterCheck health, Settings settings, Sleeper sleeper,
            Consumer<String> lines) {
        this.cluster = cluster;
        this.broken = List.copyOf(broken);
        this.etcdSnapshot = etcdSnapshot.filter(s -> !s.isBlank());
        this.planId = planId;
        this.runner = runner;
        this.health = health;
        this.settings = settings;
        this.sleeper = sleeper;
        this.lines = lines != null ? lines : l -> { };
        KubesprayInventoryWriter.nodes(cluster, broken);
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private KubesprayRecoverControlPlanePlan(List<String> broken) {
        this.cluster = null;
        this.broken = List.copyOf(broken);
        this.etcdSnapshot = Optional.empty();
        this.planId = null;
        this.runner = null;
        this.health = null;
        this.settings = OUTLINE_ONLY;
        this.sleeper = null;
        this.lines = l -> { };
    }

    /** How a plan's broken members are kept in its single {@code targetMember} column: comma-separated. */
    public static String target(List<String> broken) {
        return String.join(",", broken);
    }

    public static List<String> brokenMembers(String target) {
        if (target == null || target.isBlank()) {
            return List.of();
        }
        return Arrays.stream(target.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The steps as stored when the plan is made (nothing done yet). */
    public static List<PlanStep> outline(List<String> broken) {
        return Step.outline(new KubesprayRecoverControlPlanePlan(broken).declared());
    }

    /**
     * The steps as stored when the plan is made after quorum was lost: with a snapshot, it is first downloaded and
     * checked ({@code fetch-snapshot}, the quorum restore's step) and then handed to the playbook as
     * {@code -e etcd_snapshot=PATH}, which copies it to the first etcd node.
     */
    public static List<PlanStep> outline(List<String> broken, SnapshotRef snapshot) {
        if (snapshot == null) {
            return outline(broken);
        }
        List<PlanStep> steps = new ArrayList<>();
        steps.add(PlanStep.pending(0, EtcdQuorumRestorePlan.FETCH_SNAPSHOT, "download snapshot " + snapshot.id()
                + " from backup-service and check its sha256 against the catalog, for -e etcd_snapshot", false));
        for (PlanStep step : outline(broken)) {
            steps.add(PlanStep.pending(steps.size(), step.name(), step.description(), step.destructive()));
        }
        return steps;
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        return List.of(
                step(WRITE_INVENTORY, "write the kubespray inventory: healthy nodes first, " + String.join(", ", broken)
                        + " in broken_etcd and broken_kube_control_plane").timeout(Duration.ofSeconds(10))
                        .check(this::inventoryWritten).run(this::writeInventory).verify(this::verifyInventory),
                step(RUN_RECOVER_CONTROL_PLANE, "run kubespray's recover-control-plane.yml --limit etcd,kube_control_plane")
                        .destructive().timeout(settings.playbookTimeout().plusSeconds(30)).retry(ONCE)
                        .check(this::playbookDone).runShowingOutput(this::runPlaybook),
                step(VERIFY_CLUSTER, "every member listed and healthy, exactly one leader")
                        .timeout(settings.verifyTimeout().plusSeconds(5)).run(this::verifyCluster));
    }

    // write-inventory

    Path planDir() {
        return settings.workDir().resolve(cluster.id()).resolve(planId);
    }

    Path inventoryFile() {
        return planDir().resolve("hosts.ini");
    }

    Path logFile() {
        return planDir().resolve("recover-control-plane.log");
    }

    Path doneMarker() {
        return planDir().resolve("recover-control-plane.done");
    }

    /** group_vars and host_vars of the cluster's kubespray inventory, where they exist. */
    private Map<String, Path> varsDirs() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        if (settings.inventoryDir() == null) {
            return dirs;
        }
        Path inventoryDir = settings.inventoryDir().isAbsolute() ? settings.inventoryDir()
                : settings.kubesprayDir().resolve(settings.inventoryDir());
        for (String name : List.of("group_vars", "host_vars")) {
            Path dir = inventoryDir.resolve(name).toAbsolutePath().normalize();
            if (Files.isDirectory(dir)) {
                dirs.put(name, dir);
            }
        }
        return dirs;
    }

    private boolean varsLinked() throws IOException {
        for (Map.Entry<String, Path> e : varsDirs().entrySet()) {
            Path link = planDir().resolve(e.getKey());
            if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    String inventory() {
        List<String> comment = List.of(
                "written by cpr restore-service for plan " + planId + " on cluster " + cluster.id(),
                "broken members: " + String.join(", ", broken),
                "run: " + String.join(" ", playbookRun().argv("ansible-playbook")));
        return KubesprayInventoryWriter.render(KubesprayInventoryWriter.nodes(cluster, broken), comment);
    }

    private Optional<String> inventoryWritten() throws IOException {
        Path file = inventoryFile();
        if (Files.isRegularFile(file) && Files.readString(file).equals(inventory()) && varsLinked()) {
            return Optional.of("inventory " + file + " is already written");
        }
        return Optional.empty();
    }

    private String writeInventory() throws IOException {
        Path file = inventoryFile();
        KubesprayInventoryWriter.write(file, inventory());
        for (Map.Entry<String, Path> e : varsDirs().entrySet()) {
            Path link = planDir().resolve(e.getKey());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, e.getValue());
        }
        List<KubesprayNode> nodes = KubesprayInventoryWriter.nodes(cluster, broken);
        return "wrote " + file + ": etcd/kube_control_plane " + nodes.stream().map(KubesprayNode::hostname).toList()
                + ", broken " + nodes.stream().filter(KubesprayNode::broken)
                        .map(n -> n.hostname() + " (" + n.etcdMemberName() + ")").toList()
                + (varsDirs().isEmpty() ? "" : "; linked " + varsDirs().values());
    }

    private void verifyInventory() throws IOException {
        Path file = inventoryFile();
        List<String> problems = KubesprayInventoryCheck.problems(Files.readString(file));
        if (!problems.isEmpty()) {
            throw new StepSpec.FatalStepException("inventory " + file + " refused: " + String.join("; ", problems));
        }
        if (!Files.isRegularFile(file) || !Files.readString(file).equals(inventory()) || !varsLinked()) {
            throw new IllegalStateException("inventory " + file + " does not hold what was written");
        }
    }

    // run-recover-control-plane

    PlaybookRun playbookRun() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("etcd_retries", Integer.toString(settings.etcdRetries()));
        etcdSnapshot.ifPresent(path -> vars.put("etcd_snapshot", path));
        return new PlaybookRun(settings.kubesprayDir(), inventoryFile(), settings.playbook(), LIMIT, vars,
                settings.extraArgs(), settings.playbookTimeout());
    }

    private Optional<String> playbookDone() throws IOException {
        Path marker = doneMarker();
        if (Files.isRegularFile(marker)) {
            return Optional.of("recover-control-plane already ran: " + Files.readString(marker).strip());
        }
        return Optional.empty();
    }

    private String runPlaybook(LiveOutput live) throws IOException, InterruptedException {
        PlaybookRun run = playbookRun();
        // the file may have been edited since it was written (a person fixing a failed run, then resuming)
        List<String> problems = KubesprayInventoryCheck.problems(Files.readString(inventoryFile()));
        if (!problems.isEmpty()) {
            throw new StepSpec.FatalStepException("inventory " + inventoryFile() + " refused, ansible-playbook not run: "
                    + String.join("; ", problems));
        }
        Path log = logFile();
        Files.createDirectories(log.getParent());
        PlaybookRunner.Result result;
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            out.write("$ " + String.join(" ", run.argv("ansible-playbook")) + "\n");
            result = runner.run(run, new PlaybookOutput(out, log, lines, live, settings.tailLines()));
        }
        String tail = String.join("\n", lastLines(result.tail()));
        String failures = AnsibleFailures.in(result.tail());
        if (result.timedOut()) {
            throw new IllegalStateException("ansible-playbook did not finish within " + run.timeout().toSeconds()
                    + " s: its process tree was killed; log " + log + "; last lines:\n" + tail);
        }
        if (!result.ok()) {
            throw new IllegalStateException("ansible-playbook exited with " + result.exitCode() + " after "
                    + result.took().toSeconds() + " s; log " + log + (failures.isEmpty() ? "" : "; failed:\n" + failures)
                    + "\nlast lines:\n" + tail);
        }
        String summary = "exit 0 after " + result.took().toMillis() + " ms, " + result.lineCount() + " lines, log " + log;
        Files.writeString(doneMarker(), summary + "\n");
        return "`" + String.join(" ", result.command()) + "` " + summary + "; last lines:\n" + tail;
    }

    private List<String> lastLines(List<String> tail) {
        int n = Math.max(1, settings.tailLines());
        return tail.size() <= n ? tail : tail.subList(tail.size() - n, tail.size());
    }

    // verify-cluster

    private String verifyCluster() throws Exception {
        return new Poll(sleeper).until(this::clusterHealthy, settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("cluster not healthy after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    /** One look at the cluster; a check that fails is "not yet" (the members may still be starting). */
    private Poll.Look<String> clusterHealthy() throws InterruptedException {
        Optional<String> problem;
        try {
            problem = health.problem();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            problem = Optional.of(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
        if (problem.isPresent()) {
            return Poll.notYet(problem.get());
        }
        return Poll.done(cluster.members().size() + "/" + cluster.members().size()
                + " members listed and healthy, one leader");
    }
}
