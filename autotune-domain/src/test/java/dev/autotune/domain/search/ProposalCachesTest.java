package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a proposal keeps per space between asks (issue 22, item 9): the configs, their positions and their encoding
 * are kept only where they cannot change under it, and give what building them afresh gives.
 */
class ProposalCachesTest {
    @Test
    void aSpacesConfigsAreEnumeratedOnceImmutableAndAsEnumerated() {
        SearchSpace space = ProposalSequenceTest.space();
        List<Map<String, Object>> configs = Spaces.configs(space);
        assertThat(Spaces.configs(space)).isSameAs(configs);
        assertThat(configs).isEqualTo(Spaces.enumerate(space)).hasSize(2_560);
        assertThatThrownBy(() -> configs.get(0).put("serve.tensor_parallel_size", 3L))
                .isInstanceOf(UnsupportedOperationException.class);
        Map<Map<String, Object>, Integer> positions = SpaceIndex.of(space).positions();
        Map<List<Object>, Integer> byValues = SpaceIndex.of(space).positionsByValues();
        assertThat(byValues).hasSize(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            assertThat(positions.get(configs.get(i))).isEqualTo(i);
            assertThat(byValues.get(new ArrayList<>(configs.get(i).values()))).isEqualTo(i);
        }
    }

    @Test
    void anObservationIsFoundByValueAsWrittenAndOneOutsideTheSpaceIsNot() {
        SearchSpace space = ProposalSequenceTest.space();
        SearchState state = new SearchState(space, List.of(), List.of());
        // as a report may write it: numbers as text or doubles, an extra key, the knobs in another order
        Map<String, Object> written = new java.util.LinkedHashMap<>();
        written.put("serve.enable_chunked_prefill", true);
        written.put("serve.kv_cache_dtype", "fp8");
        written.put("serve.max_num_batched_tokens", "8192");
        written.put("serve.tensor_parallel_size", 2.0);
        written.put("serve.max_num_seqs", 160L);
        written.put("unrelated", "x");
        Integer i = state.indexOf(written);
        assertThat(i).isNotNull();
        assertThat(state.configs.get(i)).isEqualTo(Spaces.inDomain(space, written).orElseThrow());
        assertThat(state.index.get(state.configs.get(i))).isEqualTo(i);
        written.put("serve.tensor_parallel_size", 3);
        assertThat(state.indexOf(written)).isNull();
        written.remove("serve.tensor_parallel_size");
        assertThat(state.indexOf(written)).isNull();
    }

    @Test
    void aSpaceWithMoreConfigsThanAreKeptIsEnumeratedEachTime() {
        // 101 x 101 = 10,201 configs, above KEPT_CONFIGS
        SearchSpace space = new SearchSpace("large", List.of(Knob.range("serve.max_num_seqs", 0, 100, 1, false),
                Knob.range("serve.max_num_batched_tokens", 0, 100, 1, false)), List.of(), null,
                Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);
        List<Map<String, Object>> configs = Spaces.configs(space);
        assertThat(configs).hasSizeGreaterThan(SpaceIndex.KEPT_CONFIGS);
        assertThat(Spaces.configs(space)).isNotSameAs(configs).isEqualTo(configs);
    }

    @Test
    void reasonsFormatNumbersAsAFreshFormatWouldAcrossRangesAndAfterOtherValues() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int k = 0; k < 2_000; k++) {
            // magnitudes from 1e-4 to 1e6, both signs, so every pattern is used and reused after another
            double v = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-4, 6));
            double a = Math.abs(v);
            String pattern = a >= 100 ? "#,##0" : a >= 10 ? "#,##0.#" : a >= 1 ? "0.##" : "0.###";
            assertThat(Numbers.format(v)).isEqualTo(new java.text.DecimalFormat(pattern,
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)).format(v));
        }
        assertThat(Numbers.format(2310.4)).isEqualTo("2,310");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void theEncodingIsKeptForTheKeptConfigsOnlyAndEqualsAFreshOne() {
        SearchSpace space = ProposalSequenceTest.space();
        List<Map<String, Object>> configs = Spaces.configs(space);
        EncodedSpace kept = EncodedSpace.of(space, configs);
        assertThat(EncodedSpace.of(space, configs)).isSameAs(kept);
        // a list that is not the space's kept one could change between asks: encoded afresh every time
        List<Map<String, Object>> copy = new ArrayList<>(configs);
        EncodedSpace fresh = EncodedSpace.of(space, copy);
        assertThat(fresh).isNotSameAs(kept);
        assertThat(EncodedSpace.of(space, copy)).isNotSameAs(fresh);
        assertThat(fresh.points()).isDeepEqualTo(kept.points());
        assertThat(fresh.encoding().groups()).isEqualTo(kept.encoding().groups());
    }
}
