package dev.cpr.bosh;

import java.util.List;

/** One entry of {@code GET /deployments}. */
public record BoshDeployment(
        String name,
        String cloudConfig,
        List<NameVersion> releases,
        List<NameVersion> stemcells,
        List<String> teams,
        Boolean locked) {

    public record NameVersion(String name, String version) {
    }
}
