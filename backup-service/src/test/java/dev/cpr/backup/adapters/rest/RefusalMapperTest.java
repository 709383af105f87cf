package dev.cpr.backup.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.app.BackupRequestRefused;
import dev.cpr.platform.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** app's refusals keep the statuses and titles the API answered when app threw HTTP problems itself. */
class RefusalMapperTest {

    @Test
    void anUnknownBackupIsA404NotFound() {
        ProblemException problem = RefusalMapper.problemOf(BackupRequestRefused.notFound("no backup 42"));

        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.title()).isEqualTo("Not found");
        assertThat(problem.getMessage()).isEqualTo("no backup 42");
    }

    @Test
    void aBackupInTheWrongStateIsA409Conflict() {
        ProblemException problem = RefusalMapper.problemOf(BackupRequestRefused.conflict("backup 42 is still in progress"));

        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.title()).isEqualTo("Conflict");
    }

    @Test
    void anUnknownClusterIsA400BadRequest() {
        ProblemException problem = RefusalMapper.problemOf(BackupRequestRefused.badRequest("unknown cluster 'x'"));

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("Bad request");
        assertThat(problem.getMessage()).isEqualTo("unknown cluster 'x'");
    }

    @Test
    void aBadParameterIsA400NamingTheParameter() {
        ProblemException problem = RefusalMapper.problemOf(BackupRequestRefused.badParameter("kind", "not a bosh cluster"));

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("Bad request parameter 'kind'");
    }
}
