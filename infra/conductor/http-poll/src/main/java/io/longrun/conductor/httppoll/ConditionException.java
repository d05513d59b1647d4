package io.longrun.conductor.httppoll;

/** The termination condition did not compile, threw, or ran past the script time limit. */
public class ConditionException extends HttpPollException {

    public ConditionException(String message) {
        super(message);
    }

    public ConditionException(String message, Throwable cause) {
        super(message, cause);
    }
}
