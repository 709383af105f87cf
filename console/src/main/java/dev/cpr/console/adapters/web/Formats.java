package dev.cpr.console.adapters.web;

import dev.cpr.console.domain.Ages;
import dev.cpr.console.domain.Plan;
import dev.cpr.console.domain.Sizes;
import dev.cpr.console.domain.Step;
import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the templates show times, sizes and states. */
@TemplateExtension
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String ago(Instant at) {
        return at == null ? "-" : Ages.human(Duration.between(at, Instant.now())) + " ago";
    }

    static String utc(Instant at) {
        return at == null ? "-" : TIME.format(at);
    }

    static String human(Duration d) {
        return Ages.human(d);
    }

    static String elapsed(Step step) {
        Duration d = step.elapsed(Instant.now());
        return d == null ? "-" : Ages.human(d);
    }

    static String progress(Plan plan) {
        return plan.stepsDone() + "/" + plan.steps().size();
    }

    static int percent(Plan plan) {
        return plan.steps().isEmpty() ? 0 : (int) (100 * plan.stepsDone() / plan.steps().size());
    }

    static String css(String state) {
        return state == null ? "unknown" : state.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String bytes(Long size) {
        return Sizes.human(size);
    }

    static String shortId(String id) {
        return id == null ? "-" : id.length() > 8 ? id.substring(0, 8) : id;
    }
}
