package dev.cpr.contracts.incident;

/** What health-monitor found wrong with a cluster. The planner chooses a plan from this. */
public enum FailureKind {
    /** One or more members unreachable, unhealthy or without data, while a quorum still answers. */
    MEMBER_UNHEALTHY("member unhealthy"),
    /** Fewer than a majority of members healthy: the cluster cannot commit writes. */
    QUORUM_LOST("quorum lost"),
    /** A BOSH instance's job is {@code failing} (the seeds' {@code bosh is} "Process State"). */
    BOSH_JOB_FAILING("BOSH job failing"),
    /** A BOSH instance has no VM ({@code vm_cid} null). */
    BOSH_VM_MISSING("BOSH VM missing"),
    /** A BOSH instance's agent does not answer ({@code job_state} "unresponsive agent"). */
    BOSH_AGENT_UNRESPONSIVE("BOSH agent unresponsive"),
    /** The BOSH director does not answer {@code /info}. */
    BOSH_DIRECTOR_UNREACHABLE("BOSH director unreachable"),
    /**
     * The director answers but does not know the cluster's deployment (error 70000): a rebuilt, empty director that
     * lost its state (seed 003), or a deleted deployment. Nothing about the instances can be judged.
     */
    BOSH_DEPLOYMENT_UNKNOWN("BOSH deployment unknown to the director"),
    /**
     * Too much of a deployment down at once (BOSH resurrector's meltdown: at least N instances and at
     * least P % of them). Nothing automatic runs; people decide.
     */
    BOSH_MELTDOWN("BOSH meltdown"),
    /** The newest verified backup is older than the cluster's RPO (or there is none). */
    BACKUP_RPO_BREACHED("no verified backup within RPO"),
    /**
     * backup-service's drill of the change log found a stored segment unreadable, altered or missing: no point in
     * time from that revision on is offered until a newer full snapshot is verified. Nothing to restore; people look.
     */
    CHANGE_LOG_BROKEN("change log broken: points in time past a revision are not restorable"),
    /**
     * etcd raised {@code NOSPACE}: the database reached {@code --quota-backend-bytes}, the cluster takes only reads
     * and deletes. Every member may be up and answering: this is not a quorum loss, and nothing needs restoring.
     */
    SPACE_EXHAUSTED("database space quota exhausted (NOSPACE)"),
    /** A warning before NOSPACE: a member's database is over the configured share of its quota. */
    SPACE_LOW("database near its space quota"),
    /**
     * A member's data is not what the others hold: etcd raised {@code CORRUPT}, or its KV hash at one revision
     * differs from the others'. The members named are the odd ones out.
     */
    DATA_CORRUPT("member data corrupt"),
    /**
     * A warning: a member's TLS certificate expires within the configured window (health-monitor's
     * {@code cpr.monitor.certificate.warn-within}). The members named are the ones whose certificate expires.
     */
    CERTIFICATE_EXPIRING("member certificate expiring soon");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    /** Words for people: Slack messages, summaries. */
    public String label() {
        return label;
    }
}
