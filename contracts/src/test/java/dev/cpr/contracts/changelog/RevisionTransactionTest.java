package dev.cpr.contracts.changelog;

import static dev.cpr.contracts.changelog.Changes.T0;
import static dev.cpr.contracts.changelog.Changes.bytes;
import static dev.cpr.contracts.changelog.Changes.delete;
import static dev.cpr.contracts.changelog.Changes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RevisionTransactionTest {

    @Test
    void eachOriginalRevisionBecomesOneTransactionWithItsChangesInOrder() {
        List<Change> changes = List.of(put(11, "/a", "1"), put(12, "/b", "2"), delete(12, "/a"), put(12, "/c", "3"),
                Change.put(13, bytes("/l"), bytes("v"), 0x7aL, 13, 1, T0));

        List<RevisionTransaction> transactions = RevisionTransaction.group(changes);

        assertThat(transactions).extracting(RevisionTransaction::revision).containsExactly(11L, 12L, 13L);
        assertThat(transactions.get(1).ops()).hasSize(3);
        assertThat(transactions.get(1).ops().get(1)).isInstanceOf(RevisionTransaction.Delete.class);
        assertThat(new String(((RevisionTransaction.Put) transactions.get(1).ops().get(2)).key())).isEqualTo("/c");
        assertThat(transactions.get(2).leasedPuts()).isEqualTo(1);
    }

    @Test
    void moreDeletesThanOneTransactionHoldsBecomeTheRangeDeleteOfExactlyThoseKeys() {
        List<Change> deletes = IntStream.range(0, 200).mapToObj(i -> delete(40, "/p/" + (1000 + i))).toList();

        RevisionTransaction transaction = RevisionTransaction.of(40, deletes);

        RevisionTransaction.DeleteRange range = (RevisionTransaction.DeleteRange) transaction.ops().get(0);
        assertThat(transaction.ops()).hasSize(1);
        assertThat(new String(range.from())).isEqualTo("/p/1000");
        assertThat(new String(range.end())).isEqualTo("/p/1199\0");
        assertThat(range.keys()).hasSize(200).contains("/p/1000", "/p/1199");
    }

    @Test
    void moreChangesThanOneTransactionHoldsWithAPutAmongThemIsNotReplayable() {
        List<Change> changes = new ArrayList<>(IntStream.range(0, 200).mapToObj(i -> delete(40, "/p/" + i)).toList());
        changes.add(put(40, "/q", "x"));

        assertThatThrownBy(() -> RevisionTransaction.of(40, changes))
                .isInstanceOf(RevisionTransaction.NotReplayable.class)
                .hasMessageContaining("original revision 40 changed 201 keys with puts among them");
    }
}
