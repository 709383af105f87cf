package dev.cpr.contracts.inventory;

/** Client TLS material for talking to a cluster's members. Paths are files on the service's host. */
public record TlsSpec(String caFile, String certFile, String keyFile) {
}
