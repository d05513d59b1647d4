package io.longrun.conductor.httppoll;

import com.netflix.conductor.core.events.ScriptEvaluator;
import com.netflix.conductor.core.exception.NonTransientException;
import com.netflix.conductor.core.exception.TerminateWorkflowException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;

/**
 * Evaluates a termination condition with Conductor's own GraalJS {@link ScriptEvaluator}, the
 * sandbox and time limit that INLINE tasks and DO_WHILE conditions get
 * (CONDUCTOR_SCRIPT_MAX_EXECUTION_SECONDS, 4 s by default in 3.32.3).
 *
 * <p>The script reads {@code $.output} and {@code $.input}. {@code $.output} carries the poll's
 * response twice: at {@code $.output.response} as Orkes documents it, and flattened as
 * {@code $.output.statusCode}, {@code .headers}, {@code .body} and {@code .reasonPhrase}.
 */
public final class TerminationCondition {

    private TerminationCondition() {}

    /**
     * Checks that the script parses, without running it.
     *
     * @throws ConditionException carrying the syntax error
     */
    public static void checkSyntax(String script) throws ConditionException {
        try {
            ScriptEvaluator.validateScriptSyntax(script);
        } catch (IllegalArgumentException e) {
            throw new ConditionException("terminationCondition does not compile: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the script against one poll's response and the task input.
     *
     * @param pollCount the number of polls done, this one included, exposed as
     *     {@code $.output.pollCount}
     * @throws ConditionException when the script throws, does not compile, or times out
     */
    public static ConditionOutcome evaluate(
            String script, PollResponse response, int pollCount, Map<String, Object> taskInput)
            throws ConditionException {
        Map<String, Object> output = new LinkedHashMap<>(response.toMap());
        output.put("response", response.toMap());
        output.put("pollCount", pollCount);

        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("output", output);
        bindings.put("input", taskInput);

        Object result;
        try {
            result = ScriptEvaluator.eval(script, ScriptEvaluator.deepCopy(bindings));
        } catch (TerminateWorkflowException | NonTransientException e) {
            throw new ConditionException("terminationCondition failed: " + e.getMessage(), e);
        } catch (PolyglotException e) {
            // ScriptEvaluator wraps script errors, but converting an odd result value can still raise one.
            throw new ConditionException("terminationCondition failed: " + e.getMessage(), e);
        }
        return ConditionOutcome.of(result);
    }
}
