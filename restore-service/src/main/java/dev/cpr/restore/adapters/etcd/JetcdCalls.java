package dev.cpr.restore.adapters.etcd;

import dev.cpr.restore.domain.etcd.EtcdAdmin.EtcdAdminException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for one jetcd call with a timeout and names what failed, so every caller blocks and fails the same way. */
final class JetcdCalls {

    private JetcdCalls() {
    }

    static <T> T await(String what, CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdAdminException(what + " interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EtcdAdminException(what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new EtcdAdminException(what + ": " + reason(e), e.getCause());
        }
    }

    static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
