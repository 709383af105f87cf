package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.domain.bosh.BoshObservation;
import io.smallrye.mutiny.Uni;

/** Asks the BOSH director of a {@code kind: bosh} cluster what it sees; completes within the poll timeout. */
public interface BoshProbe {

    Uni<BoshObservation> poll(ClusterSpec cluster);
}
