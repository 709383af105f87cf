package dev.cpr.healthmonitor.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Confirms a condition only after it was seen on {@code polls} consecutive polls, and clears a
 * confirmed condition only after {@code polls} consecutive polls without it, so one lost packet
 * neither opens nor resolves an incident. Keys are independent (cpr uses cluster + failure kind).
 *
 * <pre>
 *            present x N                    absent x N
 *   clear  ───────────────▶  confirmed  ───────────────▶  clear
 *     ▲  absent resets the streak  │  present resets the streak
 * </pre>
 *
 * Not thread-safe: the caller serialises polls.
 */
public final class Debouncer<K> {

    /** What one observation changed. */
    public enum Transition { NONE, CONFIRMED, CLEARED }

    private final int polls;
    private final Map<K, State> states = new HashMap<>();

    public Debouncer(int polls) {
        if (polls < 1) {
            throw new IllegalArgumentException("debounce polls must be at least 1, was " + polls);
        }
        this.polls = polls;
    }

    public Transition observe(K key, boolean present, Instant at) {
        State state = states.computeIfAbsent(key, k -> new State());
        if (present) {
            state.absentStreak = 0;
            if (state.confirmed) {
                return Transition.NONE;
            }
            if (state.presentStreak == 0) {
                state.firstSeen = at;
            }
            state.presentStreak++;
            if (state.presentStreak >= polls) {
                state.confirmed = true;
                return Transition.CONFIRMED;
            }
            return Transition.NONE;
        }
        state.presentStreak = 0;
        if (!state.confirmed) {
            states.remove(key);
            return Transition.NONE;
        }
        state.absentStreak++;
        if (state.absentStreak >= polls) {
            states.remove(key);
            return Transition.CLEARED;
        }
        return Transition.NONE;
    }

    public boolean isConfirmed(K key) {
        State state = states.get(key);
        return state != null && state.confirmed;
    }

    /** The first poll of the streak that is (or is becoming) confirmed. */
    public Optional<Instant> firstSeen(K key) {
        return Optional.ofNullable(states.get(key)).map(s -> s.firstSeen);
    }

    /** Forgets the streaks of these keys, as if they had never been observed. */
    public void forgetIf(java.util.function.Predicate<K> keys) {
        states.keySet().removeIf(keys);
    }

    /** Starts {@code key} as confirmed, e.g. for an incident that was open before a restart. */
    public void confirm(K key, Instant firstSeen) {
        State state = states.computeIfAbsent(key, k -> new State());
        state.confirmed = true;
        state.firstSeen = firstSeen;
        state.presentStreak = 0;
        state.absentStreak = 0;
    }

    private static final class State {
        boolean confirmed;
        int presentStreak;
        int absentStreak;
        Instant firstSeen;
    }
}
