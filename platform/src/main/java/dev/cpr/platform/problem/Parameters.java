package dev.cpr.platform.problem;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks of the values cpr's REST APIs take as query and path parameters; each failure is a 400 problem
 * naming the parameter and what a valid value looks like.
 */
public final class Parameters {

    /** The inventory's rule for cluster ids (lower-case letters, digits, '-'; at most 63, as a DNS label). */
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Parameters() {
    }

    /** A cluster id filter: absent or blank is "any cluster"; otherwise it must be a valid cluster id. */
    public static Optional<String> clusterId(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (!CLUSTER_ID.matcher(value).matches()) {
            throw ProblemException.badParameter(parameter, parameter + " must be a cluster id (lower-case letters, "
                    + "digits and '-', at most 63), was '" + printable(value) + "'");
        }
        return Optional.of(value);
    }

    /** A UUID (plan, backup, incident ids). */
    public static UUID uuid(String parameter, String value) {
        try {
            return UUID.fromString(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter(parameter, parameter + " must be a UUID, was '" + printable(value) + "'");
        }
    }

    /** An optional UUID filter: absent or blank is "any". */
    public static Optional<UUID> optionalUuid(String parameter, String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(uuid(parameter, value));
    }

    /** The first control character in {@code value}, described ("U+0000"), if there is one. */
    static Optional<String> controlCharacter(String value) {
        var matcher = CONTROL.matcher(value);
        return matcher.find() ? Optional.of(String.format("the control character U+%04X", (int) value.charAt(matcher.start())))
                : Optional.empty();
    }

    /** The value as it may be echoed in a problem: control characters shown as escapes, at most 100 chars. */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shown = CONTROL.matcher(value).replaceAll(m -> String.format("\\\\u%04X", (int) m.group().charAt(0)));
        return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
    }
}
