package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code verify-point}'s read-back: every replayed key read back in transactions of gets, each difference named. */
class ReplayReadBackOnEtcdTest {

    private static final Instant SEEN = Instant.parse("2026-12-05T02:00:00Z");

    private final Path dir = Path.of("target/read-back-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();

    @AfterEach
    void cleanUp() throws IOException {
        LocalEtcdMember.deleteRecursively(dir);
    }

    @Test
    void smallChangesAreReadBackInTransactionsOfAtMost128GetsInTheirOrder() {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            changes.add(put(i + 1, key(i), "v" + i));
        }

        List<List<Change>> batches = ChangeReplayer.readBatches(changes);

        assertThat(batches).extracting(List::size).containsExactly(128, 128, 44);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(changes);
    }

    @Test
    void largeValuesAreReadBackInSmallerTransactionsAndOneLargerThanABatchAlone() {
        String mib = "x".repeat(1024 * 1024);
        List<Change> changes = List.of(put(1, "/a", mib), put(2, "/b", "small"), put(3, "/c", mib + mib + "x"),
                put(4, "/d", "small"), Change.delete(5, bytes("/e"), SEEN));

        // about 2 MiB of keys and values per transaction: /a and /b fit together; /c (over 2 MiB) is read alone
        assertThat(ChangeReplayer.readBatches(changes)).extracting(batch -> batch.stream().map(Change::keyText)
                .toList()).containsExactly(List.of("/a", "/b"), List.of("/c"), List.of("/d", "/e"));
    }

    @Test
    void everyKeyThatDoesNotReadBackAsTheSourceLeftItIsNamedAcrossTransactions() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "read-back", 1)) {
            // given 300 keys replayed as the source left them
            List<Change> expected = new ArrayList<>();
            List<Op> puts = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add(put(i + 2, key(i), "value " + i));
                puts.add(Op.put(seq(key(i)), seq("value " + i), PutOption.DEFAULT));
                if (puts.size() == 100) {
                    commit(etcd, puts);
                    puts.clear();
                }
            }
            expected.add(Change.delete(400, bytes("/app/gone"), SEEN));
            expected.add(Change.delete(401, bytes(key(250)), SEEN));

            // when one key holds another value, one is missing and one the source deleted is present
            etcd.client().getKVClient().put(seq(key(200)), seq("not the source's")).get(10, TimeUnit.SECONDS);
            etcd.client().getKVClient().delete(seq(key(299))).get(10, TimeUnit.SECONDS);
            ChangeReplayer replayer = new ChangeReplayer(null, Duration.ofSeconds(10));
            List<String> differences;
            try {
                differences = replayer.differences(etcd.spec(), expected);
            } finally {
                replayer.close();
            }

            // then exactly those three are named, in the order of the changes, from the second and third transactions
            assertThat(differences).containsExactly(
                    "/app/000200 holds another value than revision 202 put",
                    "/app/000299 is missing, put at revision 301",
                    "/app/000250 is present, deleted at revision 401");
        }
    }

    private static void commit(EtcdCluster etcd, List<Op> ops) throws Exception {
        TxnResponse done = etcd.client().getKVClient().txn().Then(ops.toArray(Op[]::new)).commit()
                .get(10, TimeUnit.SECONDS);
        assertThat(done.isSucceeded()).isTrue();
    }

    private static Change put(long revision, String key, String value) {
        return Change.put(revision, bytes(key), value.getBytes(StandardCharsets.UTF_8), 0, revision, 1, SEEN);
    }

    private static String key(int i) {
        return String.format("/app/%06d", i);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteSequence seq(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
