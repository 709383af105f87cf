package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.ClusterSpec;

/** Proves a stored snapshot by restoring it into a scratch etcd and comparing with what was recorded; blocking. */
public interface RestoreDrill {

    DrillResult drill(String label, String location, Compression compression, DrillExpectation expected);

    /** As above; {@code cluster} (may be null) picks the etcd version the drill runs with. */
    DrillResult drill(String label, String location, Compression compression, DrillExpectation expected,
            ClusterSpec cluster);
}
