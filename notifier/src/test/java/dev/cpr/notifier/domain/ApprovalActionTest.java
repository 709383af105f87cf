package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApprovalActionTest {

    @Test
    void aButtonValueRoundTripsPlanAndCluster() {
        String value = ApprovalAction.value("plan-1", "sandbox");

        ApprovalAction action = ApprovalAction.parse(ApprovalAction.REJECT, value);

        assertThat(action).isEqualTo(new ApprovalAction(false, "plan-1", "sandbox", null));
        assertThat(ApprovalAction.parse(ApprovalAction.APPROVE, ApprovalAction.value("plan-1", "sandbox", "sha256:ab")))
                .isEqualTo(new ApprovalAction(true, "plan-1", "sandbox", "sha256:ab"));
    }

    @Test
    void unknownActionsAndForeignValuesAreRefusedNamingWhy() {
        assertThatThrownBy(() -> ApprovalAction.parse("delete_everything", ApprovalAction.value("p", "c")))
                .hasMessageContaining("unknown action_id");
        assertThatThrownBy(() -> ApprovalAction.parse(ApprovalAction.APPROVE, "plan-1"))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ApprovalAction.parse(ApprovalAction.APPROVE, "{\"planId\":\"p\"}"))
                .hasMessageContaining("planId and clusterId");
    }
}
