package io.longrun.conductor.httppoll;

/** The termination condition's decision after one poll. */
public enum ConditionOutcome {
    /** True, or a positive number: the task completes. */
    COMPLETE,
    /** False, 0, null or another falsy value: poll again. */
    CONTINUE,
    /** A negative number such as -1: the task fails. */
    FAIL;

    /**
     * Maps a script result to an outcome. Numbers follow the three-way rule (positive, 0,
     * negative); any other value follows JavaScript truthiness, so a non-empty string or an
     * object completes the task.
     */
    public static ConditionOutcome of(Object result) {
        if (result instanceof Boolean flag) {
            return flag ? COMPLETE : CONTINUE;
        }
        if (result instanceof Number number) {
            double value = number.doubleValue();
            if (Double.isNaN(value) || value == 0) {
                return CONTINUE;
            }
            return value > 0 ? COMPLETE : FAIL;
        }
        if (result == null) {
            return CONTINUE;
        }
        if (result instanceof String text) {
            return text.isEmpty() ? CONTINUE : COMPLETE;
        }
        // Objects, arrays and other host values are truthy in JavaScript.
        return COMPLETE;
    }
}
