package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** When the model strategy stops, and when it measures its best again first. */
class StopPolicyTest {
    @Test
    void expectedImprovementBelowATenthOfAPercentIsNothingToGain() {
        assertThat(StopPolicy.nothingToGain(0.0009)).isTrue();
        assertThat(StopPolicy.nothingToGain(0.001)).isFalse();
        assertThat(StopPolicy.nothingToGain(0.04)).isFalse();
    }

    @Test
    void aModelIsTrustedWithAStopAfterHalfASmallSpaceAtLeastTenAtMostForty() {
        assertThat(StopPolicy.minTrialsToStop(12)).isEqualTo(10);
        assertThat(StopPolicy.minTrialsToStop(60)).isEqualTo(30);
        assertThat(StopPolicy.minTrialsToStop(2_560)).isEqualTo(40);
        assertThat(StopPolicy.trusted(30, 60)).isTrue();
        assertThat(StopPolicy.trusted(29, 60)).isFalse();
    }

    @Test
    void theBestIsMeasuredAgainWhileItsValueIsUncertainUpToThreeTimesAndNotWhileInFlight() {
        assertThat(StopPolicy.repeatBest(0.05, 1, false)).isTrue();
        assertThat(StopPolicy.repeatBest(0.05, 2, false)).isTrue();
        assertThat(StopPolicy.repeatBest(0.05, 3, false)).as("measured three times").isFalse();
        assertThat(StopPolicy.repeatBest(0.015, 1, false)).as("certain enough").isFalse();
        assertThat(StopPolicy.repeatBest(0.05, 1, true)).as("already being measured again").isFalse();
    }

    @Test
    void aChanceUnderATenthOfAPercentOnTheHeavyTailedPredictiveIsNothingLikely() {
        assertThat(StopPolicy.nothingLikely(0.0009)).isTrue();
        assertThat(StopPolicy.nothingLikely(0.001)).isFalse();
        assertThat(StopPolicy.nothingLikely(0.2)).isFalse();
    }

    @Test
    void aModelSpendsTwoRowsPerPlaneParameterAndKeepsAtLeastOneDegreeOfFreedom() {
        assertThat(StopPolicy.degreesOfFreedom(14, 4)).isEqualTo(6);
        assertThat(StopPolicy.degreesOfFreedom(8, 4)).isEqualTo(1);
        assertThat(StopPolicy.degreesOfFreedom(3, 4)).isEqualTo(1);
    }

    @Test
    void noMeasurementIsTakenAsMoreExactThanTwoPercent() {
        assertThat(Math.sqrt(StopPolicy.noiseFloorVariance())).isCloseTo(Math.log(1.02), within(1e-12));
    }

    @Test
    void theStopSaysWhichRuleFiredAndWhatWasLeft() {
        String tail = StopPolicy.why(true, 0.0004, 0.00002, "tp=2", 14, "best so far 10 tok/s (tp=4)");
        assertThat(tail).startsWith("no untested config has a 0.1% chance to be feasible and better than the best")
                .contains("largest chance to be feasible and better 0.04%")
                .contains("largest expected improvement 0.002% at tp=2").contains("after 14 measurements")
                .endsWith("best so far 10 tok/s (tp=4)");
        assertThat(StopPolicy.why(false, 0.03, 0.0004, "tp=2", 30, "best so far 10 tok/s (tp=4)"))
                .startsWith("no untested config is expected to beat the best by more than 0.1%")
                .contains("largest chance to be feasible and better 3.00%");
    }

    @Test
    void theStopOnTheJointChanceSaysItAndWhatWasLeft() {
        assertThat(StopPolicy.nothingJointlyLikely(0.049)).isTrue();
        assertThat(StopPolicy.nothingJointlyLikely(0.05)).isFalse();
        assertThat(StopPolicy.whyJointly(0.012, false, 0.00002, "tp=2", 14, "best so far 10 tok/s (tp=4)"))
                .startsWith("the chance that any untested config is feasible and better than the best is 1.2%, under 5% "
                        + "(drawn").contains("largest expected improvement 0.002% at tp=2").contains("after 14 measurements")
                .endsWith("best so far 10 tok/s (tp=4)");
        // where the proposals expect nothing, the line is 10%, and the words say both
        assertThat(StopPolicy.whyJointly(0.083, true, 0.00002, "tp=2", 14, "best so far 10 tok/s (tp=4)"))
                .startsWith("the chance that any untested config is feasible and better than the best is 8.3%, under 10% "
                        + "with none expected to beat it by more than 0.1% (drawn");
    }

    @Test
    void withNothingExpectedTheJointLineIsLooserAfterAQuarterOfASmallSpace() {
        assertThat(StopPolicy.JOINT_LIKELY_NOTHING_EXPECTED).isGreaterThan(StopPolicy.JOINT_LIKELY);
        assertThat(StopPolicy.minTrialsToStopJointly(20)).isEqualTo(5);
        assertThat(StopPolicy.minTrialsToStopJointly(60)).isEqualTo(15);
        assertThat(StopPolicy.minTrialsToStopJointly(1000)).isEqualTo(40);
        assertThat(StopPolicy.minTrialsToStopJointly(60)).isLessThan(StopPolicy.minTrialsToStop(60));
        // a search past that quarter that goes on expecting nothing has at least the looser line's chance left
        assertThat(StopPolicy.whyNotYet(16, 60)).contains("and the chance that any one is, at least 10%");
        assertThat(StopPolicy.whyNotYet(4, 60)).contains("and the chance that any one is, at least 5%");
    }

    @Test
    void aSearchThatGoesOnExpectingNothingSaysWhichRuleKeepsItGoing() {
        assertThat(StopPolicy.whyNotYet(4, 30)).isEqualTo("not stopping yet: an untested config still has at least "
                + "a 0.1% chance to be feasible and better with each model's spread widened for how few measurements it "
                + "rests on, and the chance that any one is, at least 5%, and a stop on expected improvement alone "
                + "waits for 15 measurements");
        assertThat(StopPolicy.whyNotYet(4, 7)).endsWith(", and a space of 7 configs is too small to stop on expected "
                + "improvement alone");
        assertThat(StopPolicy.whyNotYet(30, 60)).doesNotContain("waits for");
    }
}
