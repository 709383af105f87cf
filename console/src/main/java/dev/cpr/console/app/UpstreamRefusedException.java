package dev.cpr.console.app;

import dev.cpr.console.domain.Service;

/**
 * A service answered with an error (401, 403, 404, 409, ...): the console hands the caller the same status and the
 * service's own problem body, so a refusal reads the same through the console as it does direct.
 */
public class UpstreamRefusedException extends RuntimeException {

    private final Service service;
    private final int status;
    private final String contentType;
    private final byte[] body;

    public UpstreamRefusedException(Service service, int status, String contentType, byte[] body) {
        super(service.id() + " answered " + status + ": " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        this.service = service;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    public Service service() {
        return service;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }
}
