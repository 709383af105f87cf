package dev.cpr.healthmonitor.adapters.rest;

import java.time.Instant;
import java.util.List;

/**
 * A cluster as {@code /api/v1/clusters} shows it: the inventory, the last poll, the open incidents.
 * Poll fields are null before the first poll.
 *
 * @param status  {@code HEALTHY}, {@code MEMBER_UNHEALTHY}, {@code QUORUM_LOST} or {@code UNKNOWN} (not polled yet)
 * @param quotaBytes the cluster's {@code --quota-backend-bytes} as the SPACE_LOW check uses it (configured, else read
 *                   from a member's metrics, else etcd's default); null before the first poll
 * @param bosh    for a {@code kind: bosh} cluster, the director and the deployment's instances as the last BOSH
 *                poll saw them (null for other kinds)
 * @param heldBy  the plan of cpr's own stopping the cluster's members while it runs, during which its member and
 *                quorum incidents are not judged; null when none runs
 */
public record ClusterView(
        String id,
        String kind,
        int quorum,
        String status,
        Integer healthyMembers,
        String leader,
        Instant polledAt,
        List<String> alarms,
        Long quotaBytes,
        List<MemberView> members,
        List<IncidentView> openIncidents,
        BoshView bosh,
        HeldBy heldBy) {

    /** A plan of cpr's own that stops the members: {@code until} is when the hold lapses without another update. */
    public record HeldBy(String planId, String plan, Instant until) {
    }

    /**
     * A BOSH cluster's director and deployment. Poll fields are null before the first BOSH poll.
     *
     * @param directorReachable whether {@code /info} answered on the last poll
     * @param problem           why the director or the instances could not be read, else null
     * @param findings          the BOSH failure kinds the last poll showed ({@code BOSH_JOB_FAILING}, ...)
     * @param instances         every instance of the deployment, as {@code bosh is} shows them
     */
    public record BoshView(
            String directorUrl,
            String deployment,
            String instanceGroup,
            Instant polledAt,
            Boolean directorReachable,
            String directorName,
            String problem,
            List<String> findings,
            List<InstanceView> instances) {
    }

    /**
     * One BOSH instance: {@code name} is {@code group/id}; {@code processState} is what {@code bosh is} prints
     * (the job state, {@code -} without a VM); {@code processes} are the monit processes and their states.
     */
    public record InstanceView(
            String name,
            String group,
            String id,
            Integer index,
            String processState,
            String jobState,
            String desiredState,
            String vmCid,
            String az,
            List<String> ips,
            java.util.Map<String, String> processes) {
    }

    /**
     * One member: its inventory URL and what the last poll saw.
     *
     * @param dbSize              the database file's size in bytes, from the member's status; null when unknown
     * @param dbSizeInUse         the part of it holding live data; null when unknown
     * @param certificateNotAfter when the member's TLS certificate ends, as last read; null for a plain-HTTP member
     *                            or before the first reading
     * @param certificateExpiring the certificate ends within {@code cpr.monitor.certificate.warn-within} (the
     *                            CERTIFICATE_EXPIRING window); null when the end is not known
     * @param streamOpen          this replica's stream to the member is open, so a crash is signalled at once rather
     *                            than found by the next polls; null when it follows none (streams off, or another
     *                            replica holds the cluster)
     */
    public record MemberView(
            String name,
            String clientUrl,
            Boolean healthy,
            String reason,
            boolean leader,
            Long raftIndex,
            Long revision,
            Long dbSize,
            Long dbSizeInUse,
            java.time.Instant certificateNotAfter,
            Boolean certificateExpiring,
            Boolean streamOpen) {
    }
}
