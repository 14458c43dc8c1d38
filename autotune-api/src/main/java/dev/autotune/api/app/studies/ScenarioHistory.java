package dev.autotune.api.app.studies;

import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.study.SpaceHistory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments of a space's scenario that a search without a study ({@code recommend --space}) uses, and the
 * note every search prints on how many it used and why it left the others out.
 */
final class ScenarioHistory {
    private ScenarioHistory() {
    }

    /** Every experiment of the space's scenario, the excluded too: what the observations and the note both read. */
    static List<ExperimentSummary> read(StoreSession session, SearchSpace space) {
        return session.views().list().list(new ListFilter(space.scenario(), null, null, true), 0);
    }

    /** The measured experiments of {@code scenario} in the space; the excluded only with {@code includeExcluded}. */
    static List<Observed> observations(SearchSpace space, List<ExperimentSummary> scenario, boolean includeExcluded) {
        return State.observations(space, includeExcluded ? scenario
                : scenario.stream().filter(e -> e.excludedReason() == null).toList(), Map.of());
    }

    /** {@link SpaceHistory#summary} of the scenario's experiments: used, and left out with why. */
    static String note(SearchSpace space, List<ExperimentSummary> scenario, boolean includeExcluded) {
        int used = 0;
        Map<String, Integer> leftOut = new LinkedHashMap<>();
        for (ExperimentSummary e : scenario) {
            String why;
            if (e.excludedReason() != null && !includeExcluded) {
                why = "are excluded";
            } else if (State.outcome(e) == null) {
                why = e.status() == ExperimentStatus.VALIDATED ? "are dry runs" : "are still running";
            } else {
                why = SpaceHistory.fit(space, e.knobs()).leftOut();
            }
            if (why == null) {
                used++;
            } else {
                leftOut.merge(why, 1, Integer::sum);
            }
        }
        return SpaceHistory.summary(space.scenario(), used, leftOut);
    }
}
