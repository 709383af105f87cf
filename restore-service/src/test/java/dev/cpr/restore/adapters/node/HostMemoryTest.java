package dev.cpr.restore.adapters.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory a scratch cluster may take, read from /proc and the cgroup files as a container or host has them. */
class HostMemoryTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path root;

    private Path proc() {
        return root.resolve("proc");
    }

    private Path cgroup() {
        return root.resolve("cgroup");
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void hostHas(long availableMib) throws IOException {
        write(proc().resolve("meminfo"), "MemTotal:       24576000 kB\nMemAvailable:   " + availableMib * 1024
                + " kB\n");
    }

    /** The process in cgroup v2 at {@code path}, its files under {@code dir} of the mount: a limit and a usage. */
    private void inCgroupV2(String path, String dir, long maxMib, long currentMib) throws IOException {
        write(proc().resolve("self/cgroup"), "0::" + path + "\n");
        write(cgroup().resolve(dir + "memory.max"), String.valueOf(maxMib * MIB));
        write(cgroup().resolve(dir + "memory.current"), String.valueOf(currentMib * MIB));
    }

    @Test
    void underACgroupV2LimitTheRoomIsTheLimitLessTheWorkingSetNotCountingInactiveFilePages() throws IOException {
        // given a pod limited to 1536 MiB, using 900 MiB of which 200 MiB inactive page cache, on a roomy host
        hostHas(20_000);
        inCgroupV2("/", "", 1536, 900);
        write(cgroup().resolve("memory.stat"), "anon 600000000\ninactive_file " + 200 * MIB + "\nactive_file 1\n");

        assertThat(new HostMemory(proc(), cgroup()).available()).isEqualTo(OptionalLong.of(836 * MIB));
    }

    @Test
    void theProcessesOwnCgroupV2PathIsReadBeforeTheRoot() throws IOException {
        hostHas(20_000);
        inCgroupV2("/kubepods/pod1/c1", "kubepods/pod1/c1/", 512, 312);

        assertThat(new HostMemory(proc(), cgroup()).available()).isEqualTo(OptionalLong.of(200 * MIB));
    }

    @Test
    void underACgroupV1LimitShownAsTheRootTheLimitCountsAndNoLimitLeavesTheHostsFigure() throws IOException {
        // given cgroup v1 in a namespace: /proc/self/cgroup names a path the mount shows as its root
        hostHas(3_000);
        write(proc().resolve("self/cgroup"), "4:memory:/process_api/838edbf9\n1:cpu:/\n0::/\n");
        write(cgroup().resolve("memory/memory.limit_in_bytes"), String.valueOf(2048 * MIB));
        write(cgroup().resolve("memory/memory.usage_in_bytes"), String.valueOf(1000 * MIB));
        write(cgroup().resolve("memory/memory.stat"), "cache 5\ntotal_inactive_file " + 100 * MIB + "\n");

        assertThat(new HostMemory(proc(), cgroup()).available()).isEqualTo(OptionalLong.of(1148 * MIB));

        // when the cgroup has no limit (v1 writes a page-rounded Long.MAX_VALUE): the host's MemAvailable
        write(cgroup().resolve("memory/memory.limit_in_bytes"), "9223372036854771712");
        assertThat(new HostMemory(proc(), cgroup()).available()).isEqualTo(OptionalLong.of(3_000 * MIB));
    }

    @Test
    void theHostsAvailableMemoryCapsAContainerLimitAboveIt() throws IOException {
        hostHas(700);
        inCgroupV2("/", "", 4096, 100);

        assertThat(new HostMemory(proc(), cgroup()).available()).isEqualTo(OptionalLong.of(700 * MIB));
    }

    @Test
    void nothingReadableIsUnknownNotZero() {
        assertThat(new HostMemory(proc(), cgroup()).available()).isEmpty();
    }

    @Test
    void thisMachinesOwnFiguresAreReadAndPositive() {
        assertThat(new HostMemory().available()).isPresent();
        assertThat(new HostMemory().available().getAsLong()).isPositive();
    }
}
