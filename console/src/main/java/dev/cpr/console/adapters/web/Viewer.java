package dev.cpr.console.adapters.web;

/** Who is looking at a page: their token's name, and whether their role may act (approve, trigger) or only read. */
public record Viewer(String name, String role, boolean operator) {
}
