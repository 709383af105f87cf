package dev.cpr.backup.app;

import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;

/** Exports a member's v2 keyspace into the store next to its snapshot; throws SnapshotFailedException when it cannot. */
public interface V2Exporter {

    V2Export export(ClusterSpec cluster, MemberSpec member, ArtifactStore store, String fileName);
}
