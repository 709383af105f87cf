package dev.cpr.backup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.adapters.etcd.InMemoryChangeLogCatalog;
import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.bench.ChangeLogLagBenchmark.Catalog;
import dev.cpr.backup.bench.ChangeLogLagBenchmark.Options;
import dev.cpr.backup.bench.ChangeLogLagBenchmark.Result;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's lag with the catalog the service runs: {@link ChangeLogLagBenchmark}'s recorder and writer, each rate
 * measured with the in-memory catalog and then with backup-service's own ({@code ChangeLogStore}: one PostgreSQL
 * transaction per segment, through Hibernate Reactive, from the recorder's thread), in one run, beside the service's
 * own work (its scheduled snapshots and its recorders of the test world's clusters), so the ratio is the catalog's
 * cost under the load a service carries.
 * <p>
 * A benchmark, not a test: its name is not a test's, so the build's test run leaves it out. It asserts only that
 * every put became durable; the figures are printed.
 * <pre>
 * ./mvnw -B -o -pl backup-service test -Dtest=ChangeLogLagOnPostgresBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.args="--rates 100,1000 --seconds 25"
 * </pre>
 */
@QuarkusTest
class ChangeLogLagOnPostgresBenchmark {

    @Inject
    ChangeLogCatalog catalog;

    @Test
    void printsTheLagWithThePostgresqlCatalogBesideTheInMemoryOne() throws Exception {
        Options options = Options.parse(System.getProperty("bench.args", "").trim().split("\\s+"));

        List<Result> results = ChangeLogLagBenchmark.run(options, List.of(
                new Catalog("in-memory", InMemoryChangeLogCatalog::new),
                new Catalog("postgresql", () -> catalog)));

        assertThat(results).hasSize(2 * options.rates().length)
                .allSatisfy(result -> assertThat(result.writes()).isPositive());
    }
}
