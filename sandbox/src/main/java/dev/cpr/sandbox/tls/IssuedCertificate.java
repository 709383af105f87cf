package dev.cpr.sandbox.tls;

import java.nio.file.Path;

/** A PEM certificate and its PKCS#8 PEM key, as files. */
public record IssuedCertificate(Path certFile, Path keyFile) {
}
