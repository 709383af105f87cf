package dev.cpr.console.adapters.web;

/** One server-sent event: the live part of a page, rendered again (JSON keeps it on one {@code data:} line). */
public record Fragment(String html) {
}
