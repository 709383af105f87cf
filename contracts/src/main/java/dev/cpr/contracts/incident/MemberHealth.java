package dev.cpr.contracts.incident;

/**
 * One member as health-monitor last saw it.
 *
 * @param name     the member name from the inventory
 * @param healthy  answered a linearizable read in time
 * @param reason   why not healthy (connection refused, timeout, alarm ...); null when healthy
 */
public record MemberHealth(String name, String clientUrl, boolean healthy, String reason) {
}
