package dev.autotune.domain.search;

import java.util.Map;

/** What a strategy decides: run this config next (with its reason in words), or stop the search (and why). */
public sealed interface Decision {
    /**
     * @param repeat true when the config was measured before and is proposed again on purpose (noise leaves the
     *               best uncertain); the reason then says so
     * @param expected what the model expected, or null for strategies without a model
     */
    record Propose(Map<String, Object> config, String reason, Expectation expected, boolean repeat) implements Decision {
        public Propose {
            config = Map.copyOf(config);
        }
    }

    record Stop(StopReason reason, String why) implements Decision {
    }

    enum StopReason { TRIAL_BUDGET, TIME_LIMIT, SPACE_EXHAUSTED, NO_EXPECTED_IMPROVEMENT, STOPPED_BY_USER }
}
