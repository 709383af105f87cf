package dev.cpr.console.domain;

import java.time.Instant;
import java.util.List;

/**
 * Everything the console knows at {@code at}: each service's reachability and every cluster. When a service is
 * down its part is missing and {@code notes} says what could not be read; the rest is still shown.
 */
public record Overview(Instant at, List<ServiceStatus> services, List<ClusterOverview> clusters, List<String> notes) {
}
