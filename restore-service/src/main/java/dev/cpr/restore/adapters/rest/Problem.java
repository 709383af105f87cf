package dev.cpr.restore.adapters.rest;

/** RFC 9457 problem details, served as {@code application/problem+json}. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
