package dev.cpr.backup.adapters.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
