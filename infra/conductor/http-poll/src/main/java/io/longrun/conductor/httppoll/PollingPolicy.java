package io.longrun.conductor.httppoll;

import com.netflix.conductor.model.TaskModel;

/**
 * When to stop polling: the termination condition, the applied interval and strategy, and the
 * poll ceiling.
 *
 * @param terminationCondition JavaScript evaluated after each poll
 * @param intervalRequestedSeconds the pollingInterval from the task input
 * @param intervalAppliedSeconds the interval after clamping to the server's floor
 * @param strategy how the delay grows with the poll count
 * @param maxPollCount the number of polls after which a task that is not done fails
 */
public record PollingPolicy(
        String terminationCondition,
        long intervalRequestedSeconds,
        long intervalAppliedSeconds,
        PollingStrategy strategy,
        int maxPollCount) {

    /** Returns the requested interval raised to the floor when it is below it. */
    public static long clampInterval(long requestedSeconds, long floorSeconds) {
        return Math.max(requestedSeconds, floorSeconds);
    }

    /**
     * Decides the task's next state after poll number {@code pollCount}.
     *
     * @param outcome the condition's outcome, or {@link ConditionOutcome#CONTINUE} when the
     *     request got no response
     */
    public PollDecision decide(ConditionOutcome outcome, int pollCount) {
        return switch (outcome) {
            case COMPLETE -> new PollDecision(TaskModel.Status.COMPLETED, null, 0);
            case FAIL -> new PollDecision(
                    TaskModel.Status.FAILED,
                    "terminationCondition returned a negative value (-1 fails the task) after poll "
                            + pollCount,
                    0);
            case CONTINUE -> pollCount >= maxPollCount
                    ? new PollDecision(
                            TaskModel.Status.FAILED,
                            "maxPollCount "
                                    + maxPollCount
                                    + " reached without the terminationCondition becoming true",
                            0)
                    : new PollDecision(
                            TaskModel.Status.IN_PROGRESS,
                            null,
                            strategy.delaySeconds(intervalAppliedSeconds, pollCount));
        };
    }

    /**
     * The task's next state.
     *
     * @param status COMPLETED, FAILED or IN_PROGRESS
     * @param reason the reasonForIncompletion when FAILED, else null
     * @param delaySeconds the wait before the next poll when IN_PROGRESS, else 0
     */
    public record PollDecision(TaskModel.Status status, String reason, long delaySeconds) {}
}
