package dev.cpr.console.app;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.console.domain.Service;
import dev.cpr.console.domain.ServiceStatus;
import java.io.InputStream;

/**
 * The four services' REST APIs, called with the caller's own bearer token (so each service applies its own role
 * checks and records who did what). Blocking: call it off the event loop.
 *
 * @throws ServiceDownException     when the service does not answer
 * @throws UpstreamRefusedException when it answers with an error status
 */
public interface Upstream {

    /** The service's readiness probe ({@code /q/health/ready}, no token needed). Never throws. */
    ServiceStatus probe(Service service);

    <T> T get(Service service, String pathAndQuery, String token, TypeReference<T> type);

    /** A POST with a JSON body (or none); the service's answer as it came, for actions passed through. */
    Reply post(Service service, String path, String token, Object body);

    /** A GET whose body is streamed to the caller (a backup's artifact). */
    Download download(Service service, String path, String token);

    /** Status, content type and body of a service's answer to an action. */
    record Reply(int status, String contentType, byte[] body) {
    }

    record Download(InputStream body, String contentDisposition, Long length, String sha256) {
    }
}
