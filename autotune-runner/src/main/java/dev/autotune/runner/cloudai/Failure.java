package dev.autotune.runner.cloudai;

import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.OneLine;

import java.util.Objects;

/**
 * Why a run or a step failed.
 *
 * @param category what kind of failure
 * @param message  one line a person can act on
 * @param exitCode cloudai's exit code when it had exited, else null
 */
public record Failure(FailureCategory category, String message, Integer exitCode) {
    public Failure {
        Objects.requireNonNull(category, "category");
        message = OneLine.of(message);
    }

    /** {@code job_failed: Job 123 for test vllm failed: ...} */
    @Override
    public String toString() {
        return category.code() + ": " + message;
    }
}
