package dev.cpr.sandbox.demo.scenario;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the services' replicas share in PostgreSQL and show nowhere else: which health-monitor holds a cluster's
 * lease, which restore-service runs a plan, what the notifiers have still to post to Slack. Read as an operator would
 * with psql, for the {@code failover} scenario to name the replicas that matter and judge the takeover.
 */
final class ReplicaRows {

    private ReplicaRows() {
    }

    /** cluster -> the health-monitor replica holding its unexpired lease (its name is its CPR_REPLICA_ID). */
    static Map<String, String> leaseOwners(World world) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select cluster_id, owner from health_monitor.cluster_lease where expires_at > now()");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                owners.put(rows.getString(1), rows.getString(2));
            }
        }
        return owners;
    }

    /** The plan's runner id ({@code <host>:<http port>} of the restore-service replica running it); null if none. */
    static String runnerId(World world, String planId) throws SQLException {
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select runner_id from restore_service.recovery_plan where id = ?")) {
            s.setString(1, planId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Slack posts the notifiers have accepted and not yet made. */
    static long pendingSlackRows(World world) throws SQLException {
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select count(*) from notifier.slack_outbox where state = 'PENDING'");
                ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection connect(World world) throws SQLException {
        PostgresServer postgres = world.sandbox().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
