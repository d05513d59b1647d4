package io.longrun.conductor.httppoll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;

/** Sends one poll request with the JDK's HttpClient and reads the response. */
public class HttpPollClient {

    /**
     * Maximum response body a poll reads, in bytes. A longer body counts as a failed request. The limit is
     * well below Conductor's default limit on a task's output (10 MB), which would fail the task outright.
     */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private final HttpClient httpClient;
    private final ObjectMapper objectMapper;
    private final Duration requestTimeout;

    public HttpPollClient(HttpClient httpClient, ObjectMapper objectMapper, Duration requestTimeout) {
        this.httpClient = httpClient;
        this.objectMapper = objectMapper;
        this.requestTimeout = requestTimeout;
    }

    /** Builds the client that {@link #send} shares across polls: HTTP/1.1, bounded connect time. */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Sends the request and returns the response, whatever its status code.
     *
     * @throws PollRequestException when no response arrived (refused, timed out, interrupted)
     * @throws InvalidInputException when the request cannot be built, e.g. a restricted header
     */
    public PollResponse send(HttpRequestSpec spec) throws PollRequestException, InvalidInputException {
        HttpRequest request = buildRequest(spec);
        String requestName = "HTTP " + spec.method() + " " + spec.uri();
        // The request's own timeout ends when the headers arrive. A server that stalls in the body would
        // then hold a thread of the server's shared system-task pool, so this deadline covers the body too.
        CompletableFuture<HttpResponse<byte[]>> pending =
                httpClient.sendAsync(request, info -> new LimitedBodySubscriber(MAX_BODY_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new PollRequestException(
                    requestName + " failed: no complete response within " + requestTimeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause instanceof IOException io ? describe(io) : cause.toString();
            throw new PollRequestException(requestName + " failed: " + reason, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new PollRequestException(requestName + " was interrupted", e);
        }
        return new PollResponse(
                response.statusCode(),
                new TreeMap<>(response.headers().map()),
                parseBody(new String(response.body(), StandardCharsets.UTF_8)),
                reasonPhrase(response.statusCode()));
    }

    private HttpRequest buildRequest(HttpRequestSpec spec) throws InvalidInputException {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(spec.uri()))
                    .timeout(requestTimeout)
                    .header("Accept", spec.accept());
            for (Map.Entry<String, String> header : spec.headers().entrySet()) {
                builder.header(header.getKey(), header.getValue());
            }
            if (spec.body() == null) {
                builder.method(spec.method(), HttpRequest.BodyPublishers.noBody());
            } else {
                if (spec.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                    builder.header("Content-Type", spec.contentType());
                }
                builder.method(spec.method(), HttpRequest.BodyPublishers.ofString(serializeBody(spec.body())));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("HTTP request is invalid: " + e.getMessage(), e);
        }
    }

    private String serializeBody(Object body) throws InvalidInputException {
        if (body instanceof String text) {
            return text;
        }
        try {
            return objectMapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("HTTP body cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON bodies into maps, lists and scalars; returns other text unchanged. */
    Object parseBody(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = objectMapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                return text;
            }
            return objectMapper.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static String reasonPhrase(int statusCode) {
        HttpStatus status = HttpStatus.resolve(statusCode);
        return status == null ? "" : status.getReasonPhrase();
    }

    /** ConnectException and HttpTimeoutException often carry no message, so name the type. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
