package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseSpaceTest {

    private static final long MIB = 1024L * 1024;
    private static final long TWO_GIB = 2L * 1024 * MIB;

    @Test
    void aMemberShowsItsDatabaseAgainstTheQuotaWithTheShareItTakes() {
        // given: 12.3 MiB in a 2 GiB quota, all of it in use
        long size = (long) (12.3 * MIB);
        // when / then
        assertThat(DatabaseSpace.describe(size, size, TWO_GIB)).isEqualTo("db 12.3 MiB of 2 GiB (0.6 %)");
    }

    @Test
    void freePagesADefragmentationWouldGiveBackAreSaid() {
        assertThat(DatabaseSpace.describe(60 * MIB, 14 * MIB, 64 * MIB))
                .isEqualTo("db 60 MiB of 64 MiB (93.8 %), 14 MiB in use");
    }

    @Test
    void withoutAKnownQuotaOnlyTheSizeIsShown() {
        assertThat(DatabaseSpace.describe(20 * 1024L, null, null)).isEqualTo("db 20 KiB");
    }

    @Test
    void aMemberThatDidNotAnswerItsStatusHasNoSize() {
        assertThat(DatabaseSpace.describe(null, null, TWO_GIB)).isEqualTo("-");
    }

    @Test
    void sizesUsePowersOf1024AsEtcdsQuotaDoes() {
        assertThat(Sizes.human(512L)).isEqualTo("512 B");
        assertThat(Sizes.human(1536L)).isEqualTo("1.5 KiB");
        assertThat(Sizes.human(TWO_GIB)).isEqualTo("2 GiB");
        assertThat(Sizes.human(8L * 1024 * 1024 * MIB)).isEqualTo("8 TiB");
        assertThat(Sizes.human(null)).isEqualTo("-");
    }
}
