package dev.cpr.sandbox.bosh;

/**
 * What the director's database knows about one instance (what a director backup holds).
 *
 * @param member       the etcd member this instance runs ({@code etcd-1}...), null for a worker
 * @param vmCid        null when the instance has no VM
 * @param desiredState {@code started}, {@code stopped} or {@code detached}
 */
public record InstanceRecord(
        String group,
        String id,
        int index,
        String az,
        boolean bootstrap,
        String member,
        String vmCid,
        String agentId,
        String diskCid,
        String vmCreatedAt,
        String desiredState) {

    /** {@code master/<uuid> (0)}, as the director names an instance in messages. */
    public String label() {
        return group + "/" + id + " (" + index + ")";
    }
}
