package dev.cpr.backup.domain.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How a snapshot is stored. */
public enum Compression {
    NONE("none", ".db"),
    GZIP("gzip", ".db.gz");

    private static final int BUFFER = 64 * 1024;

    private final String wire;
    private final String extension;

    Compression(String wire, String extension) {
        this.wire = wire;
        this.extension = extension;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public String extension() {
        return extension;
    }

    @JsonCreator
    public static Compression fromWire(String value) {
        return Arrays.stream(values()).filter(c -> c.wire.equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown compression '" + value + "', expected none or gzip"));
    }

    public OutputStream compress(OutputStream raw) throws IOException {
        return this == GZIP ? new GZIPOutputStream(raw, BUFFER) : raw;
    }

    public InputStream decompress(InputStream stored) throws IOException {
        return this == GZIP ? new GZIPInputStream(stored, BUFFER) : stored;
    }
}
