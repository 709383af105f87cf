package dev.cpr.platform.security;

/** Who presented a known token: a name for the audit trail, and a role. */
public record Caller(String name, Role role) {
}
