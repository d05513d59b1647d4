package io.longrun.conductor.httppoll;

/** Base of the errors that end or interrupt one HTTP_POLL execution. */
public class HttpPollException extends Exception {

    public HttpPollException(String message) {
        super(message);
    }

    public HttpPollException(String message, Throwable cause) {
        super(message, cause);
    }
}
