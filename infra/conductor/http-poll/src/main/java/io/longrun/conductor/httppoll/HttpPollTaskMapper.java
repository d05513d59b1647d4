package io.longrun.conductor.httppoll;

import com.netflix.conductor.common.metadata.tasks.TaskDef;
import com.netflix.conductor.common.metadata.workflow.WorkflowTask;
import com.netflix.conductor.core.execution.mapper.TaskMapper;
import com.netflix.conductor.core.execution.mapper.TaskMapperContext;
import com.netflix.conductor.core.utils.ParametersUtils;
import com.netflix.conductor.dao.MetadataDAO;
import com.netflix.conductor.model.TaskModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps an HTTP_POLL workflow task to one SCHEDULED task. A task definition is optional: when
 * one is registered under the task's name, its rate limits, isolation group and execution
 * namespace apply.
 */
public class HttpPollTaskMapper implements TaskMapper {

    private final ParametersUtils parametersUtils;
    private final MetadataDAO metadataDAO;

    public HttpPollTaskMapper(ParametersUtils parametersUtils, MetadataDAO metadataDAO) {
        this.parametersUtils = parametersUtils;
        this.metadataDAO = metadataDAO;
    }

    @Override
    public String getTaskType() {
        return HttpPollTask.TASK_TYPE;
    }

    @Override
    public List<TaskModel> getMappedTasks(TaskMapperContext context) {
        WorkflowTask workflowTask = context.getWorkflowTask();
        TaskDef taskDefinition = Optional.ofNullable(context.getTaskDefinition())
                .orElseGet(() -> metadataDAO.getTaskDef(workflowTask.getName()));

        Map<String, Object> input = parametersUtils.getTaskInputV2(
                workflowTask.getInputParameters(),
                context.getWorkflowModel(),
                context.getTaskId(),
                taskDefinition);

        TaskModel task = context.createTaskModel();
        task.setInputData(input);
        task.setStatus(TaskModel.Status.SCHEDULED);
        task.setRetryCount(context.getRetryCount());
        task.setCallbackAfterSeconds(workflowTask.getStartDelay());
        if (taskDefinition != null) {
            task.setRateLimitPerFrequency(taskDefinition.getRateLimitPerFrequency());
            task.setRateLimitFrequencyInSeconds(taskDefinition.getRateLimitFrequencyInSeconds());
            task.setIsolationGroupId(taskDefinition.getIsolationGroupId());
            task.setExecutionNameSpace(taskDefinition.getExecutionNameSpace());
        }
        return List.of(task);
    }
}
