package io.longrun.conductor.httppoll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.netflix.conductor.core.utils.ParametersUtils;
import com.netflix.conductor.dao.MetadataDAO;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers HTTP_POLL with the Conductor server. Conductor collects every
 * {@code WorkflowSystemTask} bean into its system task registry (async ones get a queue poller)
 * and every {@code TaskMapper} bean into the decider's mappers, so two beans are all it takes.
 *
 * <p>Loaded through {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}
 * when this jar is on the boot jar's {@code loader.path}.
 */
@AutoConfiguration
@EnableConfigurationProperties(HttpPollProperties.class)
public class HttpPollAutoConfiguration {

    @Bean
    public HttpPollTask httpPollTask(HttpPollProperties properties, ObjectMapper objectMapper) {
        Duration timeout = Duration.ofSeconds(properties.getRequestTimeoutSeconds());
        HttpPollClient client = new HttpPollClient(HttpPollClient.newHttpClient(timeout), objectMapper, timeout);
        return new HttpPollTask(client, properties);
    }

    @Bean
    public HttpPollTaskMapper httpPollTaskMapper(ParametersUtils parametersUtils, MetadataDAO metadataDAO) {
        return new HttpPollTaskMapper(parametersUtils, metadataDAO);
    }
}
