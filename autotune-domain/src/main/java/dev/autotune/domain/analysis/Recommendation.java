package dev.autotune.domain.analysis;

/**
 * What to try next for one knob, and why.
 *
 * @param knob           the knob, e.g. {@code serving.batch_size}
 * @param suggested      the value to run next: a Long when every tested value of the knob is an integer, a Double
 *                       otherwise; null when there is nothing worth running (see {@link Kind})
 * @param kind           which rule produced the suggestion
 * @param reason         one or two sentences an engineer can paste into a ticket, with the numbers behind them
 * @param bestValue      the best tested value of the knob (within budgets when any value meets them); null when
 *                       none is known. Long or Double like {@code suggested}
 * @param bestExperiment the experiment number that measured the best value (the best of them when several did)
 * @param boundaryValue  the tested value on the far side that breaks a budget: the other end of the interval a
 *                       MIDPOINT or BOUNDARY_FOUND bisects, or for BELOW_SMALLEST, ABOVE_LARGEST and
 *                       NOTHING_MEETS_BUDGET the tested value nearest the suggestion; null when no budget is broken
 */
public record Recommendation(String knob, Object suggested, Kind kind, String reason, Object bestValue,
                             Integer bestExperiment, Object boundaryValue) {

    public enum Kind {
        /** Nothing usable measured yet: run a baseline first. */
        NO_HISTORY,
        /** The untested value halfway between the best value within budgets and the nearest one breaking them. */
        MIDPOINT,
        /** No tested value breaks a budget and the best is the largest tested: go further (double it). */
        EXTEND,
        /**
         * No tested value breaks a budget but the best is not the largest tested, so the optimum lies between
         * the best and a neighbour: try their untested midpoint.
         */
        BISECT,
        /**
         * No tested value breaks a budget and the best already has both neighbours tested at integer
         * resolution: nothing left to try for this knob. Suggestion is null.
         */
        OPTIMUM_FOUND,
        /** No tested value meets the budgets: try half the smallest. */
        BELOW_SMALLEST,
        /**
         * No tested value meets the budgets, but the breaches shrink as the knob grows (e.g. a minimum
         * throughput): try double the largest rather than going smaller.
         */
        ABOVE_LARGEST,
        /**
         * The value breaking a budget lies where the objective gets worse, and the budget it breaks caps the objective
         * itself (minimising a latency that a budget limits): the optimum lies the other way, so try the midpoint
         * toward the other tested neighbour, or half the smallest / double the largest when there is none.
         */
        AWAY_FROM_BOUNDARY,
        /** The budget boundary lies between two adjacent integers that are both tested. Suggestion is null. */
        BOUNDARY_FOUND,
        /** No tested value meets the budgets and there is nothing smaller left to try. Suggestion is null. */
        NOTHING_MEETS_BUDGET
    }
}
