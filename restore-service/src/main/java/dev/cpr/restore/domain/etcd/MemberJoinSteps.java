package dev.cpr.restore.domain.etcd;

import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Step;
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

    /** The chosen steps of the member's replace, in its order, renamed {@code <member>/<step>}. */
    static List<Step> declared(EtcdMemberReplacePlan replace, String member, Set<String> chosen) {
        return replace.declared().stream().filter(s -> chosen.contains(s.name()))
                .map(s -> s.named(member + SEPARATOR + s.name())).toList();
    }

    /** The members a stored plan joins, in order, from its step names. */
    static List<String> members(List<PlanStep> steps) {
        return steps.stream().map(PlanStep::name).filter(n -> n.contains(SEPARATOR))
                .map(n -> n.substring(0, n.indexOf(SEPARATOR))).distinct().toList();
    }
}
