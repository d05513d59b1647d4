package io.longrun.conductor.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpPollInputTest {

    private static HttpPollProperties limits(long floorSeconds) {
        HttpPollProperties properties = new HttpPollProperties();
        properties.setMinPollingIntervalSeconds(floorSeconds);
        return properties;
    }

    private static Map<String, Object> request(Object... pairs) {
        Map<String, Object> request = new HashMap<>(Map.of("uri", "http://127.0.0.1:9/status", "method", "get"));
        for (int i = 0; i < pairs.length; i += 2) {
            request.put((String) pairs[i], pairs[i + 1]);
        }
        return request;
    }

    @Test
    void defaultsApplyWhenFieldsMissing() throws InvalidInputException {
        HttpPollInput input = HttpPollInput.parse(Map.of("http_request", request()), limits(1));
        assertEquals("GET", input.request().method());
        assertEquals("application/json", input.request().accept());
        assertEquals("true", input.policy().terminationCondition());
        assertEquals(60, input.policy().intervalAppliedSeconds());
        assertEquals(PollingStrategy.FIXED, input.policy().strategy());
        assertEquals(1000, input.policy().maxPollCount());
    }

    @Test
    void intervalBelowFloorIsClamped() throws InvalidInputException {
        HttpPollInput input = HttpPollInput.parse(Map.of("http_request", request("pollingInterval", 5)), limits(60));
        assertEquals(5, input.policy().intervalRequestedSeconds());
        assertEquals(60, input.policy().intervalAppliedSeconds());
    }

    @Test
    void numericStringsAreAccepted() throws InvalidInputException {
        HttpPollInput input = HttpPollInput.parse(
                Map.of("http_request", request("pollingInterval", "7", "maxPollCount", "4")), limits(1));
        assertEquals(7, input.policy().intervalAppliedSeconds());
        assertEquals(4, input.policy().maxPollCount());
    }

    @Test
    void pollingFieldsFallBackToTopLevel() throws InvalidInputException {
        Map<String, Object> taskInput = Map.of(
                "http_request", request(),
                "terminationCondition", "false",
                "pollingStrategy", "EXPONENTIAL_BACKOFF",
                "maxPollCount", 2);
        HttpPollInput input = HttpPollInput.parse(taskInput, limits(1));
        assertEquals("false", input.policy().terminationCondition());
        assertEquals(PollingStrategy.EXPONENTIAL_BACKOFF, input.policy().strategy());
        assertEquals(2, input.policy().maxPollCount());
    }

    @Test
    void requestReadFromTopLevelWithoutHttpRequest() throws InvalidInputException {
        HttpPollInput input = HttpPollInput.parse(request("accept", List.of("application/json", "text/plain")), limits(1));
        assertEquals("http://127.0.0.1:9/status", input.request().uri());
        assertEquals("application/json, text/plain", input.request().accept());
    }

    @Test
    void missingUriIsRejected() {
        Map<String, Object> bad = Map.of("http_request", Map.of("method", "GET"));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> HttpPollInput.parse(bad, limits(1)));
        assertTrue(error.getMessage().contains("uri"), error.getMessage());
    }

    @Test
    void relativeUriIsRejected() {
        Map<String, Object> bad = Map.of("http_request", request("uri", "/status"));
        assertThrows(InvalidInputException.class, () -> HttpPollInput.parse(bad, limits(1)));
    }

    @Test
    void unknownMethodIsRejected() {
        Map<String, Object> bad = Map.of("http_request", request("method", "FETCH"));
        assertThrows(InvalidInputException.class, () -> HttpPollInput.parse(bad, limits(1)));
    }

    @Test
    void zeroMaxPollCountIsRejected() {
        Map<String, Object> bad = Map.of("http_request", request("maxPollCount", 0));
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> HttpPollInput.parse(bad, limits(1)));
        assertTrue(error.getMessage().contains("maxPollCount"), error.getMessage());
    }

    @Test
    void fractionalIntervalIsRejected() {
        Map<String, Object> bad = Map.of("http_request", request("pollingInterval", 1.5));
        assertThrows(InvalidInputException.class, () -> HttpPollInput.parse(bad, limits(1)));
    }
}
