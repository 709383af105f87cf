package dev.cpr.restore.domain.bbr;

import java.time.Instant;

/**
 * A verified bbr artifact in backup-service's catalog, as a {@code bbr-deployment-restore} or
 * {@code bbr-director-restore} plan restores from it.
 *
 * @param id        backup-service's backup id
 * @param kind      {@code bbr-deployment} or {@code bbr-director} (bosh-client's {@code BbrTarget.DEPLOYMENT} /
 *                  {@code DIRECTOR})
 * @param location  the artifact's own directory ({@code <deployment>_<YYYYMMDDTHHMMSSZ>/}), absolute
 * @param createdAt when backup-service took it
 */
public record BbrArtifactRef(String id, String clusterId, String kind, String location, Instant createdAt) {

    /** One line for logs and step output. */
    public String describe() {
        String dir = location == null ? "?" : location.substring(location.replace('\\', '/').lastIndexOf('/') + 1);
        return kind + " artifact " + id + " (" + dir + ", taken " + createdAt + ")";
    }
}
