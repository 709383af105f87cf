package dev.cpr.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void aNulByteIsNamedAsTheControlCharacterItIs() {
        assertThat(Parameters.controlCharacter("sand\u0000box")).hasValue("the control character U+0000");
        assertThat(Parameters.controlCharacter("sandbox")).isEmpty();
    }

    @Test
    void aRefusedValueIsEchoedWithItsControlCharactersEscaped() {
        assertThatThrownBy(() -> Parameters.clusterId("cluster", "a\u0000b"))
                .isInstanceOf(ProblemException.class)
                .hasMessage("cluster must be a cluster id (lower-case letters, digits and '-', at most 63), was 'a\\u0000b'");
    }

    @Test
    void blankFiltersMeanAnyAndValidOnesPassThrough() {
        assertThat(Parameters.clusterId("cluster", " ")).isEmpty();
        assertThat(Parameters.clusterId("cluster", null)).isEmpty();
        assertThat(Parameters.clusterId("cluster", "pks-1")).hasValue("pks-1");
        assertThat(Parameters.optionalUuid("planId", "")).isEmpty();
    }

    @Test
    void aMalformedUuidNamesTheParameter() {
        assertThatThrownBy(() -> Parameters.uuid("id", "12"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).title()).isEqualTo("Bad request parameter 'id'"))
                .hasMessage("id must be a UUID, was '12'");
    }
}
