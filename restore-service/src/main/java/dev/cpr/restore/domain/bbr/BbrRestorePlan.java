package dev.cpr.restore.domain.bbr;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.bosh.bbr.BbrProcess;
import dev.cpr.bosh.bbr.BbrRun;
import dev.cpr.bosh.bbr.BbrTarget;
import dev.cpr.bosh.bbr.BbrVerification;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.ClusterHealth;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.MemberStatus;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code bbr-deployment-restore} (seed 000: a PKS cluster's etcd quorum is gone; restore every master from the last
 * bbr artifact) and {@code bbr-director-restore} (seed 003: the BOSH director is lost; restore it with bbr
 * director), from ONE verified artifact of backup-service's catalog:
 * <pre>
 *  verify-artifact  the artifact is looked up again (still verified?), its directory must lie inside the artifact
 *                   root, its metadata parse, every file in every tar match its sha256 and every expected instance
 *                   be present: otherwise the plan FAILS here, before any bbr command runs, so no lock is ever
 *                   taken on a bad artifact
 *  bbr-restore      (destructive) {@code bbr deployment|director ... restore --artifact-path DIR}; bbr locks, restores
 *                   and unlocks. On failure, timeout or kill: {@code restore-cleanup}, then the plan FAILS with both
 *                   outputs. A restore interrupted by a crash of restore-service is cleaned up before it runs again
 *  verify-restore   deployment: every etcd member healthy, one leader, the same revision on every member;
 *                   director: {@code /info} answers and the director lists the deployment with its instances
 * </pre>
 * The plan records the artifact's backup id only; the artifact itself is looked up when the plan runs.
 */
public final class BbrRestorePlan {

    public static final String VERIFY_ARTIFACT = "verify-artifact";
    public static final String BBR_RESTORE = "bbr-restore";
    public static final String VERIFY_RESTORE = "verify-restore";

    private static final int MAX_OUTPUT = 3000;

    /** Two attempts: every failure of the restore is fatal, so the second is only ever a resume after a crash. */
    private static final RetryPolicy RESUMABLE = new RetryPolicy(2, RetryPolicy.DEFAULT.backoff());

    /**
     * @param artifactRoot         artifacts must lie inside it (backup-service's {@code cpr.backup.bbr.artifact-path})
     * @param artifactCheckTimeout hashing every file of every tar
     * @param restoreTimeout       {@code bbr ... restore}; past it bbr's process tree is killed
     * @param cleanupTimeout       {@code bbr ... restore-cleanup}
     * @param verifyTimeout        how long verify-restore waits for the restored cluster or director
     */
    public record Settings(Path artifactRoot, Duration artifactCheckTimeout, Duration restoreTimeout,
            Duration cleanupTimeout, Duration verifyTimeout, Duration pollInterval) {
    }

    /** The ports the plan works through. */
    public record Ports(BbrArtifactCatalog catalog, BbrArtifactVerifier verifier, BbrProcess bbr,
            BbrRestoreJournal journal, EtcdAdmin etcd, BoshDirectorView director) {
    }

    /** An outline carries the steps' texts only: these settings are never read. */
    private static final Settings OUTLINE_ONLY = new Settings(null, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO);

    private final String planName;
    private final ClusterSpec cluster;
    private final String planId;
    private final String artifactId;
    private final Ports ports;
    private final Settings settings;
    private final Sleeper sleeper;
    private final Consumer<String> onLine;
    /** The artifact this instance verified (a resumed plan verifies again before it restores). */
    private final AtomicReference<String> verifiedHere = new AtomicReference<>();

    /**
     * @param artifactId the backup id the plan records (its {@code targetMember})
     * @param onLine     told every bbr output line (log lines with the plan's tag)
     */
    public BbrRestorePlan(String planName, ClusterSpec cluster, String planId, String artifactId, Ports ports,
            Settings settings, Sleeper sleeper, Consumer<String> onLine) {
        kindOf(planName);
        this.planName = planName;
        this.cluster = Objects.requireNonNull(cluster);
        this.planId = Objects.requireNonNull(planId);
        this.artifactId = artifactId;
        this.ports = ports;
        this.settings = settings;
        this.sleeper = sleeper;
        this.onLine = onLine == null ? line -> { } : onLine;
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private BbrRestorePlan(String planName) {
        kindOf(planName);
        this.planName = planName;
        this.cluster = null;
        this.planId = null;
        this.artifactId = null;
        this.ports = null;
        this.settings = OUTLINE_ONLY;
        this.sleeper = null;
        this.onLine = line -> { };
    }

    /** The catalog kind a plan restores: {@code bbr-deployment} or {@code bbr-director}. */
    public static String kindOf(String planName) {
        return switch (planName) {
            case PlanNames.BBR_DEPLOYMENT_RESTORE -> BbrTarget.DEPLOYMENT;
            case PlanNames.BBR_DIRECTOR_RESTORE -> BbrTarget.DIRECTOR;
            default -> throw new IllegalArgumentException("'" + planName + "' is not a bbr restore plan ("
                    + PlanNames.BBR_DEPLOYMENT_RESTORE + ", " + PlanNames.BBR_DIRECTOR_RESTORE + ")");
        };
    }

    /** The steps as stored when the plan is proposed (nothing done yet). */
    public static List<PlanStep> outline(String planName, BbrArtifactRef artifact) {
        return Step.outline(new BbrRestorePlan(planName).declared(artifact));
    }

    public List<StepSpec> steps() {
        return Step.specs(declared(null));
    }

    /** @param artifact what the texts name; null when the artifact is looked up only as the plan runs */
    private List<Step> declared(BbrArtifactRef artifact) {
        boolean deployment = BbrTarget.DEPLOYMENT.equals(kind());
        String what = artifact == null ? "the artifact" : artifact.describe();
        String dir = artifact == null || artifact.location() == null ? "<artifact dir>" : artifact.location();
        // the restore step's limit covers a cleanup before (after a crash) and after (on failure) the restore itself,
        // so bbr's own timeout fires first and restore-cleanup still runs
        Duration restoreLimit = settings.restoreTimeout().plus(settings.cleanupTimeout().multipliedBy(2))
                .plus(settings.artifactCheckTimeout()).plusMinutes(1);
        return List.of(
                step(VERIFY_ARTIFACT, "check " + what + " before anything is locked: inside the artifact root, "
                        + "metadata parses, every file in every tar matches its sha256, every expected instance is "
                        + "present").timeout(settings.artifactCheckTimeout()).run(this::verifyArtifact),
                step(BBR_RESTORE, "bbr " + (deployment ? "deployment" : "director") + " ... restore --artifact-path "
                        + dir + " (bbr locks, restores and unlocks" + (deployment ? " every master's etcd" : " the director")
                        + "); restore-cleanup after a failure").destructive().timeout(restoreLimit).retry(RESUMABLE)
                        .check(this::restored).run(this::restore).verify(this::verifyRestored),
                step(VERIFY_RESTORE, deployment
                        ? "every etcd member healthy, one leader, the same revision on every member"
                        : "the director answers /info and lists the deployment with its instances")
                        .timeout(settings.verifyTimeout().plusSeconds(10)).run(this::verifyRestore));
    }

    private String kind() {
        return kindOf(planName);
    }

    private BbrTarget target() {
        try {
            return BbrTarget.DEPLOYMENT.equals(kind()) ? BbrTarget.deployment(cluster) : BbrTarget.director(cluster);
        } catch (RuntimeException e) {
            throw new StepSpec.FatalStepException("cannot run bbr for cluster " + cluster.id() + ": " + e.getMessage());
        }
    }

    // verify-artifact

    /**
     * The plan's artifact as the catalog has it now: still verified, of this plan's kind and cluster.
     *
     * @throws SnapshotCatalog.CatalogUnavailableException (retried) when backup-service cannot be asked
     */
    private BbrArtifactRef artifact() {
        if (artifactId == null || artifactId.isBlank()) {
            throw new StepSpec.FatalStepException("the plan records no bbr artifact (backup id) to restore from");
        }
        BbrArtifactRef ref = ports.catalog().verified(artifactId).orElseThrow(() -> new StepSpec.FatalStepException(
                "bbr artifact " + artifactId + " is unknown to backup-service or no longer verified: refused, no bbr "
                        + "command was run"));
        if (!kind().equals(ref.kind())) {
            throw new StepSpec.FatalStepException("backup " + ref.id() + " is a " + ref.kind() + " artifact, "
                    + planName + " restores " + kind() + " artifacts only: refused");
        }
        if (!cluster.id().equals(ref.clusterId())) {
            throw new StepSpec.FatalStepException("bbr artifact " + ref.id() + " belongs to cluster " + ref.clusterId()
                    + ", not " + cluster.id() + ": refused");
        }
        return ref;
    }

    /** The artifact's directory, refused unless it lies inside the artifact root (no symlink out of it either). */
    Path location(BbrArtifactRef ref) {
        if (ref.location() == null || ref.location().isBlank()) {
            throw new StepSpec.FatalStepException("bbr artifact " + ref.id() + " has no location in the catalog");
        }
        Path dir = Path.of(ref.location());
        if (!dir.isAbsolute()) {
            throw new StepSpec.FatalStepException("bbr artifact " + ref.id() + " location '" + ref.location()
                    + "' is not an absolute path: refused");
        }
        dir = dir.normalize();
        Path root = settings.artifactRoot().toAbsolutePath().normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new StepSpec.FatalStepException("bbr artifact " + ref.id() + " at " + dir + " is outside the "
                    + "artifact root " + root + " (cpr.restore.bbr.artifact-root): refused");
        }
        try {
            if (Files.exists(dir) && !dir.toRealPath().startsWith(root.toRealPath())) {
                throw new StepSpec.FatalStepException("bbr artifact " + ref.id() + " at " + dir + " leads outside the "
                        + "artifact root " + root + " through a symbolic link: refused");
            }
        } catch (IOException e) {
            throw new StepSpec.FatalStepException("cannot resolve bbr artifact " + ref.id() + " at " + dir + ": "
                    + e.getMessage());
        }
        return dir;
    }

    private String verifyArtifact() {
        BbrArtifactRef ref = artifact();
        return check(ref, location(ref), target());
    }

    private String check(BbrArtifactRef ref, Path dir, BbrTarget target) {
        Set<String> expected = new TreeSet<>(target.expectedInstances());
        if (BbrTarget.DIRECTOR.equals(target.kind())) {
            expected.add("bosh/0");
        }
        BbrVerification verification = ports.verifier().verify(dir, expected);
        if (!verification.verified()) {
            throw new StepSpec.FatalStepException(verification.detail() + ": refused before any bbr command ran "
                    + "(no lock was taken)");
        }
        verifiedHere.set(ref.id());
        return ref.describe() + ": " + verification.detail() + "; expected instances " + expected + " present";
    }

    // bbr-restore

    private Optional<String> restored() {
        return ports.journal().finishedDetail(planId);
    }

    private String restore() {
        BbrArtifactRef ref = artifact();
        Path dir = location(ref);
        BbrTarget target = target();
        List<String> out = new ArrayList<>();
        if (!ref.id().equals(verifiedHere.get())) {
            // a resumed plan: the artifact may have changed since verify-artifact ran in the earlier process
            out.add("artifact checked again: " + check(ref, dir, target));
        }
        if (ports.journal().wasBegun(planId)) {
            BbrRun cleanup = cleanup(target);
            if (!cleanup.succeeded()) {
                throw new StepSpec.FatalStepException("an earlier bbr restore of this plan was interrupted "
                        + "(restore-service stopped in the middle of it) and bbr " + target.describe()
                        + " restore-cleanup failed (" + cleanup.describe() + "): not restoring again\n"
                        + "--- restore-cleanup ---\n" + tail(cleanup.text()));
            }
            out.add("an earlier bbr restore of this plan was interrupted: restore-cleanup ran first ("
                    + cleanup.duration().toMillis() + " ms)");
        }
        ports.journal().begun(planId);
        BbrRun restore = ports.bbr().run(cluster.id(), target.restore(dir.toString()), target.env(),
                settings.restoreTimeout(), onLine);
        if (!restore.succeeded()) {
            BbrRun cleanup = cleanup(target);
            throw new StepSpec.FatalStepException("bbr " + target.describe() + " restore from " + ref.describe()
                    + " failed (" + restore.describe() + "); " + (cleanup.succeeded() ? "restore-cleanup ran"
                    : "restore-cleanup failed too (" + cleanup.describe() + "): locks or bbr-restore directories may "
                    + "be left on the instances") + "\n--- restore ---\n" + tail(restore.text())
                    + "\n--- restore-cleanup ---\n" + tail(cleanup.text()));
        }
        out.add("bbr " + target.describe() + " restored " + ref.describe() + " in " + restore.duration().toMillis()
                + " ms");
        String last = lastLine(restore.text());
        if (!last.isEmpty()) {
            out.add(last);
        }
        String detail = String.join("; ", out);
        ports.journal().finished(planId, detail);
        return detail;
    }

    /** {@code restore-cleanup}, even when the thread was interrupted (the step's limit passed): it must run. */
    private BbrRun cleanup(BbrTarget target) {
        boolean interrupted = Thread.interrupted();
        try {
            return ports.bbr().run(cluster.id(), target.command("restore-cleanup"), target.env(),
                    settings.cleanupTimeout(), onLine);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void verifyRestored() {
        if (restored().isEmpty()) {
            throw new IllegalStateException("bbr restore exited 0 but its finish was not recorded");
        }
    }

    // verify-restore

    private String verifyRestore() throws Exception {
        boolean deployment = BbrTarget.DEPLOYMENT.equals(kind());
        return new Poll(sleeper).until(() -> restoredLook(deployment), settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException((deployment ? "etcd of " + cluster.id()
                        : "the BOSH director") + " not restored after " + settings.verifyTimeout().toMillis() + " ms: "
                        + last));
    }

    /** One look at the restored etcd or director; what it cannot read yet is "not yet", with the reason. */
    private Poll.Look<String> restoredLook(boolean deployment) {
        try {
            Outcome outcome = deployment ? etcdRestored() : directorRestored();
            return outcome.problem() == null ? Poll.done(outcome.detail()) : Poll.notYet(outcome.problem());
        } catch (RuntimeException e) {
            return Poll.notYet(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    private record Outcome(String problem, String detail) {
        static Outcome wrong(String problem) {
            return new Outcome(problem, null);
        }
    }

    private Outcome etcdRestored() {
        Optional<String> problem = ClusterHealth.problem(cluster, ports.etcd().members(cluster), ports.etcd());
        if (problem.isPresent()) {
            return Outcome.wrong(problem.get());
        }
        Set<Long> revisions = new TreeSet<>();
        for (MemberSpec member : cluster.members()) {
            Optional<MemberStatus> status = ports.etcd().status(member.clientUrl());
            if (status.isEmpty()) {
                return Outcome.wrong(member.name() + " is not healthy");
            }
            revisions.add(status.get().revision());
        }
        if (revisions.size() != 1) {
            return Outcome.wrong("members are at different revisions " + revisions);
        }
        EtcdAdmin.Keyspace keyspace = ports.etcd().keyspace(cluster);
        return new Outcome(null, String.format("%d/%d members healthy, one leader, revision %d on every member; "
                + "%d keys", cluster.members().size(), cluster.members().size(), revisions.iterator().next(),
                keyspace.keyCount()));
    }

    private Outcome directorRestored() {
        String info = ports.director().info(cluster);
        String deployment = cluster.bosh().deployment();
        List<String> deployments = ports.director().deployments(cluster);
        if (!deployments.contains(deployment)) {
            return Outcome.wrong("the director (" + info + ") does not know deployment " + deployment + " (it lists "
                    + deployments + ")");
        }
        String group = cluster.bosh().instanceGroupOrDefault();
        List<String> instances = ports.director().instances(cluster);
        long masters = instances.stream().filter(i -> i.startsWith(group + "/")).count();
        if (masters < cluster.members().size()) {
            return Outcome.wrong("the director lists " + masters + " " + group + " instance(s) of " + deployment
                    + ", the inventory " + cluster.members().size());
        }
        return new Outcome(null, "the director (" + info + ") answers and lists " + deployment + " with "
                + instances.size() + " instance(s), " + masters + " of them " + group);
    }

    private static String tail(String text) {
        if (text == null || text.isEmpty()) {
            return "(no output)";
        }
        return text.length() <= MAX_OUTPUT ? text : "..." + text.substring(text.length() - MAX_OUTPUT);
    }

    private static String lastLine(String text) {
        List<String> lines = text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    }
}
