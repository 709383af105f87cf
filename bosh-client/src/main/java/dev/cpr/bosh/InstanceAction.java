package dev.cpr.bosh;

import java.util.Locale;

/** A non-converging action ({@code POST /deployments/<d>/instance_groups/<group>/<id>/actions/<action>}). */
public enum InstanceAction {
    RECREATE, RESTART, START, STOP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
