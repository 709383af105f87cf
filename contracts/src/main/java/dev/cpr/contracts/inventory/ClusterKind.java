package dev.cpr.contracts.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ClusterKind {
    /** A plain etcd cluster whose members cpr reaches directly. */
    @JsonProperty("etcd") ETCD,
    /** etcd and control plane installed by kubespray (systemd units, /etc/etcd.env). */
    @JsonProperty("kubespray") KUBESPRAY,
    /** A BOSH/PKS deployment whose masters each run one etcd member. */
    @JsonProperty("bosh") BOSH
}
