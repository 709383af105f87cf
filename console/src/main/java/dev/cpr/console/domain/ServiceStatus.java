package dev.cpr.console.domain;

/** Whether one of the four services answered its readiness probe, and if not, why not. */
public record ServiceStatus(String name, String url, boolean up, String detail) {
}
