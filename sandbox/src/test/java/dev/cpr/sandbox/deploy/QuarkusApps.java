package dev.cpr.sandbox.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules of the root pom that package a Quarkus application (their pom uses quarkus-maven-plugin): each is a
 * process the deploy files must run. Read from the build, so a new service that is left out of them fails the tests.
 */
final class QuarkusApps {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private QuarkusApps() {
    }

    static List<String> modules() {
        Matcher modules = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        return modules.results().map(m -> m.group(1).trim())
                .filter(m -> read(ROOT.resolve(m).resolve("pom.xml")).contains("<artifactId>quarkus-maven-plugin</artifactId>"))
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
