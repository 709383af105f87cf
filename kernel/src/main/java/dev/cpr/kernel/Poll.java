package dev.cpr.kernel;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one waiting loop of the plans: look, and while the answer is "not yet", sleep one interval and look again,
 * at most {@code timeout / interval} times (at least once). Counting looks rather than reading a clock keeps the
 * loop exact under a test's {@link Sleeper} that returns at once.
 */
public final class Poll {

    /** What one look found. */
    public sealed interface Look<T> permits Done, NotYet, GiveUp {
    }

    /** The condition holds; {@code value} is what the caller waited for. */
    public record Done<T>(T value) implements Look<T> {
    }

    /** Not yet; {@code why} says what was seen, for the message when time runs out. */
    public record NotYet<T>(String why) implements Look<T> {
    }

    /** Waiting longer cannot help; {@code why} says what was seen. */
    public record GiveUp<T>(String why) implements Look<T> {
    }

    @FunctionalInterface
    public interface Condition<T> {
        Look<T> look() throws Exception;
    }

    /**
     * How a wait ended.
     *
     * @param value  what the condition gave, when it held
     * @param last   what the last look saw when it did not hold ("not polled yet" before any look)
     * @param sleeps how many intervals were slept before it held
     * @param gaveUp whether the condition gave up rather than the time running out
     */
    public record Outcome<T>(Optional<T> value, String last, long sleeps, boolean gaveUp) {

        public boolean held() {
            return value.isPresent();
        }

        /** The value, or the exception {@code failure} makes of the last look's description. */
        public T orElseThrow(Function<String, ? extends RuntimeException> failure) {
            return value.orElseThrow(() -> failure.apply(last));
        }
    }

    public static <T> Look<T> done(T value) {
        return new Done<>(value);
    }

    public static <T> Look<T> notYet(String why) {
        return new NotYet<>(why);
    }

    public static <T> Look<T> giveUp(String why) {
        return new GiveUp<>(why);
    }

    private final Sleeper sleeper;

    public Poll(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** How many looks a wait of {@code timeout} makes at {@code interval}: at least one. */
    public static long looks(Duration timeout, Duration interval) {
        return Math.max(1, timeout.toMillis() / Math.max(1, interval.toMillis()));
    }

    /**
     * Looks until the condition holds, gives up, or {@link #looks} looks were made; sleeps one interval between
     * looks, never after the last one: time out means time out, not one more interval spent before saying so.
     *
     * @throws Exception what the condition throws, unchanged
     */
    public <T> Outcome<T> until(Condition<T> condition, Duration timeout, Duration interval) throws Exception {
        String last = "not polled yet";
        long looks = looks(timeout, interval);
        for (long i = 0; i < looks; i++) {
            Look<T> look = condition.look();
            if (look instanceof Done<T> done) {
                return new Outcome<>(Optional.of(done.value()), last, i, false);
            }
            if (look instanceof GiveUp<T> giveUp) {
                return new Outcome<>(Optional.empty(), giveUp.why(), i, true);
            }
            last = ((NotYet<T>) look).why();
            if (i + 1 < looks) {
                sleeper.sleep(interval);
            }
        }
        return new Outcome<>(Optional.empty(), last, looks - 1, false);
    }
}
