package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.Recommendation.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.autotune.domain.analysis.History.BATCH;
import static dev.autotune.domain.analysis.History.LAT;
import static dev.autotune.domain.analysis.History.TPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecommenderTest {
    private static final Budget LAT_200 = Budget.parse("latency_ms<=200");

    private static Recommendation one(History h, List<Budget> budgets) {
        return one(h.points(), BATCH, budgets, null);
    }

    private static Recommendation one(List<TuningPoint> h, String knob, List<Budget> budgets, Metric objective) {
        List<Recommendation> recs = Recommender.recommend(h, List.of(knob), budgets, objective);
        assertThat(recs).hasSize(1);
        return recs.get(0);
    }

    @Nested
    class BetweenBestAndBoundary {
        @Test
        void the_classic_sweep_suggests_the_untested_midpoint_between_4_and_8() {
            Recommendation r = one(History.classic(), List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isInstanceOf(Long.class).isEqualTo(6L);
            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.bestExperiment()).isEqualTo(2);
            assertThat(r.boundaryValue()).isEqualTo(8L);
            assertThat(r.knob()).isEqualTo(BATCH);
            assertThat(r.reason()).isEqualTo("serving.batch_size=4 is the best value within budgets "
                    + "(throughput_tokens_per_sec 330, experiment 2); 8 breaks latency_ms<=200 (260 ms, experiment 3); "
                    + "try the untested midpoint 6");
        }

        @Test
        void an_odd_gap_rounds_toward_the_best_value_and_stays_an_integer() {
            History h = History.of().run(BATCH, 4, TPUT, 330, LAT, 160).run(BATCH, 7, TPUT, 400, LAT, 250);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isEqualTo(5L);
        }

        @Test
        void adjacent_integers_mean_the_boundary_is_found_and_nothing_is_suggested() {
            History h = History.of().run(BATCH, 4, TPUT, 330, LAT, 160).run(BATCH, 5, TPUT, 350, LAT, 210);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.BOUNDARY_FOUND);
            assertThat(r.suggested()).isNull();
            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.boundaryValue()).isEqualTo(5L);
            assertThat(r.reason()).contains("5 breaks latency_ms<=200 (210 ms, experiment 2)")
                    .contains("the boundary lies between 4 and 5").contains("keep 4");
        }

        @Test
        void a_float_knob_gets_the_exact_decimal_midpoint_as_a_double() {
            String knob = "serving.gpu_memory_utilization";
            History h = History.of().run(knob, 0.8, TPUT, 300, LAT, 150).run(knob, 0.9, TPUT, 340, LAT, 230);

            Recommendation r = one(h.points(), knob, List.of(LAT_200), null);

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isInstanceOf(Double.class).isEqualTo(0.85);
            assertThat(r.bestValue()).isEqualTo(0.8);
            assertThat(r.reason()).contains("serving.gpu_memory_utilization=0.8").contains("try the untested midpoint 0.85");
        }

        @Test
        void a_knob_written_as_a_float_stays_a_float_even_when_whole() {
            History h = History.of().run(BATCH, 2.0, TPUT, 300, LAT, 150).run(BATCH, 3.0, TPUT, 340, LAT, 230);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isEqualTo(2.5);
        }

        @Test
        void a_percentile_budget_is_checked_on_the_percentile_metric() {
            History h = History.of()
                    .run(BATCH, 1, TPUT, 120, LAT, 90, "latency_p95_ms", 110)
                    .run(BATCH, 4, TPUT, 330, LAT, 160, "latency_p95_ms", 240)
                    .run(BATCH, 8, TPUT, 430, LAT, 190, "latency_p95_ms", 380);

            Recommendation r = one(h, List.of(Budget.parse("latency_p95_ms<=250")));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isEqualTo(6L);
            assertThat(r.reason()).contains("8 breaks latency_p95_ms<=250 (380 ms, experiment 3)");
        }

        @Test
        void a_minimum_throughput_broken_at_the_small_side_searches_below_the_best() {
            // objective latency: smaller batches are faster but 1 and 2 cannot serve 200 tok/s
            History h = History.of()
                    .run(BATCH, 2, TPUT, 150, LAT, 70)
                    .run(BATCH, 8, TPUT, 330, LAT, 160)
                    .run(BATCH, 16, TPUT, 430, LAT, 260);

            Recommendation r = one(h.points(), BATCH, List.of(Budget.parse("throughput_tokens_per_sec>=200")),
                    Metric.LATENCY_MS);

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.bestValue()).isEqualTo(8L);
            assertThat(r.boundaryValue()).isEqualTo(2L);
            assertThat(r.suggested()).isEqualTo(5L);
            assertThat(r.reason()).startsWith("serving.batch_size=8 is the best value within budgets (latency_ms 160, "
                    + "experiment 2); 2 breaks throughput_tokens_per_sec>=200 (150 tok/s, experiment 1)");
        }

        @Test
        void with_latency_as_objective_the_lowest_latency_within_budgets_is_best() {
            History h = History.of()
                    .run(BATCH, 1, TPUT, 120, LAT, 90)
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 8, TPUT, 430, LAT, 260);

            Recommendation r = one(h.points(), BATCH, List.of(Budget.parse("throughput_tokens_per_sec>=300")),
                    Metric.LATENCY_MS);

            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.boundaryValue()).isEqualTo(1L);
            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isEqualTo(3L); // (1+4)/2 = 2.5, rounded toward the best value 4
        }

        @Test
        void broken_on_both_sides_prefers_the_side_where_the_objective_improves() {
            // 1 is too slow (throughput budget), 16 too slow to answer (latency budget); 8 beats 4 on throughput
            History h = History.of()
                    .run(BATCH, 1, TPUT, 120, LAT, 60)
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 16, TPUT, 500, LAT, 400);
            List<Budget> budgets = List.of(LAT_200, Budget.parse("throughput_tokens_per_sec>=150"));

            Recommendation r = one(h, budgets);

            assertThat(r.boundaryValue()).isEqualTo(16L);
            assertThat(r.suggested()).isEqualTo(10L);
            assertThat(r.reason()).contains("1 also breaks throughput_tokens_per_sec>=150 (120 tok/s, experiment 1)")
                    .contains("searching above because throughput_tokens_per_sec does better that way (500 at 16 vs 120 at 1)");
        }

        @Test
        void broken_on_both_sides_searches_below_when_the_objective_improves_downward() {
            History h = History.of()
                    .run(BATCH, 1, TPUT, 120, LAT, 50)
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 16, TPUT, 430, LAT, 400);
            // objective latency: 1 is faster than 4, 16 is slower
            List<Budget> budgets = List.of(LAT_200, Budget.parse("throughput_tokens_per_sec>=150"));

            Recommendation r = one(h.points(), BATCH, budgets, Metric.LATENCY_MS);

            assertThat(r.boundaryValue()).isEqualTo(1L);
            assertThat(r.suggested()).isEqualTo(3L); // (1+4)/2 rounded toward 4
            assertThat(r.reason()).contains("searching below");
        }

        @Test
        void a_tested_midpoint_narrows_the_search_to_the_gap_next_to_the_boundary() {
            History h = History.of()
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 6, TPUT, 320, LAT, 190) // within budget but no better: noise
                    .run(BATCH, 8, TPUT, 430, LAT, 260);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.suggested()).isEqualTo(7L);
            assertThat(r.reason()).contains("the midpoint 6 is already tested, so try 7, between 6 and 8");
        }

        @Test
        void a_tested_midpoint_with_no_room_left_reports_where_the_boundary_is() {
            History h = History.of()
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 5, TPUT, 320, LAT, 190)
                    .run(BATCH, 6, TPUT, 430, LAT, 260);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.BOUNDARY_FOUND);
            assertThat(r.reason()).contains("the midpoint 5 is already tested; the boundary lies between 5 and 6");
        }
    }

    @Nested
    class WhenNothingBreaks {
        @Test
        void without_budgets_the_largest_best_value_is_doubled() {
            Recommendation r = one(History.classic(), List.of());

            assertThat(r.kind()).isEqualTo(Kind.EXTEND);
            assertThat(r.suggested()).isEqualTo(16L);
            assertThat(r.bestValue()).isEqualTo(8L);
            assertThat(r.bestExperiment()).isEqualTo(3);
            assertThat(r.boundaryValue()).isNull();
            assertThat(r.reason()).isEqualTo("serving.batch_size=8 is the best value tested "
                    + "(throughput_tokens_per_sec 430, experiment 3) and the largest tested; no budgets given, "
                    + "so extend beyond it: try 16 (double 8)");
        }

        @Test
        void with_budgets_that_all_hold_the_reason_names_them() {
            Recommendation r = one(History.classic(), List.of(Budget.parse("latency_ms<=500")));

            assertThat(r.kind()).isEqualTo(Kind.EXTEND);
            assertThat(r.reason()).contains("within budgets").contains("no tested value breaks latency_ms<=500");
        }

        @Test
        void a_best_of_zero_extends_by_one() {
            String knob = "serving.num_speculative_tokens";
            History h = History.of().run(knob, 0, TPUT, 300);

            Recommendation r = one(h.points(), knob, null, null);

            assertThat(r.kind()).isEqualTo(Kind.EXTEND);
            assertThat(r.suggested()).isEqualTo(1L);
            assertThat(r.reason()).contains("try 1 (0 + 1)");
        }

        @Test
        void a_best_that_is_not_the_largest_bisects_toward_its_better_neighbour() {
            History h = History.of()
                    .run(BATCH, 2, TPUT, 200)
                    .run(BATCH, 8, TPUT, 400)
                    .run(BATCH, 16, TPUT, 350)
                    .run(BATCH, 32, TPUT, 300);

            Recommendation r = one(h, List.of());

            assertThat(r.kind()).isEqualTo(Kind.BISECT);
            assertThat(r.suggested()).isEqualTo(12L);
            assertThat(r.bestValue()).isEqualTo(8L);
            assertThat(r.reason()).contains("serving.batch_size=8 is the best value tested")
                    .contains("but not the largest tested: 16 does worse (throughput_tokens_per_sec 350, experiment 3)")
                    .contains("bisect toward 16 and try 12");
        }

        @Test
        void a_best_whose_neighbours_are_adjacent_integers_is_the_optimum() {
            History h = History.of().run(BATCH, 3, TPUT, 300).run(BATCH, 4, TPUT, 330).run(BATCH, 5, TPUT, 310);

            Recommendation r = one(h, List.of());

            assertThat(r.kind()).isEqualTo(Kind.OPTIMUM_FOUND);
            assertThat(r.suggested()).isNull();
            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.reason()).contains("beats its tested neighbours 5 (310) and 3 (300)").contains("keep 4");
        }

        @Test
        void when_one_neighbour_is_adjacent_the_other_side_is_bisected() {
            History h = History.of().run(BATCH, 2, TPUT, 250).run(BATCH, 4, TPUT, 330).run(BATCH, 5, TPUT, 320);

            Recommendation r = one(h, List.of());

            assertThat(r.kind()).isEqualTo(Kind.BISECT);
            assertThat(r.suggested()).isEqualTo(3L);
        }
    }

    @Nested
    class WhenNothingMeetsTheBudgets {
        @Test
        void the_smallest_is_halved() {
            History h = History.of().run(BATCH, 4, TPUT, 330, LAT, 160).run(BATCH, 8, TPUT, 430, LAT, 260);

            Recommendation r = one(h, List.of(Budget.parse("latency_ms<=100")));

            assertThat(r.kind()).isEqualTo(Kind.BELOW_SMALLEST);
            assertThat(r.suggested()).isEqualTo(2L);
            assertThat(r.bestValue()).isNull();
            assertThat(r.bestExperiment()).isNull();
            assertThat(r.boundaryValue()).isEqualTo(4L);
            assertThat(r.reason()).isEqualTo("no tested value of serving.batch_size meets the budgets: the smallest, 4, "
                    + "breaks latency_ms<=100 (160 ms, experiment 1); try 2, half of it");
        }

        @Test
        void an_odd_smallest_is_floored() {
            History h = History.of().run(BATCH, 3, TPUT, 330, LAT, 160);

            assertThat(one(h, List.of(Budget.parse("latency_ms<=100"))).suggested()).isEqualTo(1L);
        }

        @Test
        void a_float_smallest_is_halved_exactly() {
            String knob = "serving.gpu_memory_utilization";
            History h = History.of().run(knob, 0.9, TPUT, 300, LAT, 260);

            Recommendation r = one(h.points(), knob, List.of(LAT_200), null);

            assertThat(r.kind()).isEqualTo(Kind.BELOW_SMALLEST);
            assertThat(r.suggested()).isEqualTo(0.45);
        }

        @Test
        void when_the_smallest_is_already_1_it_advises_loosening_the_budgets() {
            Recommendation r = one(History.classic(), List.of(Budget.parse("latency_ms<=50")));

            assertThat(r.kind()).isEqualTo(Kind.NOTHING_MEETS_BUDGET);
            assertThat(r.suggested()).isNull();
            assertThat(r.boundaryValue()).isEqualTo(1L);
            assertThat(r.reason()).isEqualTo("no tested value of serving.batch_size meets the budgets: even the "
                    + "smallest, 1, breaks latency_ms<=50 (90 ms, experiment 1) and there is no smaller value to try; "
                    + "loosen the budgets (best measured latency_ms is 90 ms at serving.batch_size=1, experiment 1) "
                    + "or tune another knob");
        }

        @Test
        void when_half_the_smallest_is_already_tested_it_advises_loosening_the_budgets() {
            History h = History.of()
                    .run(BATCH, 2, LAT, 80) // no throughput: ignored, but 2 counts as tested
                    .run(BATCH, 4, TPUT, 330, LAT, 160);

            Recommendation r = one(h, List.of(Budget.parse("latency_ms<=50")));

            assertThat(r.kind()).isEqualTo(Kind.NOTHING_MEETS_BUDGET);
            assertThat(r.reason()).contains("2, half of it, is already tested").contains("loosen the budgets")
                    .endsWith("ignored experiment 1 (no throughput_tokens_per_sec)");
        }

        @Test
        void a_minimum_throughput_nobody_reaches_goes_above_the_largest_instead_of_halving() {
            Recommendation r = one(History.classic(), List.of(Budget.parse("throughput_tokens_per_sec>=500")));

            assertThat(r.kind()).isEqualTo(Kind.ABOVE_LARGEST);
            assertThat(r.suggested()).isEqualTo(16L);
            assertThat(r.boundaryValue()).isEqualTo(8L);
            assertThat(r.reason()).contains("the breaches shrink as serving.batch_size grows")
                    .contains("8 breaks throughput_tokens_per_sec>=500 (430 tok/s, experiment 3)")
                    .contains("try 16");
        }
    }

    @Nested
    class WithoutHistory {
        @Test
        void an_empty_history_asks_for_a_baseline_for_every_knob() {
            List<Recommendation> recs = Recommender.recommend(List.of(), List.of(BATCH, "serving.max_num_seqs"),
                    List.of(LAT_200), null);

            assertThat(recs).extracting(Recommendation::kind).containsExactly(Kind.NO_HISTORY, Kind.NO_HISTORY);
            assertThat(recs).allSatisfy(r -> assertThat(r.suggested()).isNull());
            assertThat(recs.get(0).reason()).isEqualTo("no completed experiments yet: run a baseline with "
                    + "serving.batch_size at its default, then autotune recommend again");
        }

        @Test
        void no_experiment_of_the_scenario_is_no_history_for_that_scenario() {
            List<Recommendation> recs = Recommender.recommend(History.classic().points(), "mixtral-long-context",
                    List.of(BATCH), List.of(), null);

            assertThat(recs.get(0).kind()).isEqualTo(Kind.NO_HISTORY);
            assertThat(recs.get(0).reason()).startsWith("no completed experiments of scenario 'mixtral-long-context' yet");
        }

        @Test
        void the_scenario_filter_keeps_only_that_scenarios_experiments() {
            List<TuningPoint> mixed = new java.util.ArrayList<>(History.classic().points());
            mixed.add(new TuningPoint(4, "exp-4", "other", new java.util.TreeMap<>(Map.of(BATCH, 6)),
                    History.metrics(TPUT, 999, LAT, 100)));

            Recommendation r = Recommender.recommend(mixed, History.SCENARIO, List.of(BATCH), List.of(LAT_200), null)
                    .get(0);

            assertThat(r.suggested()).isEqualTo(6L);
        }

        @Test
        void experiments_without_the_objective_are_ignored_and_say_so() {
            History h = History.of().run(BATCH, 1, LAT, 90).run(BATCH, 4, LAT, 160);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.kind()).isEqualTo(Kind.NO_HISTORY);
            assertThat(r.reason()).contains("ignored experiments 1, 2 (no throughput_tokens_per_sec)")
                    .contains("run a baseline with serving.batch_size at its default");
        }
    }

    @Nested
    class Validation {
        @Test
        void an_unknown_knob_is_rejected_naming_the_known_ones() {
            History h = History.of().run(Map.of(BATCH, 4, "serving.max_num_seqs", 128), TPUT, 300);

            assertThatThrownBy(() -> one(h.points(), "serving.batchsize", List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown knob 'serving.batchsize' (knobs in history: serving.batch_size, serving.max_num_seqs)");
        }

        @Test
        void a_non_numeric_knob_is_rejected_by_name() {
            History h = History.of().run("serving.kv_cache_dtype", "fp8", TPUT, 300)
                    .run("serving.kv_cache_dtype", "auto", TPUT, 280);

            assertThatThrownBy(() -> one(h.points(), "serving.kv_cache_dtype", List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("knob 'serving.kv_cache_dtype' is not numeric")
                    .hasMessageContaining("auto, fp8");
        }

        @Test
        void a_minimised_objective_that_grows_toward_the_budget_is_not_searched_at_the_budgets_edge() {
            // latency as the objective: 1 is best (90 ms), 4 is worse (160 ms), 8 breaks the budget (260 ms)
            Recommendation r = one(History.classic().points(), BATCH, List.of(LAT_200), Metric.LATENCY_MS);

            assertThat(r.bestValue()).isEqualTo(1L);
            assertThat(r.suggested()).isNull();
            assertThat(r.kind()).isEqualTo(Recommendation.Kind.OPTIMUM_FOUND);
            assertThat(r.reason()).startsWith("serving.batch_size=1 is the best value within budgets (latency_ms 90,"
                    + " experiment 1); latency_ms gets worse toward 8 (160 at 4), and 8 breaks latency_ms<=200 (260 ms,"
                    + " experiment 3), and there is no smaller value to try: keep 1");
        }

        @Test
        void a_numeric_knob_recorded_once_as_a_word_is_judged_on_its_numbers_and_says_what_it_left_out() {
            History h = History.classic().run(BATCH, "auto", TPUT, 500.0, LAT, 100.0);

            Recommendation r = one(h.points(), BATCH, List.of(LAT_200), null);

            assertThat(r.suggested()).isEqualTo(6L);
            assertThat(r.reason()).contains("left out experiment 4 (serving.batch_size auto, not a number)");
        }

        @Test
        void a_boolean_knob_is_rejected_by_name() {
            History h = History.of().run("serving.enable_prefix_caching", true, TPUT, 300);

            assertThatThrownBy(() -> one(h.points(), "serving.enable_prefix_caching", List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'serving.enable_prefix_caching' is not numeric");
        }

        @Test
        void a_history_of_several_scenarios_is_rejected() {
            List<TuningPoint> mixed = new java.util.ArrayList<>(History.classic().points());
            mixed.add(new TuningPoint(4, "exp-4", "other", new java.util.TreeMap<>(Map.of(BATCH, 6)),
                    History.metrics(TPUT, 999)));

            assertThatThrownBy(() -> Recommender.recommend(mixed, List.of(BATCH), List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("history mixes scenarios llama3-8b-chat, other");
        }

        @Test
        void each_rejection_names_the_input_it_is_about_as_data() {
            List<TuningPoint> mixed = new java.util.ArrayList<>(History.classic().points());
            mixed.add(new TuningPoint(4, "exp-4", "other", new java.util.TreeMap<>(Map.of(BATCH, 6)),
                    History.metrics(TPUT, 999)));
            assertThatThrownBy(() -> Recommender.recommend(mixed, List.of(BATCH), List.of(), null))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.input()).isEqualTo(InvalidInput.SCENARIO));
            assertThatThrownBy(() -> one(History.classic().points(), "serving.batchsize", List.of(), null))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.input()).isEqualTo(InvalidInput.KNOB));
            History words = History.of().run("serving.kv_cache_dtype", "fp8", TPUT, 300);
            assertThatThrownBy(() -> one(words.points(), "serving.kv_cache_dtype", List.of(), null))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.input()).isEqualTo(InvalidInput.KNOB));
        }
    }

    @Nested
    class RepeatedValues {
        @Test
        void a_value_meets_the_budgets_only_if_every_run_at_it_does() {
            History h = History.of()
                    .run(BATCH, 1, TPUT, 120, LAT, 90)
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 8, TPUT, 430, LAT, 190)
                    .run(BATCH, 8, TPUT, 420, LAT, 230); // the repeat of 8 breaks: 8 is not safe

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.boundaryValue()).isEqualTo(8L);
            assertThat(r.suggested()).isEqualTo(6L);
            assertThat(r.reason()).contains("8 breaks latency_ms<=200 (230 ms, experiment 4)");
        }

        @Test
        void the_objective_of_a_repeated_value_is_the_mean() {
            History h = History.of()
                    .run(BATCH, 4, TPUT, 300, LAT, 160)
                    .run(BATCH, 4, TPUT, 360, LAT, 170)
                    .run(BATCH, 8, TPUT, 320, LAT, 180);

            Recommendation r = one(h, List.of(LAT_200));

            // mean of 4 is 330 > 320, so 4 is best and not the largest: bisect
            assertThat(r.kind()).isEqualTo(Kind.BISECT);
            assertThat(r.bestValue()).isEqualTo(4L);
            assertThat(r.bestExperiment()).isEqualTo(2);
            assertThat(r.reason()).contains("(throughput_tokens_per_sec 330, mean of experiments 1, 2)");
        }

        @Test
        void a_run_missing_a_budgeted_metric_is_ignored_not_counted_as_passing() {
            History h = History.of()
                    .run(BATCH, 4, TPUT, 330, LAT, 160, "latency_p95_ms", 190)
                    .run(BATCH, 8, TPUT, 430, LAT, 190) // no p95: cannot tell
                    .run(BATCH, 12, TPUT, 500, LAT, 260, "latency_p95_ms", 400);

            Recommendation r = one(h, List.of(Budget.parse("latency_p95_ms<=250")));

            assertThat(r.kind()).isEqualTo(Kind.MIDPOINT);
            assertThat(r.boundaryValue()).isEqualTo(12L);
            assertThat(r.suggested()).isEqualTo(10L); // 8, though tested, says nothing about the budget
            assertThat(r.reason()).contains("ignored experiment 2 (no latency_p95_ms to check the budgets against)");
        }
    }

    @Nested
    class SeveralKnobs {
        private static final String SEQS = "serving.max_num_seqs";

        private History grid() {
            return History.of()
                    .run(Map.of(BATCH, 4, SEQS, 128), TPUT, 300, LAT, 150)
                    .run(Map.of(BATCH, 8, SEQS, 128), TPUT, 380, LAT, 190)
                    .run(Map.of(BATCH, 16, SEQS, 128), TPUT, 450, LAT, 260)
                    .run(Map.of(BATCH, 8, SEQS, 256), TPUT, 360, LAT, 180)
                    .run(Map.of(BATCH, 8, SEQS, 64), TPUT, 330, LAT, 170)
                    .run(Map.of(BATCH, 32, SEQS, 256), TPUT, 900, LAT, 150); // a different regime
        }

        @Test
        void each_knob_is_judged_with_the_other_held_at_the_best_runs_value() {
            List<Recommendation> recs = Recommender.recommend(grid().points(), List.of(BATCH, SEQS),
                    List.of(LAT_200), null);

            // best run is experiment 6 (batch 32, seqs 256): batch is judged among seqs=256 (8 and 32),
            // seqs among batch=32, where only 256 was tried: runs at other batch sizes say nothing about seqs here
            Recommendation batch = recs.get(0);
            assertThat(batch.knob()).isEqualTo(BATCH);
            assertThat(batch.bestValue()).isEqualTo(32L);
            assertThat(batch.kind()).isEqualTo(Kind.EXTEND);
            assertThat(batch.reason()).contains("compared among experiments with serving.max_num_seqs=256, as in the "
                    + "best run (experiment 6)");

            Recommendation seqs = recs.get(1);
            assertThat(seqs.knob()).isEqualTo(SEQS);
            assertThat(seqs.reason()).contains("compared among experiments with serving.batch_size=32");
            assertThat(seqs.kind()).isEqualTo(Kind.EXTEND);
            assertThat(seqs.suggested()).isEqualTo(512L);
        }

        @Test
        void a_knob_on_its_slice_ignores_runs_with_other_values_of_the_held_knob() {
            History h = grid();
            List<TuningPoint> withoutRegime = h.points().subList(0, 5);

            List<Recommendation> recs = Recommender.recommend(withoutRegime, List.of(BATCH, SEQS), List.of(LAT_200), null);

            // best run is experiment 2 (batch 8, seqs 128); batch among seqs=128: 4, 8, 16 with 16 breaking; a
            // doubling sweep lives on powers of two, and none lies between 8 and 16: settled (issue 20)
            assertThat(recs.get(0).kind()).isEqualTo(Kind.BOUNDARY_FOUND);
            assertThat(recs.get(0).suggested()).isNull();
            assertThat(recs.get(0).reason()).contains("serving.max_num_seqs=128").contains("no power of two")
                    .contains("keep 8; serving.batch_size is settled there");
            // seqs among batch=8: 64, 128, 256; 128 best within budgets, nothing breaks, 128 not largest, and no
            // power of two lies between it and its neighbours
            assertThat(recs.get(1).kind()).isEqualTo(Kind.OPTIMUM_FOUND);
            assertThat(recs.get(1).bestValue()).isEqualTo(128L);
            assertThat(recs.get(1).suggested()).isNull();
            assertThat(recs.get(1).reason()).contains("serving.batch_size=8").contains("settled there");
        }

        @Test
        void a_knob_asked_about_alone_is_judged_with_the_knobs_nobody_asked_about_held_at_the_best_run() {
            String tp = "serve.tensor_parallel_size";
            String conc = "load.concurrency";
            // one GPU breaks the budget at every concurrency; two GPUs meet it at both, and check passes those
            History h = History.of()
                    .run(Map.of(tp, 1, conc, 4), TPUT, 200, LAT, 250)
                    .run(Map.of(tp, 1, conc, 8), TPUT, 260, LAT, 300)
                    .run(Map.of(tp, 2, conc, 4), TPUT, 300, LAT, 120)
                    .run(Map.of(tp, 2, conc, 8), TPUT, 420, LAT, 180);

            Recommendation r = one(h.points(), conc, List.of(LAT_200), null);

            assertThat(r.reason()).doesNotContain("meets the budgets")
                    .contains("compared among experiments with serve.tensor_parallel_size=2, as in the best run (experiment 4)");
            assertThat(r.bestValue()).isEqualTo(8L);
            assertThat(r.kind()).isEqualTo(Kind.EXTEND);
            assertThat(r.suggested()).isEqualTo(16L);
        }

        @Test
        void a_knob_that_moves_with_another_in_every_run_is_not_held_still_with_it() {
            // concurrency set equal to max_num_seqs in every run, tp varied on top: holding concurrency at the best
            // run's 64 would leave max_num_seqs one value (64) and nothing to recommend from
            String tp = "serve.tensor_parallel_size";
            String conc = "load.concurrency";
            History h = History.of()
                    .run(Map.of(SEQS, 16, conc, 16, tp, 1), TPUT, 200, LAT, 80)
                    .run(Map.of(SEQS, 32, conc, 32, tp, 1), TPUT, 320, LAT, 120)
                    .run(Map.of(SEQS, 64, conc, 64, tp, 1), TPUT, 420, LAT, 190)
                    .run(Map.of(SEQS, 64, conc, 64, tp, 2), TPUT, 300, LAT, 150);

            Recommendation r = one(h.points(), SEQS, List.of(LAT_200), null);

            assertThat(r.bestValue()).isEqualTo(64L);
            assertThat(r.kind()).isEqualTo(Kind.EXTEND);
            assertThat(r.suggested()).isEqualTo(128L);
            assertThat(r.reason()).contains("compared among experiments with serve.tensor_parallel_size=1, as in the "
                    + "best run (experiment 3); load.concurrency moves with it in every experiment, so the curve is "
                    + "theirs too");
        }

        @Test
        void a_knob_some_runs_do_not_set_is_analysed_on_the_runs_that_do() {
            History h = History.of()
                    .run(Map.of("serving.max_num_seqs", 128), TPUT, 100, LAT, 100)
                    .run(BATCH, 4, TPUT, 330, LAT, 160)
                    .run(BATCH, 8, TPUT, 430, LAT, 260);

            Recommendation r = one(h, List.of(LAT_200));

            assertThat(r.suggested()).isEqualTo(6L);
            assertThat(r.reason()).endsWith("left out experiment 1 (serving.batch_size not set)");
        }
    }

    @Test
    void a_knob_named_twice_is_answered_once() {
        List<Recommendation> recs = Recommender.recommend(History.classic().points(), List.of(BATCH, BATCH),
                List.of(LAT_200), null);

        assertThat(recs).hasSize(1);
    }

    @Test
    void numbers_stored_as_long_or_integer_are_the_same_value() {
        History h = History.of().run(BATCH, 4, TPUT, 330, LAT, 160).run(BATCH, 4L, TPUT, 330, LAT, 160)
                .run(BATCH, 8L, TPUT, 430, LAT, 260);

        Recommendation r = one(h, List.of(LAT_200));

        assertThat(r.suggested()).isEqualTo(6L);
        assertThat(r.reason()).contains("mean of experiments 1, 2");
    }
}
