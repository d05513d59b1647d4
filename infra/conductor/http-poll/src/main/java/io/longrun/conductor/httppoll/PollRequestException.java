package io.longrun.conductor.httppoll;

/** A poll request got no HTTP response: connection refused, timed out, or interrupted. */
public class PollRequestException extends HttpPollException {

    public PollRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
