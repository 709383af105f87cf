package dev.cpr.contracts.changelog;

/** A stored segment is not what was written: truncated, bit-flipped, of an unknown format, or inconsistent. */
public final class CorruptSegmentException extends Exception {

    public CorruptSegmentException(String message) {
        super(message);
    }
}
