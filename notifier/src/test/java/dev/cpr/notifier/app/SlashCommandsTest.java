package dev.cpr.notifier.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlashCommandsTest {

    @Test
    void statusTakesAnOptionalClusterAndNeedsNoApprover() {
        assertThat(SlashCommands.parse("status")).isEqualTo(new SlashCommands.Parsed("status", null, null, null));
        SlashCommands.Parsed one = SlashCommands.parse("  STATUS   sandbox ");
        assertThat(one).isEqualTo(new SlashCommands.Parsed("status", "sandbox", null, null));
        assertThat(one.needsApprover()).isFalse();
    }

    @Test
    void backupAndRecoverNeedTheirArgumentsAndAnApprover() {
        SlashCommands.Parsed backup = SlashCommands.parse("backup sandbox");
        SlashCommands.Parsed recover = SlashCommands.parse("recover sandbox etcd-quorum-restore");

        assertThat(backup.needsApprover()).isTrue();
        assertThat(recover).isEqualTo(new SlashCommands.Parsed("recover", "sandbox", "etcd-quorum-restore", null));
        assertThat(recover.needsApprover()).isTrue();
        assertThat(SlashCommands.parse("backup").error()).contains("exactly one cluster");
        assertThat(SlashCommands.parse("recover sandbox").error()).contains("a cluster, a plan");
        assertThat(SlashCommands.parse("recover sandbox etcd-member-replace etcd-2").member()).isEqualTo("etcd-2");
    }

    @Test
    void aPointInTimeRestoreTakesItsTargetAsARevisionOrATime() {
        SlashCommands.Parsed byRevision = SlashCommands.parse("recover sandbox etcd-point-in-time-restore 41977");
        SlashCommands.Parsed byTime = SlashCommands.parse("recover sandbox etcd-point-in-time-restore 2026-12-03T14:05:00Z");

        assertThat(byRevision.needsApprover()).isTrue();
        assertThat(byRevision.member()).isNull();
        assertThat(SlashCommands.recoverRequest(byRevision).toString())
                .isEqualTo("{\"cluster\":\"sandbox\",\"plan\":\"etcd-point-in-time-restore\",\"targetRevision\":41977}");
        assertThat(SlashCommands.recoverRequest(byTime).path("targetTime").asText()).isEqualTo("2026-12-03T14:05:00Z");
        assertThat(SlashCommands.recoverRequest(byTime).has("targetRevision")).isFalse();
        assertThat(SlashCommands.parse("recover sandbox etcd-point-in-time-restore").error())
                .contains("needs the point to go back to");
    }

    @Test
    void unknownOrEmptyCommandsAreErrorsThatNeedNoApprover() {
        assertThat(SlashCommands.parse("reboot sandbox").error()).isEqualTo("unknown command `reboot`");
        assertThat(SlashCommands.parse("").error()).isEqualTo("no command given");
        assertThat(SlashCommands.parse("reboot sandbox").needsApprover()).isFalse();
    }
}
