package io.longrun.conductor.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PollingStrategyTest {

    @Test
    void fixedKeepsInterval() {
        assertEquals(5, PollingStrategy.FIXED.delaySeconds(5, 1));
        assertEquals(5, PollingStrategy.FIXED.delaySeconds(5, 7));
    }

    @Test
    void linearMultipliesByPollCount() {
        assertEquals(3, PollingStrategy.LINEAR_BACKOFF.delaySeconds(3, 1));
        assertEquals(12, PollingStrategy.LINEAR_BACKOFF.delaySeconds(3, 4));
    }

    @Test
    void exponentialDoublesPerPoll() {
        assertEquals(2, PollingStrategy.EXPONENTIAL_BACKOFF.delaySeconds(1, 1));
        assertEquals(4, PollingStrategy.EXPONENTIAL_BACKOFF.delaySeconds(1, 2));
        assertEquals(24, PollingStrategy.EXPONENTIAL_BACKOFF.delaySeconds(3, 3));
    }

    @Test
    void delaysCappedAtOneDay() {
        assertEquals(PollingStrategy.MAX_DELAY_SECONDS, PollingStrategy.EXPONENTIAL_BACKOFF.delaySeconds(60, 40));
        assertEquals(PollingStrategy.MAX_DELAY_SECONDS, PollingStrategy.EXPONENTIAL_BACKOFF.delaySeconds(1, 500));
        assertEquals(PollingStrategy.MAX_DELAY_SECONDS, PollingStrategy.LINEAR_BACKOFF.delaySeconds(Long.MAX_VALUE / 2, 3));
    }

    @Test
    void parseIsCaseInsensitive() throws InvalidInputException {
        assertEquals(PollingStrategy.LINEAR_BACKOFF, PollingStrategy.parse("linear_backoff"));
    }

    @Test
    void parseDefaultsToFixed() throws InvalidInputException {
        assertEquals(PollingStrategy.FIXED, PollingStrategy.parse(null));
        assertEquals(PollingStrategy.FIXED, PollingStrategy.parse(" "));
    }

    @Test
    void parseRejectsUnknownName() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> PollingStrategy.parse("RANDOM"));
        assertTrue(error.getMessage().contains("RANDOM"), error.getMessage());
    }

    @Test
    void delayRejectsZeroPollCount() {
        assertThrows(IllegalArgumentException.class, () -> PollingStrategy.FIXED.delaySeconds(1, 0));
    }
}
