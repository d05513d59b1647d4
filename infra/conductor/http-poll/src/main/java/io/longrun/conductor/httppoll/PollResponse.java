package io.longrun.conductor.httppoll;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll's HTTP response, in the shape of the HTTP task's {@code response} output.
 *
 * @param statusCode HTTP status code
 * @param headers response headers, each with all of its values
 * @param body the body parsed as JSON (object, array, number, string, boolean), the raw text
 *     when it is not JSON, or null when it is empty
 * @param reasonPhrase the standard reason phrase of the status code, empty when unknown
 */
public record PollResponse(
        int statusCode, Map<String, List<String>> headers, Object body, String reasonPhrase) {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("statusCode", statusCode);
        map.put("headers", headers);
        map.put("body", body);
        map.put("reasonPhrase", reasonPhrase);
        return map;
    }
}
