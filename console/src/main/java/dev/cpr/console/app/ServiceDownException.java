package dev.cpr.console.app;

import dev.cpr.console.domain.Service;

/** A service did not answer at all (refused, timed out): the console says which one and goes on with the rest. */
public class ServiceDownException extends RuntimeException {

    private final Service service;

    public ServiceDownException(Service service, String url, String reason) {
        super(service.id() + " is down (" + url + "): " + reason);
        this.service = service;
    }

    public Service service() {
        return service;
    }
}
