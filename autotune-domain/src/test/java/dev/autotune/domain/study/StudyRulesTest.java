package dev.autotune.domain.study;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.Observation.Outcome;
import dev.autotune.domain.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What counts as an observation of a study, and whether an experiment's config lies in its space. */
class StudyRulesTest {
    @Test
    void howAnExperimentCountsForTheSearch() {
        Map<String, Double> served = Map.of("throughput_tokens_per_sec", 900.0, "failure_rate", 0.02);
        assertThat(StudyRules.outcome(ExperimentStatus.COMPLETED, null, served)).isEqualTo(Outcome.COMPLETED);
        assertThat(StudyRules.outcome(ExperimentStatus.COMPLETED, null, Map.of("throughput_tokens_per_sec", 1.0)))
                .isEqualTo(Outcome.COMPLETED);
        assertThat(StudyRules.outcome(ExperimentStatus.COMPLETED, null, Map.of("failure_rate", 1.0)))
                .as("every request failed: nothing was served").isEqualTo(Outcome.FAILED);
        assertThat(StudyRules.outcome(ExperimentStatus.FAILED, "job_failed", Map.of())).isEqualTo(Outcome.FAILED);
        assertThat(StudyRules.outcome(ExperimentStatus.FAILED, "timeout", Map.of())).isEqualTo(Outcome.FAILED);
        assertThat(StudyRules.outcome(ExperimentStatus.FAILED, null, Map.of())).isEqualTo(Outcome.FAILED);
        for (String setUp : List.of("interrupted", "launch_failed", "usage_error", "cancelled")) {
            assertThat(StudyRules.outcome(ExperimentStatus.FAILED, setUp, Map.of())).as(setUp)
                    .isEqualTo(Outcome.ABANDONED);
        }
        assertThat(StudyRules.outcome(ExperimentStatus.ABANDONED, null, Map.of())).isEqualTo(Outcome.ABANDONED);
        assertThat(StudyRules.outcome(ExperimentStatus.RUNNING, null, Map.of())).isNull();
        assertThat(StudyRules.outcome(ExperimentStatus.VALIDATED, null, Map.of())).as("a dry run measured nothing")
                .isNull();
    }

    @Test
    void aConfigLiesInTheSpaceByItsCanonicalKnobsInTheDomainsRepresentation() {
        SearchSpace space = new SearchSpace("chat", List.of(Knob.of("cmd_args.serve.tensor_parallel_size",
                List.of(1, 2), false), Knob.of("cmd_args.serve.kv_cache_dtype", List.of("auto", "fp8"), false)),
                List.of("cmd_args.serve.tensor_parallel_size * 1 <= 2"), null,
                Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);
        // run records the resolved test-run path, ingest --set the space's own path
        assertThat(StudyRules.configIn(space, Map.of("serve.tensor_parallel_size", 2.0, "serve.kv_cache_dtype", "fp8")))
                .contains(Map.of("cmd_args.serve.tensor_parallel_size", 2L, "cmd_args.serve.kv_cache_dtype", "fp8"));
        assertThat(StudyRules.configIn(space, Map.of("cmd_args.serve.tensor_parallel_size", 1,
                "cmd_args.serve.kv_cache_dtype", "auto", "other", 5)))
                .contains(Map.of("cmd_args.serve.tensor_parallel_size", 1L, "cmd_args.serve.kv_cache_dtype", "auto"));
        assertThat(StudyRules.configIn(space, Map.of("serve.tensor_parallel_size", 4, "serve.kv_cache_dtype", "fp8")))
                .as("4 is not in the domain").isEqualTo(Optional.empty());
        assertThat(StudyRules.configIn(space, Map.of("serve.tensor_parallel_size", 1))).as("no kv recorded").isEmpty();
    }
}
