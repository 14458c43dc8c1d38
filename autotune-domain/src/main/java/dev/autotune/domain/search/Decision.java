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

    /**
     * @param anyway what the strategy would propose if asked to go on regardless (`ask --force`), or null when
     *               nothing is left to propose
     */
    record Stop(StopReason reason, String why, Propose anyway) implements Decision {
        public Stop(StopReason reason, String why) {
            this(reason, why, null);
        }
    }

    enum StopReason { TRIAL_BUDGET, TIME_LIMIT, SPACE_EXHAUSTED, NO_EXPECTED_IMPROVEMENT, STOPPED_BY_USER }
}
