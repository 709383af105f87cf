package dev.cpr.restore.domain.etcd;

import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The member-replace steps reused inside a bigger plan (after a revive, after a survivor rebuild): the chosen
 * steps of {@link EtcdMemberReplacePlan} for one member, named {@code <member>/<step>} so one plan can replace
 * several members one after the other and a resumed plan still finds each step by its name.
 */
final class MemberJoinSteps {

    static final String SEPARATOR = "/";

    private MemberJoinSteps() {
    }

    /** The outline rows of the member's replace, the chosen ones, renamed, indexed from {@code from}. */
    static List<PlanStep> outline(String member, Set<String> chosen, int from) {
        List<PlanStep> rows = new ArrayList<>();
        for (PlanStep row : EtcdMemberReplacePlan.outline(member)) {
            if (chosen.contains(row.name())) {
                rows.add(PlanStep.pending(from + rows.size(), member + SEPARATOR + row.name(), row.description(),
                        row.destructive()));
            }
        }
        return rows;
    }

    /** The executable steps of the member's replace, the chosen ones, renamed like {@link #outline}. */
    static List<StepSpec> steps(EtcdMemberReplacePlan replace, String member, Set<String> chosen) {
        return replace.steps().stream().filter(s -> chosen.contains(s.name()))
                .map(s -> new StepSpec(member + SEPARATOR + s.name(), s.description(), s.destructive(), s.timeout(),
                        s.retry(), s.check(), s.action(), s.verify()))
                .toList();
    }

    /** The members a stored plan joins, in order, from its step names. */
    static List<String> members(List<PlanStep> steps) {
        return steps.stream().map(PlanStep::name).filter(n -> n.contains(SEPARATOR))
                .map(n -> n.substring(0, n.indexOf(SEPARATOR))).distinct().toList();
    }
}
