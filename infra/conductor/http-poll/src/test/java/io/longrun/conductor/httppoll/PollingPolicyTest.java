package io.longrun.conductor.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.netflix.conductor.model.TaskModel;
import io.longrun.conductor.httppoll.PollingPolicy.PollDecision;
import org.junit.jupiter.api.Test;

class PollingPolicyTest {

    private static PollingPolicy policy(PollingStrategy strategy, int maxPollCount) {
        return new PollingPolicy("true", 2, 2, strategy, maxPollCount);
    }

    @Test
    void clampRaisesToFloor() {
        assertEquals(60, PollingPolicy.clampInterval(5, 60));
    }

    @Test
    void clampKeepsIntervalAboveFloor() {
        assertEquals(90, PollingPolicy.clampInterval(90, 60));
    }

    @Test
    void completeCompletesTask() {
        PollDecision decision = policy(PollingStrategy.FIXED, 3).decide(ConditionOutcome.COMPLETE, 1);
        assertEquals(TaskModel.Status.COMPLETED, decision.status());
        assertNull(decision.reason());
    }

    @Test
    void failFailsTaskNamingMinusOne() {
        PollDecision decision = policy(PollingStrategy.FIXED, 3).decide(ConditionOutcome.FAIL, 2);
        assertEquals(TaskModel.Status.FAILED, decision.status());
        assertTrue(decision.reason().contains("-1"), decision.reason());
    }

    @Test
    void continueSchedulesStrategyDelay() {
        PollDecision decision = policy(PollingStrategy.LINEAR_BACKOFF, 10).decide(ConditionOutcome.CONTINUE, 3);
        assertEquals(TaskModel.Status.IN_PROGRESS, decision.status());
        assertEquals(6, decision.delaySeconds());
    }

    @Test
    void continueBelowMaxPollCountKeepsPolling() {
        PollDecision decision = policy(PollingStrategy.FIXED, 3).decide(ConditionOutcome.CONTINUE, 2);
        assertEquals(TaskModel.Status.IN_PROGRESS, decision.status());
    }

    @Test
    void maxPollCountReachedFailsTask() {
        PollDecision decision = policy(PollingStrategy.FIXED, 3).decide(ConditionOutcome.CONTINUE, 3);
        assertEquals(TaskModel.Status.FAILED, decision.status());
        assertTrue(decision.reason().contains("maxPollCount 3"), decision.reason());
    }

    @Test
    void completeOnLastPollStillCompletes() {
        PollDecision decision = policy(PollingStrategy.FIXED, 3).decide(ConditionOutcome.COMPLETE, 3);
        assertEquals(TaskModel.Status.COMPLETED, decision.status());
    }
}
