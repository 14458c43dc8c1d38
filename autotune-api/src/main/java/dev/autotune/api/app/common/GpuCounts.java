package dev.autotune.api.app.common;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.domain.analysis.TuningPoint;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.search.PerGpu;
import dev.autotune.domain.search.SpaceError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code --gpus EXPR} of {@code check}, {@code list}, {@code diff}, {@code export} and {@code recommend}
 * ({@code gpus=} over HTTP): the {@link PerGpu} rule applied to recorded experiments, adding their per-GPU metrics
 * before the command reads them, and a note for each experiment whose knobs give no GPU count. One instance per
 * command call: it collects the notes of the experiments it saw.
 */
public final class GpuCounts {
    /** Where a per-GPU metric is named in a filter or column list; names are words of letters, digits and '_'. */
    private static final Pattern PER_GPU_NAME = Pattern.compile("(?<![A-Za-z0-9_])("
            + String.join("|", PerGpu.METRICS.keySet()) + ")(?![A-Za-z0-9_])", Pattern.CASE_INSENSITIVE);

    private final PerGpu rule;
    private final SortedMap<Integer, String> notes = new TreeMap<>();

    private GpuCounts(PerGpu rule) {
        this.rule = rule;
    }

    /**
     * The rule of {@code --gpus}, its names resolved among the knobs of the experiments it applies to; null when no
     * expression is given. A bad expression or a name that is no knob of them is bad input on {@code gpus}.
     */
    public static GpuCounts of(String expression, Collection<String> knobPaths) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        try {
            return new GpuCounts(PerGpu.parse(expression.trim(), "gpus", knobPaths));
        } catch (SpaceError e) {
            String message = e.getMessage().startsWith("gpus: ") ? e.getMessage().substring(6) : e.getMessage();
            throw new UserError("gpus", message + (knobPaths.isEmpty() ? " (no experiment here has knobs)" : ""), e);
        }
    }

    /**
     * Refuses a per-GPU metric (an objective, a budget) when no GPU count is given: it could never have a value,
     * so every verdict on it would be UNKNOWN.
     */
    public static void require(String expression, List<Budget> budgets, Metric... objectives) {
        if (expression != null && !expression.isBlank()) {
            return;
        }
        for (Metric m : objectives) {
            if (m != null && m.perGpuOf() != null) {
                throw missing(m.key());
            }
        }
        for (Budget b : budgets) {
            if (b.metric().perGpuOf() != null) {
                throw missing(b.metric().key());
            }
        }
    }

    /** The same for names in free text: a list filter, sort or column list. */
    public static void require(String expression, String... texts) {
        if (expression != null && !expression.isBlank()) {
            return;
        }
        for (String t : texts) {
            String named = perGpuNamed(t);
            if (named != null) {
                throw missing(named);
            }
        }
    }

    /** The first per-GPU metric a filter, sort or column list names; null when it names none. */
    public static String perGpuNamed(String text) {
        var m = text == null ? null : PER_GPU_NAME.matcher(text);
        return m != null && m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    private static UserError missing(String metric) {
        return new UserError("gpus", metric + " needs the GPU count of each experiment: pass --gpus EXPR (over HTTP "
                + "gpus=EXPR), an expression over the knobs such as tp or tp * pp");
    }

    public String expression() {
        return rule.text();
    }

    /** Why some experiments have no per-GPU metrics, by experiment number: "experiment 3: no value for knob ...". */
    public List<String> notes() {
        return notes(notes.keySet());
    }

    /** The notes of these experiments only (those a filter kept). */
    public List<String> notes(Collection<Integer> numbers) {
        List<String> out = new ArrayList<>();
        notes.forEach((n, why) -> {
            if (numbers.contains(n)) {
                out.add("experiment " + n + ": no per-GPU metrics (" + why + ")");
            }
        });
        return out;
    }

    /** The metrics with the per-GPU ones; records a note when the knobs give no count and there was something to divide. */
    public SortedMap<String, Double> metrics(int number, Map<String, ?> knobs, Map<String, Double> metrics) {
        PerGpu.Derived d = rule.apply(knobs == null ? Map.of() : knobs, metrics == null ? Map.of() : metrics);
        boolean anyBase = PerGpu.METRICS.values().stream().anyMatch(b -> d.metrics().get(b.key()) != null);
        if (d.note() != null && anyBase) {
            notes.put(number, d.note());
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(d.metrics()));
    }

    public TuningPoint apply(TuningPoint p) {
        return new TuningPoint(p.number(), p.experimentId(), p.scenario(), p.knobs(),
                metrics(p.number(), p.knobs(), p.metrics()));
    }

    /** A measured experiment, its knobs looked up by number (an experiment without knobs gets a note). */
    public Measured apply(Measured m, Map<Integer, ? extends Map<String, ?>> knobsByNumber) {
        return new Measured(m.number(), m.experimentId(), m.scenario(),
                metrics(m.number(), Objects.requireNonNullElse(knobsByNumber.get(m.number()), Map.of()), m.metrics()));
    }

    public ExperimentSummary apply(ExperimentSummary r) {
        return new ExperimentSummary(r.number(), r.experimentId(), r.scenario(), r.backend(), r.status(), r.source(),
                r.runId(), r.knobs(), metrics(r.number(), r.knobs(), r.metrics()), r.notes(), r.startedAt(),
                r.endedAt(), r.failureCategory(), r.tags(), r.excludedReason(), r.measuredAt(), r.facts());
    }

    public ExperimentDetail apply(ExperimentDetail d) {
        return new ExperimentDetail(d.number(), d.experimentId(), d.scenario(), d.backend(), d.status(), d.source(),
                d.runId(), d.configPath(), d.configSha256(), d.notes(), d.config(), d.metadata(),
                metrics(d.number(), d.config(), d.metrics()), d.startedAt(), d.endedAt(), d.failureCategory(),
                d.failureMessage(), d.exitCode(), d.logPath(), d.reports(), d.timeline(), d.tags(), d.excludedReason());
    }

    /** Every knob path of these experiments' knobs, which a {@code --gpus} expression's names resolve among. */
    public static java.util.Set<String> knobPaths(java.util.Collection<? extends Map<String, ?>> knobs) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        knobs.forEach(k -> out.addAll(k.keySet()));
        return out;
    }
}
