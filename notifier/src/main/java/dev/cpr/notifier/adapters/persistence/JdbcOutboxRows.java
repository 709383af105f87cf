package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.OutboxRow;
import dev.cpr.notifier.app.OutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link OutboxRows} over JDBC. A claim is one statement: the candidate row is locked {@code FOR UPDATE SKIP LOCKED}
 * (two senders looking at once never pick the same row) and given an owner and a lease (a sender that dies holding it
 * is replaced once the lease has run out). Every later change names the owner, so a sender whose claim was taken over
 * changes nothing.
 */
@ApplicationScoped
public class JdbcOutboxRows implements OutboxRows {

    private static final String S = "notifier.";
    private static final String THREAD = "COALESCE(%s.parent_id, %s.id)";

    private static final String CLAIM = "WITH next AS ("
            + " SELECT o.id, o.first_attempt_at AS attempted_at FROM " + S + "slack_outbox o"
            + " JOIN " + S + "slack_message m ON m.id = o.message_id"
            + " WHERE o.state = 'PENDING' AND o.next_attempt_at <= ?"
            + " AND (o.claim_expires_at IS NULL OR o.claim_expires_at <= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM " + S + "slack_outbox e JOIN " + S + "slack_message em"
            + " ON em.id = e.message_id WHERE e.state = 'PENDING' AND e.id < o.id"
            + " AND " + THREAD.formatted("em", "em") + " = " + THREAD.formatted("m", "m") + ")"
            + " ORDER BY o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED)"
            + " UPDATE " + S + "slack_outbox o SET claimed_by = ?, claim_expires_at = ?,"
            + " first_attempt_at = COALESCE(o.first_attempt_at, ?)"
            + " FROM next WHERE o.id = next.id RETURNING o.id, next.attempted_at";

    private static final String ROW = "SELECT o.id, o.message_id, o.op, o.text, o.blocks, o.context, o.attempts,"
            + " m.channel, m.ts, p.channel AS parent_channel, p.ts AS parent_ts"
            + " FROM " + S + "slack_outbox o JOIN " + S + "slack_message m ON m.id = o.message_id"
            + " LEFT JOIN " + S + "slack_message p ON p.id = m.parent_id WHERE o.id = ?";

    private static final String OWNED = " WHERE id = ? AND state = 'PENDING' AND claimed_by = ?";
    private static final String RELEASE = ", claimed_by = NULL, claim_expires_at = NULL";

    private final DataSource dataSource;

    public JdbcOutboxRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<OutboxRow> claimNext(String owner, Instant now, Instant leaseUntil) {
        try (Connection c = dataSource.getConnection()) {
            long id;
            Timestamp attemptedAt;
            try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                claim.setTimestamp(1, Timestamp.from(now));
                claim.setTimestamp(2, Timestamp.from(now));
                claim.setString(3, owner);
                claim.setTimestamp(4, Timestamp.from(leaseUntil));
                claim.setTimestamp(5, Timestamp.from(now));
                try (ResultSet rs = claim.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong(1);
                    attemptedAt = rs.getTimestamp(2);
                }
            }
            try (PreparedStatement read = c.prepareStatement(ROW)) {
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new OutboxRow(id, rs.getLong("message_id"), rs.getString("op"),
                            rs.getString("text"), rs.getString("blocks"), rs.getString("context"), rs.getInt("attempts"),
                            attemptedAt == null ? null : attemptedAt.toInstant(), rs.getString("channel"),
                            rs.getString("ts"), rs.getString("parent_channel"), rs.getString("parent_ts")));
                }
            }
        } catch (SQLException e) {
            throw failed("claiming the next Slack outbox row", e);
        }
    }

    @Override
    public boolean renew(long id, String owner, Instant leaseUntil) {
        return update("UPDATE " + S + "slack_outbox SET claim_expires_at = ?" + OWNED, "renewing the claim of row " + id,
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(leaseUntil));
                    ps.setLong(2, id);
                    ps.setString(3, owner);
                });
    }

    @Override
    public boolean markSent(long id, long messageId, String owner, String channel, String ts, String threadTs,
            Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement("UPDATE " + S + "slack_outbox SET state = 'SENT',"
                    + " attempts = attempts + 1, done_at = ?, last_error = NULL" + RELEASE + OWNED);
                    PreparedStatement m = c.prepareStatement("UPDATE " + S + "slack_message"
                            + " SET channel = COALESCE(?, channel), ts = ?, thread_ts = ? WHERE id = ?")) {
                o.setTimestamp(1, Timestamp.from(now));
                o.setLong(2, id);
                o.setString(3, owner);
                if (o.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
                m.setString(1, channel);
                m.setString(2, ts);
                m.setString(3, threadTs);
                m.setLong(4, messageId);
                m.executeUpdate();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("marking Slack outbox row " + id + " sent", e);
        }
    }

    @Override
    public boolean finish(long id, String owner, String state, String error, Instant now) {
        return update("UPDATE " + S + "slack_outbox SET state = ?, attempts = attempts + 1, done_at = ?, last_error = ?"
                + RELEASE + OWNED, "finishing Slack outbox row " + id, ps -> {
                    ps.setString(1, state);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, error);
                    ps.setLong(4, id);
                    ps.setString(5, owner);
                });
    }

    @Override
    public boolean postpone(long id, String owner, String error, Instant next) {
        return update("UPDATE " + S + "slack_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                + RELEASE + OWNED, "postponing Slack outbox row " + id, ps -> {
                    ps.setString(1, error);
                    ps.setTimestamp(2, Timestamp.from(next));
                    ps.setLong(3, id);
                    ps.setString(4, owner);
                });
    }

    @Override
    public int deleteDone(Instant before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + S
                + "slack_outbox WHERE state IN ('SENT', 'SKIPPED') AND done_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("deleting sent Slack outbox rows", e);
        }
    }

    @Override
    public long pending() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + S + "slack_outbox WHERE state = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, String what, Binding binding) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binding.bind(ps);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
