package io.longrun.conductor.httppoll;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed input of an HTTP_POLL task.
 *
 * <p>The request and the polling fields are read from {@code http_request}, as Orkes Conductor
 * puts them. A polling field missing there is read from the top level of the input, and when
 * {@code http_request} is absent the whole request is read from the top level, as the HTTP task
 * does.
 */
public record HttpPollInput(HttpRequestSpec request, PollingPolicy policy) {

    public static final String REQUEST_PARAMETER = "http_request";
    static final String DEFAULT_MEDIA_TYPE = "application/json";
    static final String DEFAULT_CONDITION = "true";
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    /**
     * Parses the task input.
     *
     * @param taskInput the task's input data after parameter substitution
     * @param limits the server-side floor and defaults
     * @throws InvalidInputException naming the field that is missing or invalid
     */
    public static HttpPollInput parse(Map<String, Object> taskInput, HttpPollProperties limits)
            throws InvalidInputException {
        Map<String, Object> request = requestMap(taskInput);
        HttpRequestSpec spec = parseRequest(request);

        Object condition = field(request, taskInput, "terminationCondition");
        String script = condition == null || condition.toString().isBlank()
                ? DEFAULT_CONDITION
                : condition.toString();
        long requested = parseLong(
                field(request, taskInput, "pollingInterval"),
                "pollingInterval",
                limits.getDefaultPollingIntervalSeconds());
        if (requested < 1) {
            throw new InvalidInputException("pollingInterval must be >= 1 second, got " + requested);
        }
        long applied = PollingPolicy.clampInterval(requested, limits.getMinPollingIntervalSeconds());
        PollingStrategy strategy = PollingStrategy.parse(field(request, taskInput, "pollingStrategy"));
        long maxPolls = parseLong(
                field(request, taskInput, "maxPollCount"),
                "maxPollCount",
                limits.getDefaultMaxPollCount());
        if (maxPolls < 1 || maxPolls > Integer.MAX_VALUE) {
            throw new InvalidInputException("maxPollCount must be from 1 to " + Integer.MAX_VALUE + ", got " + maxPolls);
        }
        PollingPolicy policy = new PollingPolicy(script, requested, applied, strategy, (int) maxPolls);
        return new HttpPollInput(spec, policy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requestMap(Map<String, Object> taskInput)
            throws InvalidInputException {
        Object request = taskInput.get(REQUEST_PARAMETER);
        if (request == null) {
            return taskInput;
        }
        if (request instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidInputException(REQUEST_PARAMETER + " must be an object, got " + request.getClass().getSimpleName());
    }

    private static Object field(Map<String, Object> request, Map<String, Object> taskInput, String name) {
        Object value = request.get(name);
        return value != null ? value : taskInput.get(name);
    }

    private static HttpRequestSpec parseRequest(Map<String, Object> request) throws InvalidInputException {
        Object uri = request.get("uri");
        if (uri == null || uri.toString().isBlank()) {
            throw new InvalidInputException("Missing HTTP uri: set " + REQUEST_PARAMETER + ".uri");
        }
        validateUri(uri.toString());

        Object method = request.get("method");
        if (method == null || method.toString().isBlank()) {
            throw new InvalidInputException("Missing HTTP method: set " + REQUEST_PARAMETER + ".method");
        }
        String upperMethod = method.toString().trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upperMethod)) {
            throw new InvalidInputException("HTTP method '" + method + "' is invalid; use one of " + METHODS);
        }

        return new HttpRequestSpec(
                uri.toString(),
                upperMethod,
                parseHeaders(request.get("headers")),
                request.get("body"),
                mediaType(request.get("accept"), "accept"),
                mediaType(request.get("contentType"), "contentType"));
    }

    private static void validateUri(String uri) throws InvalidInputException {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || parsed.getHost() == null) {
                throw new InvalidInputException("HTTP uri '" + uri + "' is invalid; it must be an absolute http or https URI");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("HTTP uri '" + uri + "' is invalid: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parseHeaders(Object headers) throws InvalidInputException {
        if (headers == null) {
            return Map.of();
        }
        if (!(headers instanceof Map<?, ?> map)) {
            throw new InvalidInputException("headers must be an object of name to value, got " + headers.getClass().getSimpleName());
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((name, value) -> {
            if (name != null && value != null) {
                result.put(name.toString(), value.toString());
            }
        });
        return result;
    }

    /** Accepts a single media type or, as the HTTP task allows for accept, a list of them. */
    private static String mediaType(Object value, String fieldName) throws InvalidInputException {
        if (value == null) {
            return DEFAULT_MEDIA_TYPE;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(Object::toString).collect(Collectors.joining(", "));
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw new InvalidInputException(fieldName + " must not be blank");
        }
        return text;
    }

    private static long parseLong(Object value, String fieldName, long defaultValue) throws InvalidInputException {
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            double exact = number.doubleValue();
            if (exact != Math.rint(exact)) {
                throw new InvalidInputException(fieldName + " must be a whole number, got " + value);
            }
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(fieldName + " must be a whole number, got '" + value + "'", e);
        }
    }
}
