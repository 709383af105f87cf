package dev.cpr.bosh.bbr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BbrExitCodeTest {

    @Test
    void zeroIsSuccess() {
        assertThat(BbrExitCode.of(0).success()).isTrue();
        assertThat(BbrExitCode.of(0).meanings()).isEmpty();
        assertThat(BbrExitCode.of(0).message()).isEqualTo("exit 0: success");
    }

    @Test
    void oneIsAGeneralError() {
        BbrExitCode code = BbrExitCode.of(1);
        assertThat(code.general()).isTrue();
        assertThat(code.lock()).isFalse();
        assertThat(code.message()).isEqualTo("exit 1: general error");
    }

    @Test
    void oredCodesAreDecodedIntoEveryMeaning() {
        BbrExitCode code = BbrExitCode.of(1 | 4 | 8 | 16);
        assertThat(code.general()).isTrue();
        assertThat(code.lock()).isTrue();
        assertThat(code.unlock()).isTrue();
        assertThat(code.cleanup()).isTrue();
        assertThat(code.message()).startsWith("exit 29: general error, lock error")
                .contains("unlock error", "cleanup error (run backup-cleanup)");
    }

    @Test
    void lockAndUnlockAloneAreNotGeneral() {
        assertThat(BbrExitCode.of(4).general()).isFalse();
        assertThat(BbrExitCode.of(12).meanings()).hasSize(2);
        assertThat(BbrExitCode.of(16).meanings()).containsExactly("cleanup error (run backup-cleanup)");
    }

    @Test
    void aCodeAbove128IsAKillBySignalNotBbrBits() {
        BbrExitCode code = BbrExitCode.of(137);
        assertThat(code.killedBySignal()).isTrue();
        assertThat(code.general()).isFalse();
        assertThat(code.message()).isEqualTo("exit 137: killed by signal 9");
    }

    @Test
    void unknownBitsAreReportedNotDropped() {
        assertThat(BbrExitCode.of(2).meanings()).containsExactly("unknown bits 2");
    }
}
