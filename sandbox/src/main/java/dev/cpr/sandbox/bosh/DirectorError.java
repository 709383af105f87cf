package dev.cpr.sandbox.bosh;

/** A director error answer: {@code {"code":..,"description":..}} with its HTTP status. */
final class DirectorError extends RuntimeException {

    final int status;
    final int code;

    DirectorError(int status, int code, String description) {
        super(description);
        this.status = status;
        this.code = code;
    }

    static DirectorError deploymentNotFound(String deployment) {
        return new DirectorError(404, 70000, "Deployment '" + deployment + "' doesn't exist");
    }

    static DirectorError instanceNotFound(String group, String id) {
        return new DirectorError(404, 70001, "Instance '" + group + "/" + id + "' doesn't exist");
    }

    static DirectorError invalidIndex(String value) {
        return new DirectorError(400, 70002, "Invalid instance index or id '" + value + "'");
    }

    static DirectorError taskNotFound(String id) {
        return new DirectorError(404, 10000, "Task " + id + " doesn't exist");
    }
}
