package dev.cpr.healthmonitor.adapters.rest;

/** An RFC 9457 problem detail, sent as {@code application/problem+json}. */
public record Problem(String type, String title, int status, String detail) {
}
