package dev.cpr.bosh.bbr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BbrFailureTest {

    @Test
    void seed001sBackupErrorNamesTheMasterThatIsDown() {
        String output = """
                [bbr] 2020/08/05 02:22:00 INFO - Finished running post-backup-unlock scripts.
                1 error occurred:
                error 1:
                Error attempting to run backup for job bbr-etcd on master/9b8ad6e0-a438-4033-9767-46c586fb4771: \
                Error: dial tcp 172.28.3.2:2379: connect: connection refused - exit code 2""";
        assertThat(BbrFailure.instanceDown(output)).contains("master/9b8ad6e0-a438-4033-9767-46c586fb4771");
    }

    @Test
    void aMissingVmNamesItsInstance() {
        assertThat(BbrFailure.instanceDown("ssh.NewConnection.ParseAuthorizedKey failed: instance master/abc has no VM"))
                .contains("master/abc");
    }

    @Test
    void anAuthenticationErrorIsNoInstanceDown() {
        assertThat(BbrFailure.instanceDown("Director responded with non-successful status code '401'")).isEmpty();
    }
}
