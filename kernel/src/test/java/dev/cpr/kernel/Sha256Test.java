package dev.cpr.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void hashesTextAsSha256sumDoes() {
        // printf abc | sha256sum
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void bytesAndTextOfTheSameUtf8GiveTheSameDigest() {
        assertThat(Sha256.hex("etcd-2".getBytes(StandardCharsets.UTF_8))).isEqualTo(Sha256.hex("etcd-2"));
        assertThat(Sha256.of("x")).hasSize(32);
    }

    @Test
    void aFileHashesAsItsBytesDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("snapshot.db"), "abc");

        assertThat(Sha256.hex(file)).isEqualTo(Sha256.hex("abc"));
    }
}
