package dev.cpr.restore.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code approval_seen}: an approval id used once. */
@Entity
@Table(name = "approval_seen")
public class ApprovalSeenEntity extends PanacheEntityBase {

    @Id
    @Column(name = "approval_id")
    public String approvalId;
    @Column(name = "seen_at")
    public Instant seenAt;
}
