package dev.cpr.restore.domain.kubespray;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnsibleFailuresTest {

    @Test
    void ansiblesFailureReportsArePickedOutOfTheOutput() {
        List<String> output = List.of("TASK [x] ***", "fatal: [node1]: FAILED! => {", "    \"changed\": false,",
                "    \"msg\": \"boom\"", "}", "ok: [node2]", "ERROR! the playbook could not be found");

        assertThat(AnsibleFailures.in(output)).isEqualTo(
                "TASK [x] fatal: [node1]: FAILED! => { \"changed\": false, \"msg\": \"boom\" }\n"
                        + "ERROR! the playbook could not be found");
    }
}
