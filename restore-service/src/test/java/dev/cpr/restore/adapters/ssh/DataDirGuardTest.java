package dev.cpr.restore.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataDirGuardTest {

    private final DataDirGuard guard = new DataDirGuard(List.of("/var/lib/etcd", "/data/var/lib/etcd/"));

    @Test
    void aDataDirInsideAnAllowedPrefixMayBeWiped() {
        assertThat(guard.check("etcd1", "/var/lib/etcd")).isEqualTo("/var/lib/etcd");
        assertThat(guard.check("etcd1", "/var/lib/etcd/events/")).isEqualTo("/var/lib/etcd/events");
        assertThat(guard.check("etcd1", "/data/var/lib/etcd")).isEqualTo("/data/var/lib/etcd");
        assertThat(guard.check("etcd1", "/var/lib/etcd.cpr-plan-1.restoring")).isEqualTo("/var/lib/etcd.cpr-plan-1.restoring");
    }

    @Test
    void rootEmptyRelativeOrEscapingPathsAreRefused() {
        for (String bad : new String[] {"/", "", "  ", "var/lib/etcd", "/var/lib/etcd/../../etc", "/var/lib/./etcd",
            "/var//lib/etcd"}) {
            assertThatThrownBy(() -> guard.check("etcd1", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("refusing to wipe etcd1");
        }
        assertThatThrownBy(() -> guard.check("etcd1", null)).hasMessageContaining("data dir is empty");
    }

    @Test
    void aPathThatOnlySharesAPrefixStringIsOutside() {
        assertThatThrownBy(() -> guard.check("etcd1", "/var/lib/etcd-backup"))
                .hasMessageContaining("outside the allowed prefixes [/var/lib/etcd, /data/var/lib/etcd]");
        assertThatThrownBy(() -> guard.check("etcd1", "/var/lib/docker"))
                .hasMessageContaining("outside the allowed prefixes");
        assertThatThrownBy(() -> guard.check("etcd1", "/var/lib/etcd.cpr-"))
                .hasMessageContaining("outside the allowed prefixes");
        assertThatThrownBy(() -> guard.check("etcd1", "/var/lib/etcd.cpr-x/../../../etc"))
                .hasMessageContaining("not an absolute normalised path");
    }

    @Test
    void rootIsNotAnAllowedPrefix() {
        assertThatThrownBy(() -> new DataDirGuard(List.of("/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an absolute normalised path other than /");
    }
}
