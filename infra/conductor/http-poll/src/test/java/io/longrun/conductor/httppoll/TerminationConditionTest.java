package io.longrun.conductor.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminationConditionTest {

    private static final PollResponse RUNNING =
            new PollResponse(200, Map.of("content-type", List.of("application/json")), Map.of("state", "RUNNING"), "OK");

    private static ConditionOutcome evaluate(String script) throws ConditionException {
        return TerminationCondition.evaluate(script, RUNNING, 1, Map.of("expected", "RUNNING"));
    }

    @Test
    void trueCompletes() throws ConditionException {
        assertEquals(ConditionOutcome.COMPLETE, evaluate("$.output.response.body.state == 'RUNNING'"));
    }

    @Test
    void falseContinues() throws ConditionException {
        assertEquals(ConditionOutcome.CONTINUE, evaluate("$.output.body.state == 'DONE'"));
    }

    @Test
    void oneCompletes() throws ConditionException {
        assertEquals(ConditionOutcome.COMPLETE, evaluate("1"));
    }

    @Test
    void zeroContinues() throws ConditionException {
        assertEquals(ConditionOutcome.CONTINUE, evaluate("0"));
    }

    @Test
    void minusOneFails() throws ConditionException {
        assertEquals(ConditionOutcome.FAIL, evaluate("(function(){ return -1; })()"));
    }

    @Test
    void inputIsVisible() throws ConditionException {
        assertEquals(ConditionOutcome.COMPLETE, evaluate("$.output.body.state == $.input.expected"));
    }

    @Test
    void flatFieldsMatchResponse() throws ConditionException {
        assertEquals(ConditionOutcome.COMPLETE, evaluate("$.output.statusCode == 200 && $.output.reasonPhrase == 'OK'"));
    }

    @Test
    void pollCountIsVisible() throws ConditionException {
        assertEquals(ConditionOutcome.COMPLETE, evaluate("$.output.pollCount == 1"));
    }

    @Test
    void throwingScriptRaises() {
        ConditionException error = assertThrows(
                ConditionException.class, () -> evaluate("(function(){ throw new Error('broken-77'); })()"));
        assertTrue(error.getMessage().contains("broken-77"), error.getMessage());
    }

    @Test
    void missingPropertyRaises() {
        assertThrows(ConditionException.class, () -> evaluate("$.output.body.nested.deeper == 1"));
    }

    @Test
    void syntaxErrorRaisesOnCheck() {
        ConditionException error =
                assertThrows(ConditionException.class, () -> TerminationCondition.checkSyntax("return (("));
        assertTrue(error.getMessage().contains("does not compile"), error.getMessage());
    }

    @Test
    void validSyntaxPassesCheck() throws ConditionException {
        TerminationCondition.checkSyntax("(function(){ return $.output.body.state == 'DONE'; })()");
    }
}
