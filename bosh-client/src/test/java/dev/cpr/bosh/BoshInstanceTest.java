package dev.cpr.bosh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoshInstanceTest {

    private static final String NDJSON = """
            {"vm_cid":"vm-1","active":true,"vm_created_at":"2020-08-05T01:00:00Z","disk_cid":"disk-1","disk_cids":["disk-1"],"ips":["172.28.3.2"],"agent_id":"a1","job_name":"master","index":0,"job_state":"running","state":"started","vm_type":"medium","vitals":{"load":["0.1","0.2","0.3"]},"processes":[{"name":"etcd","state":"running","uptime":{"secs":12},"cpu":{"total":0.3},"mem":{"kb":1024,"percent":0.5}}],"az":"pks-az1","id":"9b8ad6e0-a438-4033-9767-46c586fb4771","bootstrap":true,"ignore":false,"stemcell":{"name":"ubuntu","version":"621"},"unknown_field":1}
            {"vm_cid":"vm-2","ips":["172.28.3.3"],"job_name":"master","index":1,"job_state":"failing","state":"started","processes":[{"name":"etcd","state":"unknown"},{"name":"kube-apiserver","state":"running"}],"az":"pks-az2","id":"8cdf6298","bootstrap":false}
            {"vm_cid":"vm-3","ips":["172.28.3.4"],"job_name":"master","index":2,"job_state":"running","state":"started","processes":[{"name":"etcd","state":"failing"}],"az":"pks-az3","id":"774bfafe","bootstrap":false}
            {"vm_cid":null,"ips":[],"job_name":"master","index":3,"job_state":null,"state":"started","vitals":null,"processes":[],"az":"pks-az1","id":"0ff","bootstrap":false}

            {"vm_cid":"vm-5","ips":["172.28.3.5"],"job_name":"worker","index":0,"job_state":"unresponsive agent","state":"started","processes":[],"az":"pks-az1","id":"3b2a","bootstrap":true}
            """;

    @Test
    void parsesEveryLineOfAVmStatsResultAndIgnoresUnknownFields() {
        List<BoshInstance> instances = BoshDirectorClient.parseInstances(NDJSON);

        assertThat(instances).hasSize(5);
        BoshInstance first = instances.get(0);
        assertThat(first.vmCid()).isEqualTo("vm-1");
        assertThat(first.ips()).containsExactly("172.28.3.2");
        assertThat(first.jobState()).isEqualTo("running");
        assertThat(first.processes()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("etcd");
            assertThat(p.uptime().secs()).isEqualTo(12);
            assertThat(p.mem().kb()).isEqualTo(1024);
        });
        assertThat(first.bootstrap()).isTrue();
        assertThat(first.label()).isEqualTo("master/9b8ad6e0-a438-4033-9767-46c586fb4771 (0)");
    }

    @Test
    void healthyMeansJobRunningAndEveryProcessRunning() {
        List<BoshInstance> instances = BoshDirectorClient.parseInstances(NDJSON);

        assertThat(instances.get(0).isHealthy()).isTrue();
        assertThat(instances.get(1).isHealthy()).isFalse();
        assertThat(instances.get(1).unhealthyProcesses()).extracting(BoshInstance.Process::name).containsExactly("etcd");
        assertThat(instances.get(2).isHealthy()).as("job running but a process failing").isFalse();
        assertThat(instances.get(3).hasVm()).isFalse();
        assertThat(instances.get(3).isHealthy()).isFalse();
        assertThat(instances.get(4).isAgentUnresponsive()).isTrue();
        assertThat(instances.get(4).isHealthy()).isFalse();
    }

    @Test
    void takesTheTaskIdFromTheLocationPathWhetherAbsoluteOrRelative() {
        assertThat(DirectorCalls.taskIdFromLocation("PUT x", "/tasks/204518")).isEqualTo(204518);
        assertThat(DirectorCalls.taskIdFromLocation("PUT x", "https://172.16.1.11:25555/tasks/42")).isEqualTo(42);
        assertThat(DirectorCalls.taskIdFromLocation("PUT x", "http://10.0.0.6/tasks/7/")).isEqualTo(7);
        assertThatThrownBy(() -> DirectorCalls.taskIdFromLocation("PUT x", "/deployments/d"))
                .isInstanceOf(BoshException.class).hasMessageContaining("not a task");
        assertThatThrownBy(() -> DirectorCalls.taskIdFromLocation("PUT x", null))
                .hasMessageContaining("without a Location");
    }
}
