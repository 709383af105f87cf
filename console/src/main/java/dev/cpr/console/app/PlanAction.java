package dev.cpr.console.app;

import java.util.Locale;

/** What a person may do to a plan through the console; restore-service decides whether it may. */
public enum PlanAction {
    APPROVE, REJECT, CANCEL;

    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed actions */
    public static PlanAction parse(String text) {
        for (PlanAction a : values()) {
            if (a.path().equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("action must be approve, reject or cancel, was '" + text + "'");
    }
}
