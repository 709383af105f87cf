package dev.cpr.restore.domain.bbr;

import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.List;

/**
 * What a director restore is checked against: the BOSH director of a {@code kind: bosh} cluster, read through
 * bosh-client. Blocking; every call throws (with the director's own message) when the director does not answer.
 */
public interface BoshDirectorView {

    /** {@code GET /info}: e.g. {@code p-bosh 270.2.0}. */
    String info(ClusterSpec cluster);

    /** Names of the deployments the director knows ({@code GET /deployments}). */
    List<String> deployments(ClusterSpec cluster);

    /** The cluster's deployment's instances as {@code group/id} ({@code instances?format=full}). */
    List<String> instances(ClusterSpec cluster);
}
