package dev.cpr.bosh;

import java.util.List;
import java.util.Map;

/**
 * A problem a cloud check scan found ({@code GET /deployments/<d>/problems}).
 *
 * @param type {@code missing_vm}, {@code unresponsive_agent}, {@code missing_disk}, {@code inactive_disk},
 *             {@code mount_info_mismatch}
 */
public record BoshProblem(
        int id,
        String type,
        String description,
        Map<String, Object> data,
        List<Resolution> resolutions,
        String instanceGroup) {

    public static final String MISSING_VM = "missing_vm";
    public static final String UNRESPONSIVE_AGENT = "unresponsive_agent";
    public static final String RECREATE_VM = "recreate_vm";

    public BoshProblem {
        resolutions = resolutions == null ? List.of() : List.copyOf(resolutions);
    }

    /** @param name e.g. {@code recreate_vm}; @param plan e.g. {@code Recreate VM and wait for processes to start} */
    public record Resolution(String name, String plan) {
    }

    public boolean offers(String resolution) {
        return resolutions.stream().anyMatch(r -> r.name().equals(resolution));
    }
}
