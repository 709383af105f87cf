package dev.cpr.bosh;

import java.util.Locale;

/** The {@code state} of a converging instance action ({@code PUT /deployments/<d>/jobs/<group>/<id>?state=...}). */
public enum InstanceState {
    RECREATE, RESTART, STOPPED, STARTED, DETACHED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
