package io.longrun.conductor.httppoll;

import com.netflix.conductor.core.execution.WorkflowExecutor;
import com.netflix.conductor.core.execution.tasks.WorkflowSystemTask;
import com.netflix.conductor.model.TaskModel;
import com.netflix.conductor.model.WorkflowModel;
import io.longrun.conductor.httppoll.PollingPolicy.PollDecision;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP_POLL system task: calls an HTTP endpoint until a JavaScript termination condition
 * over the response is true.
 *
 * <p>The task is asynchronous and occupies no thread between polls. Each execution by Conductor's
 * system task worker sends one request, evaluates the condition and either ends the task or
 * leaves it IN_PROGRESS. {@link #getEvaluationOffset} then hands the strategy's delay to the
 * worker, which postpones the task's queue message by that many seconds.
 *
 * <p>Output: {@code response} (statusCode, headers, body, reasonPhrase) of the last poll that got
 * one, {@code error} when the last request got none, {@code pollCount} (requests sent so far),
 * {@code pollingIntervalApplied} (seconds, after the server floor), {@code pollingStrategy} and
 * {@code maxPollCount}.
 */
public class HttpPollTask extends WorkflowSystemTask {

    public static final String TASK_TYPE = "HTTP_POLL";

    private static final Logger LOGGER = LoggerFactory.getLogger(HttpPollTask.class);

    private final HttpPollClient client;
    private final HttpPollProperties properties;

    public HttpPollTask(HttpPollClient client, HttpPollProperties properties) {
        super(TASK_TYPE);
        this.client = client;
        this.properties = properties;
    }

    @Override
    public void start(WorkflowModel workflow, TaskModel task, WorkflowExecutor executor) {
        poll(task);
    }

    @Override
    public boolean execute(WorkflowModel workflow, TaskModel task, WorkflowExecutor executor) {
        poll(task);
        return true;
    }

    @Override
    public void cancel(WorkflowModel workflow, TaskModel task, WorkflowExecutor executor) {
        task.setStatus(TaskModel.Status.CANCELED);
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    /** Returns false because the task decides its own completion, so it ignores an asyncComplete input. */
    @Override
    public boolean isAsyncComplete(TaskModel task) {
        return false;
    }

    /** Returns the delay that the last poll chose, so the worker postpones by exactly that. */
    @Override
    public Optional<Long> getEvaluationOffset(TaskModel task, long maxOffset) {
        return Optional.of(task.getCallbackAfterSeconds());
    }

    /** Sends one request, evaluates the condition and sets the task's next state. */
    void poll(TaskModel task) {
        HttpPollInput input;
        try {
            input = HttpPollInput.parse(task.getInputData(), properties);
        } catch (InvalidInputException e) {
            failTerminally(task, e.getMessage());
            return;
        }
        PollingPolicy policy = input.policy();
        int pollCount = previousPollCount(task) + 1;
        if (pollCount == 1) {
            try {
                TerminationCondition.checkSyntax(policy.terminationCondition());
            } catch (ConditionException e) {
                failTerminally(task, e.getMessage());
                return;
            }
            if (policy.intervalAppliedSeconds() != policy.intervalRequestedSeconds()) {
                LOGGER.info(
                        "HTTP_POLL task {} asked for pollingInterval {} s, raised to the floor of {} s",
                        task.getTaskId(),
                        policy.intervalRequestedSeconds(),
                        policy.intervalAppliedSeconds());
            }
        }
        task.addOutput("pollCount", pollCount);
        task.addOutput("pollingIntervalApplied", policy.intervalAppliedSeconds());
        task.addOutput("pollingStrategy", policy.strategy().name());
        task.addOutput("maxPollCount", policy.maxPollCount());

        ConditionOutcome outcome;
        try {
            outcome = requestAndEvaluate(task, input, pollCount);
        } catch (ConditionException | InvalidInputException e) {
            fail(task, e.getMessage());
            return;
        }
        apply(task, policy.decide(outcome, pollCount));
    }

    /** Returns the condition's outcome, or CONTINUE when the request got no response. */
    private ConditionOutcome requestAndEvaluate(TaskModel task, HttpPollInput input, int pollCount)
            throws ConditionException, InvalidInputException {
        PollResponse response;
        try {
            response = client.send(input.request());
        } catch (PollRequestException e) {
            LOGGER.warn("HTTP_POLL task {} poll {} got no response: {}", task.getTaskId(), pollCount, e.getMessage());
            task.removeOutput("response");
            task.addOutput("error", e.getMessage());
            return ConditionOutcome.CONTINUE;
        }
        task.removeOutput("error");
        task.addOutput("response", response.toMap());
        return TerminationCondition.evaluate(
                input.policy().terminationCondition(), response, pollCount, task.getInputData());
    }

    private static void apply(TaskModel task, PollDecision decision) {
        task.setStatus(decision.status());
        if (decision.status() == TaskModel.Status.FAILED) {
            // When the polls ran out because requests failed, that failure is the reason worth reading.
            Object lastError = task.getOutputData().get("error");
            String reason = lastError == null
                    ? decision.reason()
                    : decision.reason() + "; the last poll got no response: " + lastError;
            task.setReasonForIncompletion(reason);
            task.setCallbackAfterSeconds(0);
        } else if (decision.status() == TaskModel.Status.IN_PROGRESS) {
            task.setCallbackAfterSeconds(decision.delaySeconds());
        } else {
            task.setCallbackAfterSeconds(0);
        }
    }

    /** Fails the task so that Conductor does not retry it: the same input would fail the same way. */
    private static void failTerminally(TaskModel task, String reason) {
        fail(task, reason);
        task.setStatus(TaskModel.Status.FAILED_WITH_TERMINAL_ERROR);
    }

    private static void fail(TaskModel task, String reason) {
        LOGGER.info("HTTP_POLL task {} failed: {}", task.getTaskId(), reason);
        task.setStatus(TaskModel.Status.FAILED);
        task.setReasonForIncompletion(reason);
        task.setCallbackAfterSeconds(0);
    }

    private static int previousPollCount(TaskModel task) {
        Object count = task.getOutputData().get("pollCount");
        return count instanceof Number number ? number.intValue() : 0;
    }
}
