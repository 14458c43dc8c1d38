package dev.autotune.api.render.export;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.query.ExperimentSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The experiment list as a Markdown table, and the bits of it other renderings reuse. */
final class ExperimentTable {
    private ExperimentTable() {
    }

    /**
     * id, status, scenario, the knobs that vary, the facts the reports state (a column per fact any row has,
     * e.g. model, isl, osl), the headline metrics, and "measured" (when the benchmark ran) when any report says.
     */
    static String markdown(List<ExperimentSummary> rows) {
        List<String> knobs = varyingKnobs(rows);
        TreeSet<String> facts = new TreeSet<>();
        rows.forEach(r -> facts.addAll(r.facts().keySet()));
        boolean measured = rows.stream().anyMatch(r -> r.measuredAt() != null);
        List<String> header = new ArrayList<>(List.of("id", "status", "scenario"));
        header.addAll(knobs);
        header.addAll(facts);
        Metric.HEADLINE.forEach(m -> header.add(m.key()));
        if (measured) {
            header.add("measured");
        }
        MarkdownTable table = new MarkdownTable(header);
        for (ExperimentSummary r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.number()), status(r),
                    Objects.toString(r.scenario(), "")));
            knobs.forEach(k -> cells.add(Numbers.format(r.knobs().get(k))));
            facts.forEach(k -> cells.add(Numbers.format(r.facts().get(k))));
            Metric.HEADLINE.forEach(m -> cells.add(Numbers.format(r.metric(m.key()))));
            if (measured) {
                cells.add(r.measuredAt() == null ? "" : r.measuredAt().toString());
            }
            table.add(cells);
        }
        return table.render();
    }

    /** The knobs whose value differs between rows; see {@link KnobValues#varying}. */
    static List<String> varyingKnobs(List<ExperimentSummary> rows) {
        return KnobValues.varying(rows.stream().map(ExperimentSummary::knobs).toList());
    }

    /** {@code completed}, or {@code failed (timeout)} when there is a failure category to show. */
    static String status(ExperimentSummary r) {
        String code = r.status().code();
        return r.status() == ExperimentStatus.FAILED && r.failureCategory() != null
                ? code + " (" + r.failureCategory() + ")" : code;
    }

    /** {@code serving.batch_size=4, serving.max_num_seqs=128} for the given knobs of a row. */
    static String knobs(ExperimentSummary r, List<String> keys) {
        return String.join(", ", keys.stream().filter(k -> r.knobs().containsKey(k))
                .map(k -> k + "=" + Numbers.format(r.knobs().get(k))).toList());
    }

    /** The normalized metrics a row measured, in declaration order. */
    static Map<Metric, Double> measured(ExperimentSummary r) {
        Map<Metric, Double> out = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            Double v = r.metric(m.key());
            if (v != null) {
                out.put(m, v);
            }
        }
        return out;
    }
}
