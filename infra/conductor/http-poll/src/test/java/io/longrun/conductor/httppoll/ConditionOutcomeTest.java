package io.longrun.conductor.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionOutcomeTest {

    @Test
    void booleansMapToCompleteOrContinue() {
        assertEquals(ConditionOutcome.COMPLETE, ConditionOutcome.of(true));
        assertEquals(ConditionOutcome.CONTINUE, ConditionOutcome.of(false));
    }

    @Test
    void numbersFollowSign() {
        assertEquals(ConditionOutcome.COMPLETE, ConditionOutcome.of(1));
        assertEquals(ConditionOutcome.CONTINUE, ConditionOutcome.of(0));
        assertEquals(ConditionOutcome.FAIL, ConditionOutcome.of(-1));
        assertEquals(ConditionOutcome.CONTINUE, ConditionOutcome.of(Double.NaN));
    }

    @Test
    void otherValuesFollowTruthiness() {
        assertEquals(ConditionOutcome.CONTINUE, ConditionOutcome.of(null));
        assertEquals(ConditionOutcome.CONTINUE, ConditionOutcome.of(""));
        assertEquals(ConditionOutcome.COMPLETE, ConditionOutcome.of("done"));
        assertEquals(ConditionOutcome.COMPLETE, ConditionOutcome.of(Map.of()));
        assertEquals(ConditionOutcome.COMPLETE, ConditionOutcome.of(List.of()));
    }
}
