package dev.cpr.restore.domain.bosh;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.ReplaceUnlessBack;
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
import java.util.stream.Collectors;

/**
 * {@code bosh-cloud-check} (seed 001): a master of a BOSH deployment lost its VM, its agent stopped answering, or its
 * etcd fails. What the operator of seed 001 did by hand ({@code bosh cck}, recreate, then stopping the healthy
 * masters until the member resynced), done the safe way:
 * <pre>
 *  scan      a cloud check scan of the deployment (POST scans, wait for the task)
 *  resolve   the target's problems: missing_vm / unresponsive_agent -> recreate_vm, wait for the task;
 *            no problem: not needed; any other problem type: FAILS at once (a person must look)
 *  await-vm  the target has a VM and its agent answers; a VM found missing meanwhile (lost after the scan) is
 *            scanned for again and recreated
 *  then, if etcd on the target is healthy again: the rest is skipped ("not needed: etcd on m healthy after
 *  recreate"); else the steps of {@link EtcdMemberReplacePlan} for the target, through BOSH node access
 *  (the director stops and starts the instance, its persistent disk is wiped) instead of stopping healthy masters.
 * </pre>
 * A recreate keeps the persistent disk, so a member whose WAL is gone fails again on the new VM: the director's
 * {@code recreate_vm} task then ends in error ("is not running after update"). That error only means the job is
 * failing, which the member replace is for; so when the VM is back with a responsive agent the resolve step
 * succeeds and says so, with the director's text. Otherwise a task error fails the step with that text.
 * <p>
 * The choice "healthy after recreate, or replace" is taken once, at the first member-replace step, and is
 * recovered from the stored steps after a restart (once a member-replace step has begun, the replace goes on even
 * though etcd on the target becomes healthy half-way). Every check is idempotent.
 */
public final class BoshCloudCheckPlan {

    public static final String SCAN = "scan";
    public static final String RESOLVE = "resolve";
    public static final String AWAIT_VM = "await-vm";

    private static final String HEALTHY_AFTER_RECREATE = " healthy after recreate";
    private static final Duration RESCAN_EVERY = Duration.ofSeconds(10);
    /** scan, resolve and await-vm come first. */
    private static final int FIRST_REPLACE_STEP = 3;

    /**
     * @param pollInterval how often await-vm asks the director again
     * @param vmTimeout    how long the VM may take to appear with a responsive agent
     */
    public record Settings(Duration pollInterval, Duration vmTimeout) {
    }

    /** An outline carries the steps' texts only: these settings are never read. */
    private static final Settings OUTLINE_ONLY = new Settings(Duration.ofSeconds(1), Duration.ZERO);

    private final MemberSpec target;
    private final String deployment;
    private final String instance;
    private final BoshDirector director;
    private final EtcdMemberReplacePlan replace;
    private final Settings settings;
    private final Sleeper sleeper;
    /** The member replace runs only if etcd on the target is not healthy after the recreate. */
    private final ReplaceUnlessBack gate;

    /**
     * @param replace the member replace of the same target and plan id, over BOSH node access
     * @param stored  the plan's stored steps (to recover the replace decision after a restart); empty for a new plan
     */
    public BoshCloudCheckPlan(ClusterSpec cluster, MemberSpec target, BoshDirector director, EtcdAdmin etcd,
            EtcdMemberReplacePlan replace, Settings settings, Sleeper sleeper, List<PlanStep> stored) {
        this.target = target;
        this.deployment = deploymentOf(cluster, target);
        this.instance = instanceOf(target);
        this.director = director;
        this.replace = replace;
        this.settings = settings;
        this.sleeper = sleeper;
        this.gate = new ReplaceUnlessBack(target.name(), HEALTHY_AFTER_RECREATE, FIRST_REPLACE_STEP, stored,
                () -> ReplaceUnlessBack.listedAndAnswering(cluster, target, etcd));
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private BoshCloudCheckPlan(String member, String instance) {
        this.target = new MemberSpec(member, null, null, null, null);
        this.deployment = null;
        this.instance = instance;
        this.director = null;
        this.replace = EtcdMemberReplacePlan.outlineOnly(member);
        this.settings = OUTLINE_ONLY;
        this.sleeper = null;
        this.gate = new ReplaceUnlessBack(member, HEALTHY_AFTER_RECREATE, FIRST_REPLACE_STEP, List.of(), Optional::empty);
    }

    /** {@code master/<uuid>}: the BOSH instance the member runs on ({@code access.instance}). */
    public static String instanceOf(MemberSpec member) {
        NodeAccess access = member.access();
        if (access == null || access.type() != NodeAccess.Type.BOSH || access.instance() == null
                || access.instance().isBlank()) {
            throw new IllegalArgumentException("member " + member.name() + " has no BOSH instance: give it access "
                    + "{type: bosh, deployment, instance: <group>/<uuid>} in the inventory");
        }
        return access.instance();
    }

    /** The member's deployment ({@code access.deployment}), else the cluster's ({@code bosh.deployment}). */
    public static String deploymentOf(ClusterSpec cluster, MemberSpec member) {
        NodeAccess access = member.access();
        if (access != null && access.deployment() != null && !access.deployment().isBlank()) {
            return access.deployment();
        }
        if (cluster.bosh() != null && cluster.bosh().deployment() != null) {
            return cluster.bosh().deployment();
        }
        throw new IllegalArgumentException("member " + member.name() + " of " + cluster.id()
                + " names no BOSH deployment (access.deployment or bosh.deployment)");
    }

    /** The steps as stored when the plan is made: the cloud check, then the member replace of the same member. */
    public static List<PlanStep> outline(String member, String instance) {
        return Step.outline(new BoshCloudCheckPlan(member, instance).declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        String member = target.name();
        List<Step> steps = new ArrayList<>();
        steps.add(step(SCAN, "cloud check scan of the deployment (bosh cck)").timeout(Duration.ofMinutes(10))
                .run(this::scan));
        steps.add(step(RESOLVE, "recreate the VM of " + instance + " (" + member + ") if the scan found it missing or "
                + "its agent unresponsive").timeout(Duration.ofMinutes(30)).check(this::nothingToResolve)
                .run(this::resolve));
        steps.add(step(AWAIT_VM, instance + " has a VM and its agent answers")
                .timeout(settings.vmTimeout().plusSeconds(30)).check(this::vmReady).run(this::awaitVm));
        for (Step step : replace.declared()) {
            steps.add(step.reused(step.name(), step.description() + " (skipped if etcd on " + member
                    + " is healthy after the recreate)", check -> gate.gated(check)));
        }
        return steps;
    }

    // scan

    private String scan() {
        String result = director.scan(deployment);
        List<BoshDirector.Problem> problems = director.problems(deployment);
        List<BoshDirector.Problem> mine = problems.stream().filter(p -> p.concerns(instance)).toList();
        return "scan of " + deployment + ": " + result + "; " + problems.size() + " problem(s), "
                + (mine.isEmpty() ? "none with " + instance : mine.stream().map(BoshDirector.Problem::describe)
                        .collect(Collectors.joining("; ")));
    }

    // resolve

    private List<BoshDirector.Problem> targetProblems() {
        return director.problems(deployment).stream().filter(p -> p.concerns(instance)).toList();
    }

    private Optional<String> nothingToResolve() {
        List<BoshDirector.Problem> all = director.problems(deployment);
        if (all.stream().anyMatch(p -> p.concerns(instance))) {
            return Optional.empty();
        }
        return StepSpec.notNeeded("the scan found no problem with " + instance
                + (all.isEmpty() ? "" : " (" + all.size() + " problem(s) of other instances left alone)"));
    }

    private String resolve() {
        List<BoshDirector.Problem> mine = targetProblems();
        if (mine.isEmpty()) {
            return "no problem with " + instance + " is open any more";
        }
        List<BoshDirector.Problem> unknown = mine.stream().filter(p -> !p.fixedByRecreate()).toList();
        if (!unknown.isEmpty()) {
            throw new StepSpec.FatalStepException("the scan found a problem a VM recreate does not fix, a person must "
                    + "look: " + unknown.stream().map(BoshDirector.Problem::describe).collect(Collectors.joining("; ")));
        }
        Map<Integer, String> resolutions = new LinkedHashMap<>();
        for (BoshDirector.Problem p : mine) {
            if (!p.resolutions().contains(BoshDirector.Problem.RECREATE_VM)) {
                throw new StepSpec.FatalStepException("the director offers no " + BoshDirector.Problem.RECREATE_VM
                        + " for " + p.describe() + " (offers " + p.resolutions() + "): a person must look");
            }
            resolutions.put(p.id(), BoshDirector.Problem.RECREATE_VM);
        }
        String what = BoshDirector.Problem.RECREATE_VM + " for " + mine.stream()
                .map(p -> p.type() + " " + p.id()).collect(Collectors.joining(", "));
        try {
            return what + ": " + director.resolve(deployment, resolutions);
        } catch (BoshDirector.DirectorException e) {
            Optional<BoshDirector.Instance> now = director.instance(deployment, instance);
            if (now.isPresent() && now.get().agentResponsive()) {
                // the VM is back; the job on it fails (seed 001: the persistent disk kept the broken WAL)
                return what + ": the director's task failed (" + e.getMessage() + ") but " + now.get().describe()
                        + ": the VM is back, its etcd is looked at next";
            }
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    // await-vm

    private Optional<String> vmReady() {
        BoshDirector.Instance now = currentInstance();
        return now.agentResponsive() ? Optional.of(now.describe()) : Optional.empty();
    }

    /**
     * Waits for the VM; a VM found missing meanwhile is one lost after the scan, and is recreated here. That is the
     * usual order when a VM dies: its etcd member is seen down within a second, while the scan can only report the
     * VM once the director knows it is gone, so the scan may have found nothing. Scans are a director task: at most
     * one every {@link #RESCAN_EVERY}.
     */
    private String awaitVm() throws Exception {
        List<String> recreated = new ArrayList<>();
        long[] rescannedAt = {System.nanoTime() - RESCAN_EVERY.toNanos()};
        String ready = new Poll(sleeper).until(() -> {
            BoshDirector.Instance now = currentInstance();
            if (now.agentResponsive()) {
                return Poll.done(now.describe());
            }
            if (!now.hasVm() && System.nanoTime() - rescannedAt[0] >= RESCAN_EVERY.toNanos()) {
                rescannedAt[0] = System.nanoTime();
                director.scan(deployment);
                recreated.add(resolve());
            }
            return Poll.<String>notYet(now.describe());
        }, settings.vmTimeout(), settings.pollInterval()).orElseThrow(last -> new IllegalStateException(instance
                + " has no VM with a responsive agent after " + settings.vmTimeout().toSeconds() + " s: " + last));
        return recreated.isEmpty() ? ready
                : ready + " (its VM went missing after the scan: " + String.join("; ", recreated) + ")";
    }

    private BoshDirector.Instance currentInstance() {
        return director.instance(deployment, instance).orElseThrow(() -> new StepSpec.FatalStepException(
                "deployment " + deployment + " has no instance " + instance + " (member " + target.name()
                        + "): the inventory does not match the deployment, a person must look"));
    }
}
