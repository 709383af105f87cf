package dev.cpr.notifier.app;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Running blocking work off the event loop and coming back to the caller's Vert.x context (where sessions live). */
final class Contexts {

    private Contexts() {
    }

    /** Runs {@code work} on a worker thread; the result arrives back on the caller's context. */
    static <T> Uni<T> blocking(Supplier<T> work) {
        return back(Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** The same Uni, its result delivered on the caller's Vert.x context (e.g. after a Kafka ack). */
    static <T> Uni<T> back(Uni<T> uni) {
        Context context = Vertx.currentContext();
        return context == null ? uni : uni.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
