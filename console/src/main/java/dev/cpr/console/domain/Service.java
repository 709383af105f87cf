package dev.cpr.console.domain;

/** The four services the console reads and acts through; each stays the owner of its data. */
public enum Service {
    HEALTH_MONITOR("health-monitor"),
    BACKUP_SERVICE("backup-service"),
    RESTORE_SERVICE("restore-service"),
    NOTIFIER("notifier");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
