package dev.cpr.restore.adapters.ssh;

import java.util.List;

/**
 * Decides whether a path may be deleted over ssh ({@code rm -rf <dataDir>/member}, a data dir, cpr's own
 * {@code <dataDir>.cpr-<plan>...} siblings): it must be an absolute, normalised path (no {@code .}, {@code ..},
 * {@code //}), not {@code /}, and either inside one of the allowed prefixes (e.g. {@code /var/lib/etcd}) or a
 * {@code .cpr-} sibling of one ({@code /var/lib/etcd.cpr-<plan>.restoring}).
 */
public final class DataDirGuard {

    private final List<String> allowedPrefixes;

    public DataDirGuard(List<String> allowedPrefixes) {
        if (allowedPrefixes == null || allowedPrefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed data-dir prefix is needed");
        }
        for (String prefix : allowedPrefixes) {
            if (!isCleanAbsolute(prefix) || "/".equals(strip(prefix))) {
                throw new IllegalArgumentException("allowed data-dir prefix '" + prefix
                        + "' must be an absolute normalised path other than /");
            }
        }
        this.allowedPrefixes = allowedPrefixes.stream().map(DataDirGuard::strip).toList();
    }

    public List<String> allowedPrefixes() {
        return allowedPrefixes;
    }

    /**
     * @throws IllegalArgumentException saying why the path must not be wiped
     */
    public String check(String member, String dataDir) {
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("refusing to wipe " + member + ": its data dir is empty");
        }
        String path = strip(dataDir.trim());
        if ("/".equals(path)) {
            throw new IllegalArgumentException("refusing to wipe " + member + ": its data dir is /");
        }
        if (!isCleanAbsolute(path)) {
            throw new IllegalArgumentException("refusing to wipe " + member + ": data dir '" + dataDir
                    + "' is not an absolute normalised path");
        }
        for (String prefix : allowedPrefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/") || isCprSibling(path, prefix)) {
                return path;
            }
        }
        throw new IllegalArgumentException("refusing to wipe " + member + ": data dir '" + dataDir
                + "' is outside the allowed prefixes " + allowedPrefixes
                + " (cpr.restore.ssh.allowed-data-dir-prefixes)");
    }

    /** {@code <prefix>.cpr-<something>} with no further directory: what cpr creates beside a data dir. */
    private static boolean isCprSibling(String path, String prefix) {
        String rest = path.startsWith(prefix + ".cpr-") ? path.substring(prefix.length() + 5) : "";
        return !rest.isEmpty() && !rest.contains("/");
    }

    private static boolean isCleanAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.contains("//") || path.contains("\n")
                || path.contains("\0")) {
            return false;
        }
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String strip(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
