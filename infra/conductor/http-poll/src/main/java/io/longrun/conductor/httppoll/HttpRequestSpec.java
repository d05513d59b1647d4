package io.longrun.conductor.httppoll;

import java.util.Map;

/**
 * One poll's HTTP request, with the fields the HTTP task takes.
 *
 * @param uri absolute http or https URI
 * @param method upper-case HTTP method
 * @param headers extra request headers, values already turned into strings
 * @param body request body: a String is sent as is, anything else as JSON; null sends none
 * @param accept value of the Accept header
 * @param contentType value of the Content-Type header when a body is sent
 */
public record HttpRequestSpec(
        String uri,
        String method,
        Map<String, String> headers,
        Object body,
        String accept,
        String contentType) {}
