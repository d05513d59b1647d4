package io.longrun.conductor.httppoll;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Server-side settings of the HTTP_POLL task, under {@code longrun.http-poll.*}. Invalid values
 * stop the server at start with a message naming the property.
 */
@ConfigurationProperties(prefix = "longrun.http-poll")
public class HttpPollProperties implements InitializingBean {

    /** Floor of pollingInterval: smaller requested intervals are raised to it (seconds). */
    private long minPollingIntervalSeconds = 1;

    /** pollingInterval used when the task input has none (seconds). */
    private long defaultPollingIntervalSeconds = 60;

    /** maxPollCount used when the task input has none. */
    private int defaultMaxPollCount = 1000;

    /** Timeout of one poll request, connecting included (seconds). */
    private long requestTimeoutSeconds = 10;

    public long getMinPollingIntervalSeconds() {
        return minPollingIntervalSeconds;
    }

    public void setMinPollingIntervalSeconds(long minPollingIntervalSeconds) {
        this.minPollingIntervalSeconds = minPollingIntervalSeconds;
    }

    public long getDefaultPollingIntervalSeconds() {
        return defaultPollingIntervalSeconds;
    }

    public void setDefaultPollingIntervalSeconds(long defaultPollingIntervalSeconds) {
        this.defaultPollingIntervalSeconds = defaultPollingIntervalSeconds;
    }

    public int getDefaultMaxPollCount() {
        return defaultMaxPollCount;
    }

    public void setDefaultMaxPollCount(int defaultMaxPollCount) {
        this.defaultMaxPollCount = defaultMaxPollCount;
    }

    public long getRequestTimeoutSeconds() {
        return requestTimeoutSeconds;
    }

    public void setRequestTimeoutSeconds(long requestTimeoutSeconds) {
        this.requestTimeoutSeconds = requestTimeoutSeconds;
    }

    @Override
    public void afterPropertiesSet() {
        requireAtLeastOne("min-polling-interval-seconds", minPollingIntervalSeconds);
        requireAtLeastOne("default-polling-interval-seconds", defaultPollingIntervalSeconds);
        requireAtLeastOne("default-max-poll-count", defaultMaxPollCount);
        requireAtLeastOne("request-timeout-seconds", requestTimeoutSeconds);
    }

    private static void requireAtLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(
                    "longrun.http-poll." + name + "=" + value + " is invalid; set it to 1 or more");
        }
    }
}
