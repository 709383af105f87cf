package dev.cpr.sandbox.demo.launcher;

/** The four services, their modules and the ports {@code ./cpr up} gives them. */
public enum CprService {
    HEALTH_MONITOR("health-monitor", 8081),
    BACKUP_SERVICE("backup-service", 8082),
    RESTORE_SERVICE("restore-service", 8083),
    NOTIFIER("notifier", 8084);

    private final String module;
    private final int defaultPort;

    CprService(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }
}
