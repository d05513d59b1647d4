package io.longrun.conductor.httppoll;

import java.util.Locale;

/** The rule by which the delay before the next poll grows with the number of polls done. */
public enum PollingStrategy {
    /** Every delay is the interval. */
    FIXED,
    /** The delay after poll n is interval * n. */
    LINEAR_BACKOFF,
    /** The delay after poll n is interval * 2^n. */
    EXPONENTIAL_BACKOFF;

    /** Upper bound of any delay, so that long backoffs cannot overflow; one day. */
    public static final long MAX_DELAY_SECONDS = 86_400;

    /**
     * Returns the delay in seconds before the poll that follows poll number {@code pollCount}.
     *
     * @param intervalSeconds the applied polling interval, at least 1
     * @param pollCount the number of polls done so far, at least 1
     */
    public long delaySeconds(long intervalSeconds, int pollCount) {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds must be >= 1, got " + intervalSeconds);
        }
        if (pollCount < 1) {
            throw new IllegalArgumentException("pollCount must be >= 1, got " + pollCount);
        }
        long delay =
                switch (this) {
                    case FIXED -> intervalSeconds;
                    case LINEAR_BACKOFF -> saturatedMultiply(intervalSeconds, pollCount);
                    case EXPONENTIAL_BACKOFF -> pollCount >= 62
                            ? MAX_DELAY_SECONDS
                            : saturatedMultiply(intervalSeconds, 1L << pollCount);
                };
        return Math.min(delay, MAX_DELAY_SECONDS);
    }

    /**
     * Parses a strategy name case-insensitively; null or blank means {@link #FIXED}.
     *
     * @throws InvalidInputException for any other name
     */
    public static PollingStrategy parse(Object value) throws InvalidInputException {
        if (value == null || value.toString().isBlank()) {
            return FIXED;
        }
        try {
            return valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "pollingStrategy '" + value + "' is invalid; use FIXED, LINEAR_BACKOFF or EXPONENTIAL_BACKOFF",
                    e);
        }
    }

    private static long saturatedMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
