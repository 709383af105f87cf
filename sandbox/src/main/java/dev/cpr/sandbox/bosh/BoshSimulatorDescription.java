package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How another process reaches a running {@link BoshDirectorSimulator}: the director URL and credentials (what
 * {@code bbr deployment --target --username --password --deployment} and cpr's BOSH client take), and the
 * director VM's "ssh" side ({@code bbr director --host --username bbr --private-key-path}).
 */
public record BoshSimulatorDescription(
        String directorUrl,
        String authentication,
        String uaaUrl,
        String client,
        String clientSecret,
        String deployment,
        String bbrHost,
        String bbrUsername,
        String bbrPrivateKeyPath,
        String workDir) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Path write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(this));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static BoshSimulatorDescription read(Path file) {
        try {
            return JSON.readValue(file.toFile(), BoshSimulatorDescription.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BOSH simulator description " + file, e);
        }
    }
}
