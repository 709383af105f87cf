package dev.cpr.bosh.bbr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a bbr artifact directory before it may be cataloged as verified, the way {@code bbr restore} validates
 * one, and more strictly:
 * <ul>
 *   <li>{@code metadata} exists and parses ({@link BbrMetadata});</li>
 *   <li>every instance artifact's tar {@code <name>-<index>-<artifact>.tar} and every custom artifact's
 *       {@code <name>.tar} exists and is a readable tar;</li>
 *   <li>EVERY file inside every tar has exactly the sha256 the metadata lists for it, and the tar holds exactly the
 *       files listed (none missing, none extra);</li>
 *   <li>every instance the caller expects (e.g. each master {@code master/0..2}) is in the metadata.</li>
 * </ul>
 * Any problem makes the artifact {@code CORRUPT}; all problems are reported, not only the first.
 */
public final class BbrArtifactVerifier {

    public BbrVerification verify(Path artifact) {
        return verify(artifact, Set.of());
    }

    /** @param expectedInstances instances that must be backed up, as {@code group/index} ({@code master/0}) */
    public BbrVerification verify(Path artifact, Set<String> expectedInstances) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(artifact)) {
            return new BbrVerification(artifact, BbrVerification.Verdict.CORRUPT,
                    List.of("artifact directory " + artifact + " does not exist"), null, 0, 0);
        }
        BbrMetadata metadata;
        try {
            metadata = BbrMetadata.parse(Files.readString(artifact.resolve("metadata"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return corrupt(artifact, List.of("cannot read metadata: " + e), null);
        } catch (BbrMetadata.BbrMetadataException e) {
            return corrupt(artifact, List.of("metadata: " + e.getMessage()), null);
        }
        Set<String> present = new TreeSet<>();
        int files = 0;
        long bytes = 0;
        for (BbrMetadata.InstanceArtifacts instance : metadata.instances()) {
            present.add(instance.id());
            if (instance.artifacts().isEmpty()) {
                problems.add("instance " + instance.id() + " lists no artifact");
            }
            for (BbrMetadata.Artifact a : instance.artifacts()) {
                Check check = check(artifact.resolve(instance.tarName(a)), a, "instance " + instance.id(), problems);
                files += check.files;
                bytes += check.bytes;
            }
        }
        for (BbrMetadata.Artifact a : metadata.customArtifacts()) {
            Check check = check(artifact.resolve(a.name() + ".tar"), a, "custom artifact " + a.name(), problems);
            files += check.files;
            bytes += check.bytes;
        }
        for (String expected : new TreeSet<>(expectedInstances)) {
            if (!present.contains(expected)) {
                problems.add("instance " + expected + " is missing from the artifact");
            }
        }
        if (metadata.instances().isEmpty() && metadata.customArtifacts().isEmpty()) {
            problems.add("metadata lists no instance and no custom artifact");
        }
        if (!problems.isEmpty()) {
            return corrupt(artifact, problems, metadata);
        }
        return new BbrVerification(artifact, BbrVerification.Verdict.VERIFIED, List.of(), metadata, files, bytes);
    }

    private record Check(int files, long bytes) {
    }

    private static Check check(Path tar, BbrMetadata.Artifact expected, String owner, List<String> problems) {
        if (!Files.isRegularFile(tar)) {
            problems.add(owner + ": " + tar.getFileName() + " is missing");
            return new Check(0, 0);
        }
        Map<String, String> actual;
        long size;
        try {
            size = Files.size(tar);
            actual = TarEntries.sha256(tar);
        } catch (IOException e) {
            problems.add(owner + ": " + tar.getFileName() + " cannot be read: " + e.getMessage());
            return new Check(0, 0);
        }
        int ok = 0;
        for (Map.Entry<String, String> e : expected.checksums().entrySet()) {
            String got = actual.get(e.getKey());
            if (got == null) {
                problems.add(owner + ": " + tar.getFileName() + " lacks " + e.getKey());
            } else if (!got.equals(e.getValue())) {
                problems.add(owner + ": checksum mismatch for " + e.getKey() + " in " + tar.getFileName()
                        + ": metadata " + e.getValue() + ", file " + got);
            } else {
                ok++;
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.checksums().containsKey(name)) {
                problems.add(owner + ": " + tar.getFileName() + " holds " + name + ", which the metadata does not list");
            }
        }
        if (expected.checksums().isEmpty()) {
            problems.add(owner + ": artifact " + expected.name() + " lists no checksum");
        }
        return new Check(ok, size);
    }

    private static BbrVerification corrupt(Path artifact, List<String> problems, BbrMetadata metadata) {
        return new BbrVerification(artifact, BbrVerification.Verdict.CORRUPT, problems, metadata, 0, 0);
    }
}
