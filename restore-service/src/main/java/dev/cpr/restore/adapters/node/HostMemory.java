package dev.cpr.restore.adapters.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory this process's scratch clusters may still take: under a container's limit, the limit less the working
 * set (usage less inactive file pages, as the kubelet counts it before it evicts or the kernel OOM-kills), and never
 * more than the host's {@code MemAvailable}. cgroup v2 and v1 are read, at the process's own cgroup path or, in a
 * cgroup namespace that shows the container's cgroup as the root, at the root.
 */
final class HostMemory {

    /** cgroup v1 writes a page-rounded {@code Long.MAX_VALUE} for "no limit". */
    private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

    private final Path proc;
    private final Path cgroupRoot;

    HostMemory() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    HostMemory(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    /** Empty when neither a cgroup limit nor {@code MemAvailable} can be read. */
    OptionalLong available() {
        OptionalLong host = meminfo("MemAvailable");
        OptionalLong container = underLimit();
        if (host.isPresent() && container.isPresent()) {
            return OptionalLong.of(Math.min(host.getAsLong(), container.getAsLong()));
        }
        return host.isPresent() ? host : container;
    }

    private OptionalLong underLimit() {
        try {
            for (String line : Files.readAllLines(proc.resolve("self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3) {
                    continue;
                }
                if (parts[0].equals("0") && parts[1].isEmpty()) {
                    OptionalLong v2 = limitLessWorkingSet(dirs(cgroupRoot, parts[2]), "memory.max", "memory.current",
                            "inactive_file");
                    if (v2.isPresent()) {
                        return v2;
                    }
                } else if (List.of(parts[1].split(",")).contains("memory")) {
                    OptionalLong v1 = limitLessWorkingSet(dirs(cgroupRoot.resolve("memory"), parts[2]),
                            "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file");
                    if (v1.isPresent()) {
                        return v1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup to read (not Linux, or a restricted /proc): the host's figure alone then
        }
        return OptionalLong.empty();
    }

    /** The process's own cgroup directory first, then the mount's root (what a cgroup namespace shows). */
    private static List<Path> dirs(Path mount, String path) {
        List<Path> dirs = new ArrayList<>();
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (!relative.isEmpty()) {
            dirs.add(mount.resolve(relative));
        }
        dirs.add(mount);
        return dirs;
    }

    private static OptionalLong limitLessWorkingSet(List<Path> dirs, String limitFile, String usageFile,
            String inactiveKey) throws IOException {
        for (Path dir : dirs) {
            Path limit = dir.resolve(limitFile);
            if (!Files.isReadable(limit) || !Files.isReadable(dir.resolve(usageFile))) {
                continue;
            }
            String text = Files.readString(limit).trim();
            if (text.equals("max") || Long.parseLong(text) >= V1_UNLIMITED) {
                return OptionalLong.empty();
            }
            long usage = Long.parseLong(Files.readString(dir.resolve(usageFile)).trim());
            long inactive = stat(dir.resolve("memory.stat"), inactiveKey).orElse(0L);
            return OptionalLong.of(Math.max(0, Long.parseLong(text) - Math.max(0, usage - inactive)));
        }
        return OptionalLong.empty();
    }

    private static Optional<Long> stat(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        return Files.readAllLines(file).stream().map(line -> line.split(" "))
                .filter(kv -> kv.length == 2 && kv[0].equals(key)).map(kv -> Long.parseLong(kv[1])).findFirst();
    }

    private OptionalLong meminfo(String key) {
        try {
            return Files.readAllLines(proc.resolve("meminfo")).stream().filter(line -> line.startsWith(key + ":"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
