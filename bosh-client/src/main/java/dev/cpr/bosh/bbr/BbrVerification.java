package dev.cpr.bosh.bbr;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link BbrArtifactVerifier} found in one artifact directory. Only {@link Verdict#VERIFIED} may be offered
 * for restore.
 *
 * @param problems   every problem found (empty when verified), each naming the file or instance
 * @param filesChecked files inside the tars whose sha256 matched the metadata
 * @param bytes      total size of the artifact's tars
 */
public record BbrVerification(Path artifact, Verdict verdict, List<String> problems, BbrMetadata metadata,
        int filesChecked, long bytes) {

    public enum Verdict { VERIFIED, CORRUPT }

    public BbrVerification {
        problems = List.copyOf(problems);
    }

    public boolean verified() {
        return verdict == Verdict.VERIFIED;
    }

    /** One line for the catalog and the logs. */
    public String detail() {
        return verified()
                ? "bbr artifact " + artifact.getFileName() + " verified: " + filesChecked + " file(s) in "
                        + (metadata == null ? 0 : metadata.instances().size()) + " instance(s) match their sha256, "
                        + bytes + " bytes"
                : "bbr artifact " + artifact.getFileName() + " CORRUPT: " + String.join("; ", problems);
    }
}
