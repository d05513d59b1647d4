package io.longrun.conductor.httppoll;

/** The task input cannot describe a poll: a missing URI, an unknown strategy, a bad number. */
public class InvalidInputException extends HttpPollException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
