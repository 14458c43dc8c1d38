package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
