package dev.cpr.restore.domain.bosh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An in-memory BOSH director for the domain tests: instances with a VM or none, an agent that answers or not, a
 * scan that turns those into problems as the director does, and {@code recreate_vm} that gives the instance a new
 * VM and then calls {@link #onRecreate} (the test decides what etcd does on the new VM).
 */
final class FakeBoshDirector implements BoshDirector {

    static final List<String> RESOLUTIONS = List.of("ignore", "recreate_vm_without_wait", "recreate_vm",
            "delete_vm_reference");

    private final Map<String, String> vms = new LinkedHashMap<>();
    private final Map<String, Boolean> agents = new LinkedHashMap<>();
    private final List<Problem> open = new ArrayList<>();
    /** Problems the next scan finds besides missing VMs and unresponsive agents (e.g. a missing disk). */
    final List<Problem> extraProblems = new ArrayList<>();
    /** Resolutions applied, as "id=resolution". */
    final List<String> resolved = new ArrayList<>();
    /** What happens on the new VM after a recreate; by default nothing (etcd stays as it was). */
    Consumer<String> onRecreate = instance -> { };
    /** When set, a recreate task ends in error with this text after the VM was made (or not: see vmAfterFailure). */
    String recreateError;
    boolean vmAfterFailure = true;
    int scans;
    /** Run once, right after the next scan (a VM lost just after the director was asked). */
    Runnable afterNextScan;
    private int nextVm = 1;
    private int nextProblem = 1;

    FakeBoshDirector(String... instances) {
        for (String instance : instances) {
            vms.put(instance, "vm-" + nextVm++);
            agents.put(instance, true);
        }
    }

    void deleteVm(String instance) {
        vms.put(instance, null);
    }

    void agentUnresponsive(String instance) {
        agents.put(instance, false);
    }

    @Override
    public String scan(String deployment) {
        scans++;
        open.clear();
        vms.forEach((instance, vm) -> {
            if (vm == null) {
                open.add(new Problem(nextProblem++, Problem.MISSING_VM, "VM for '" + instance + " (0)' missing.",
                        RESOLUTIONS));
            } else if (!agents.get(instance)) {
                open.add(new Problem(nextProblem++, Problem.UNRESPONSIVE_AGENT, "VM for '" + instance
                        + " (0)' with cloud ID '" + vm + "' is not responding.", RESOLUTIONS));
            }
        });
        open.addAll(extraProblems);
        if (afterNextScan != null) {
            Runnable once = afterNextScan;
            afterNextScan = null;
            once.run();
        }
        return "scan complete";
    }

    @Override
    public List<Problem> problems(String deployment) {
        return List.copyOf(open);
    }

    @Override
    public String resolve(String deployment, Map<Integer, String> resolutions) {
        List<String> errors = new ArrayList<>();
        resolutions.forEach((id, resolution) -> {
            Problem problem = open.stream().filter(p -> p.id() == id).findFirst().orElseThrow();
            resolved.add(id + "=" + resolution);
            String instance = vms.keySet().stream().filter(problem::concerns).findFirst().orElseThrow();
            if (recreateError != null) {
                if (vmAfterFailure) {
                    vms.put(instance, "vm-" + nextVm++);
                    agents.put(instance, true);
                }
                errors.add("Error resolving problem '" + id + "': " + recreateError);
                return;
            }
            vms.put(instance, "vm-" + nextVm++);
            agents.put(instance, true);
            open.remove(problem);
            onRecreate.accept(instance);
        });
        if (!errors.isEmpty()) {
            throw new DirectorException("BOSH task 7 'apply resolutions' ended error: " + String.join("; ", errors));
        }
        return resolutions.size() + " resolved";
    }

    @Override
    public Optional<Instance> instance(String deployment, String instance) {
        if (!vms.containsKey(instance)) {
            return Optional.empty();
        }
        String vm = vms.get(instance);
        String jobState = vm == null ? null : agents.get(instance) ? "running" : Instance.UNRESPONSIVE_AGENT;
        return Optional.of(new Instance(instance, vm, jobState, "started", List.of()));
    }
}
