package dev.autotune.api.app.analysis;

import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.GpuCounts;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.history.History;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.ExperimentDiff;
import dev.autotune.domain.analysis.InvalidInput;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.analysis.Recommender;
import dev.autotune.domain.analysis.Sensitivity;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.runner.config.ConfigDeriver;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.TomlValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Analysis: recommendations, the diff of two experiments, exports (as data: the adapters render them) and configs
 * derived from recommendations.
 */
public final class Analysis {
    private final StoreSession session;
    private final History history;
    private final Budgets budgets;

    public Analysis(StoreSession session, History history, Budgets budgets) {
        this.session = session;
        this.history = history;
        this.budgets = budgets;
    }

    /**
     * The recommendations, with the objective and budgets they were made for.
     *
     * @param objective the metric to optimise; null or blank means the recommender's default
     */
    public record Recommended(Metric objective, List<Budget> budgets, List<Recommendation> recommendations,
                              List<String> gpuNotes) {
        public Recommended(Metric objective, List<Budget> budgets, List<Recommendation> recommendations) {
            this(objective, budgets, recommendations, List.of());
        }
    }

    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario) {
        return recommend(knobs, budgets, objective, scenario, false);
    }

    /** The recommendations; the history they reason over holds the excluded experiments only with {@code includeExcluded}. */
    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario,
                                 boolean includeExcluded) {
        return recommend(knobs, budgets, objective, scenario, includeExcluded, null);
    }

    /** The recommendations, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario,
                                 boolean includeExcluded, String gpus) {
        List<String> names = Inputs.knobNames(knobs);
        if (names.isEmpty()) {
            throw new UserError("knob", "name at least one knob, e.g. serving.batch_size");
        }
        Metric goal = Inputs.objective(objective);
        session.catchUp();
        List<Budget> limits = this.budgets.inForce(budgets);
        GpuCounts.require(gpus, limits, goal);
        List<String> notes = new ArrayList<>();
        return new Recommended(goal, limits, recommended(names, limits, goal, Inputs.blankToNull(scenario), includeExcluded,
                gpus, notes), notes);
    }

    private List<Recommendation> recommended(List<String> knobs, List<Budget> budgets, Metric objective,
                                             String scenario, boolean includeExcluded) {
        return recommended(knobs, budgets, objective, scenario, includeExcluded, null, new ArrayList<>());
    }

    /** @param gpuNotes receives why some experiments have no per-GPU metrics */
    private List<Recommendation> recommended(List<String> knobs, List<Budget> budgets, Metric objective,
                                             String scenario, boolean includeExcluded, String gpus,
                                             List<String> gpuNotes) {
        try {
            List<dev.autotune.domain.analysis.TuningPoint> history = session.views().recommendation().completed(scenario,
                    includeExcluded);
            GpuCounts perGpu = GpuCounts.of(gpus, GpuCounts.knobPaths(history.stream()
                    .map(dev.autotune.domain.analysis.TuningPoint::knobs).toList()));
            if (perGpu != null) {
                history = history.stream().map(perGpu::apply).toList();
                gpuNotes.addAll(perGpu.notes());
            }
            Set<String> scenarios = history.stream().map(dev.autotune.domain.analysis.TuningPoint::scenario)
                    .collect(java.util.stream.Collectors.toSet());
            if (scenarios.size() == 1 && scenarios.iterator().next() != null) {
                // one scenario: the values its search spaces declare are each knob's lattice
                String only = scenarios.iterator().next();
                return Recommender.recommend(history, only, knobs, budgets, objective, declaredDomains(only));
            }
            return Recommender.recommend(history, knobs, budgets, objective);
        } catch (InvalidInput e) {
            throw new UserError(e.input(), e.getMessage(), e);
        }
    }

    /**
     * Per knob, a metric at each value the knob took, the other knobs held as {@code recommend --knob} holds them
     * ({@link Sensitivity}): for one scenario's history, with or without a study. {@code metric} defaults to the
     * objective.
     */
    public Sensitivity.View sensitivity(String metric, BudgetInput budgets, String objective, String scenario,
                                        boolean includeExcluded) {
        Metric goal = Inputs.objective(objective);
        session.catchUp();
        List<Budget> limits = this.budgets.inForce(budgets);
        List<dev.autotune.domain.analysis.TuningPoint> history = session.views().recommendation()
                .completed(Inputs.blankToNull(scenario), includeExcluded);
        Set<String> scenarios = new java.util.TreeSet<>();
        history.forEach(p -> scenarios.add(String.valueOf(p.scenario())));
        if (scenarios.size() > 1) {
            // curves of different workloads on one line would blame a knob for what the workload did
            throw new UserError("scenario", "the history mixes scenarios " + String.join(", ", scenarios)
                    + ": choose one");
        }
        String chosen;
        try {
            chosen = metric == null || metric.isBlank() ? goal.key() : Metric.parse(metric).key();
        } catch (IllegalArgumentException e) {
            throw new UserError("target", e.getMessage(), e);
        }
        return Sensitivity.of(history, scenarios.isEmpty() ? Inputs.blankToNull(scenario) : scenarios.iterator().next(),
                chosen, goal, limits);
    }

    /** The values the studies of a scenario declare per knob (a later study's domain wins), by space knob path. */
    private Map<String, List<Object>> declaredDomains(String scenario) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        session.views().studies().list().stream().filter(st -> scenario.equals(st.scenario()))
                .forEach(st -> st.space().knobs().forEach(k -> out.put(k.path(), k.values())));
        return out;
    }

    public ExperimentDiff diff(String a, String b) {
        return diff(a, b, BudgetInput.NONE).diff();
    }

    /** A diff and, when budgets are given, each side's verdict against them ({@code verdicts} is null without). */
    public record Compared(ExperimentDiff diff, BudgetReport verdicts, List<String> gpuNotes) {
        public Compared(ExperimentDiff diff, BudgetReport verdicts) {
            this(diff, verdicts, List.of());
        }
    }

    public Compared diff(String a, String b, BudgetInput budgets) {
        return diff(a, b, budgets, null);
    }

    /** The diff, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Compared diff(String a, String b, BudgetInput budgets, String gpus) {
        session.catchUp();
        List<Budget> limits = this.budgets.inForce(budgets);
        GpuCounts.require(gpus, limits);
        ExperimentDetail left = history.find(a);
        ExperimentDetail right = history.find(b);
        GpuCounts perGpu = GpuCounts.of(gpus, GpuCounts.knobPaths(List.of(left.config(), right.config())));
        if (perGpu != null) {
            left = perGpu.apply(left);
            right = perGpu.apply(right);
        }
        BudgetReport verdicts = limits.isEmpty() ? null : BudgetCheck.check(List.of(
                new Measured(left.number(), left.experimentId(), left.scenario(), left.metrics()),
                new Measured(right.number(), right.experimentId(), right.scenario(), right.metrics())), limits);
        return new Compared(ExperimentDiff.of(left, right), verdicts, perGpu == null ? List.of() : perGpu.notes());
    }

    public enum ExportFormat { CSV, JSON, MARKDOWN }

    public enum ExportTemplate { ISSUE, PR, BENCHMARK_REPORT }

    /**
     * An export as data, for {@code api.render.export.Export#text} to write: the format it is in (Markdown when only a
     * template was asked for), the template (null for a plain export), the rows, and for a template the budget
     * verdicts, the recommendations, the pr template's baseline and the knobs asked about. {@code scenarios} are
     * those the rows belong to: a report over several mixes results that are not comparable, which callers warn
     * about; {@code gpuNotes} say why some rows have no per-GPU metrics.
     */
    public record Exported(ExportFormat format, ExportTemplate template, List<ExperimentSummary> rows,
                           BudgetReport budgetReport, List<Recommendation> recommendations, ExperimentSummary baseline,
                           List<String> knobs, List<String> scenarios, List<String> gpuNotes) {
        /**
         * What to warn about when a ready-to-paste report (a template) spans several scenarios, whose results are
         * not comparable; null when it does not.
         */
        public String mixedScenarios(boolean template) {
            return template && scenarios.size() > 1 ? "this report mixes " + scenarios.size() + " scenarios ("
                    + String.join(", ", scenarios) + ")" : null;
        }
    }

    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs) {
        return export(format, template, scenario, budgets, knobs, null);
    }

    /**
     * The experiments as CSV, JSON or Markdown, or a Markdown template with budgets and recommendations.
     *
     * @param format   csv, json or markdown; null means csv, or markdown with a template
     * @param template issue, pr or benchmark-report; null for a plain export
     * @param baseline the pr template's baseline, an experiment number or id among those exported; null means the
     *                 first completed one
     */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline) {
        return export(format, template, scenario, budgets, knobs, baseline, false);
    }

    /** The export; the excluded experiments are in it only with {@code includeExcluded}. */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline, boolean includeExcluded) {
        return export(format, template, scenario, budgets, knobs, baseline, includeExcluded, null);
    }

    /** The export, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline, boolean includeExcluded, String gpus) {
        ExportTemplate tpl = Inputs.choice(ExportTemplate.class, "template", template);
        ExportFormat fmt = Inputs.choice(ExportFormat.class, "format", format);
        if (fmt == null) {
            fmt = tpl == null ? ExportFormat.CSV : ExportFormat.MARKDOWN;
        }
        if (tpl != null && fmt != ExportFormat.MARKDOWN) {
            throw new UserError("format", "template " + template.trim() + " produces Markdown: leave the format out "
                    + "or ask for markdown");
        }
        List<String> names = Inputs.knobNames(knobs);
        String scen = Inputs.blankToNull(scenario);
        session.catchUp();
        List<Budget> limits = this.budgets.inForce(budgets);
        // a dry run validated a config and measured nothing: it is not a row of a results export
        List<ExperimentSummary> rows = session.views().list().list(new ListFilter(scen, null, null, includeExcluded), 0).stream()
                .filter(r -> r.status() != ExperimentStatus.VALIDATED).toList();
        GpuCounts.require(gpus, limits);
        GpuCounts perGpu = GpuCounts.of(gpus, GpuCounts.knobPaths(rows.stream().map(ExperimentSummary::knobs).toList()));
        if (perGpu != null) {
            rows = rows.stream().map(perGpu::apply).toList();
        }
        List<String> gpuNotes = perGpu == null ? List.of() : perGpu.notes();
        List<String> scenarios = rows.stream().map(ExperimentSummary::scenario).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
        ExperimentSummary base = baselineOf(rows, Inputs.blankToNull(baseline), tpl, scen);
        if (tpl == null) {
            return new Exported(fmt, null, rows, null, null, null, names, scenarios, gpuNotes);
        }
        // with --gpus the rows carry their per-GPU metrics, so a per-GPU budget is checked on them
        BudgetReport budgetReport = limits.isEmpty() ? null : perGpu == null ? this.budgets.checked(limits, scen, includeExcluded)
                : BudgetCheck.check(rows.stream().filter(r -> r.status() == ExperimentStatus.COMPLETED)
                .map(r -> new Measured(r.number(), r.experimentId(), r.scenario(), r.metrics())).toList(), limits);
        List<Recommendation> recommendations = names.isEmpty() || rows.isEmpty() ? null
                : recommended(names, limits, Recommender.DEFAULT_OBJECTIVE, scen, includeExcluded, gpus,
                new ArrayList<>());
        return new Exported(fmt, tpl, rows, budgetReport, recommendations, base, names, scenarios, gpuNotes);
    }

    /**
     * The experiment the pr template compares the best run with: the one named, which must be a completed
     * experiment among those exported (a failed run has no metrics to compare), or null for the template's default.
     */
    private static ExperimentSummary baselineOf(List<ExperimentSummary> rows, String baseline, ExportTemplate tpl,
                                                String scenario) {
        if (baseline == null) {
            return null;
        }
        if (tpl != ExportTemplate.PR) {
            throw new UserError("baseline", "only the pr template compares with a baseline");
        }
        ExperimentSummary found = rows.stream()
                .filter(r -> baseline.equals(Integer.toString(r.number())) || baseline.equals(r.experimentId()))
                .findFirst()
                .orElseThrow(() -> new UserError("baseline", "experiment " + baseline + " is not among the exported "
                        + "experiments" + (scenario == null ? "" : " of scenario " + scenario)));
        if (found.status() != ExperimentStatus.COMPLETED) {
            throw new UserError("baseline", "experiment " + baseline + " is " + found.status().code()
                    + ": the baseline must be a completed experiment");
        }
        return found;
    }

    /** A config written with overrides: where, its hash, and each override with its TOML-typed value. */
    public record Derived(Path out, String sha256, Map<String, Object> applied) {
    }

    /**
     * Writes {@code out}: {@code base} with the {@code set} overrides applied (dotted keys, values typed like
     * TOML); every other key, table and comment survives.
     */
    public static Derived derive(Path base, Path out, List<String> sets, boolean create, boolean force) {
        Map<String, String> overrides = Inputs.pairs("set", sets);
        if (overrides.isEmpty()) {
            throw new UserError("set", "give at least one override, e.g. serving.batch_size=8");
        }
        return derive(base, out, overrides, create, force);
    }

    private static Derived derive(Path base, Path out, Map<String, String> overrides, boolean create,
                                  boolean force) {
        try {
            ConfigDeriver.Derived d = new ConfigDeriver().derive(base, out, overrides, create, force);
            return new Derived(d.out(), d.sha256(), d.applied());
        } catch (ConfigException e) {
            throw new UserError("config", e.getMessage(), e);
        }
    }

    /**
     * Writes the recommendations' suggested values into a copy of {@code base} and returns them as written
     * (knob to TOML text); empty when none suggests a value, and then nothing is written.
     */
    public static Map<String, String> deriveSuggestions(List<Recommendation> recommendations, Path base, Path out,
                                                        boolean force) {
        Map<String, String> overrides = firstSuggestion(recommendations)
                .map(r -> Map.of(r.knob(), TomlValues.render(r.suggested()))).orElse(Map.of());
        if (!overrides.isEmpty()) {
            derive(base, out, overrides, false, force);
        }
        return overrides;
    }

    /**
     * The recommendation a derived config carries: one knob changed per config, since each suggestion was worked
     * out with the other knobs held where they are, so two of them together is a config nothing has analysed (a
     * joint proposal is recommend --space).
     */
    private static Optional<Recommendation> firstSuggestion(List<Recommendation> recommendations) {
        return recommendations.stream().filter(r -> r.suggested() != null).findFirst();
    }

    /**
     * The recommended next config as TOML, for a download.
     *
     * @param fileName   a name for the file: the base's name (or the scenario) with the knob and value
     * @param toml       the config
     * @param base       the file it was derived from (the best run's recorded config), or null when none is known;
     *                   then {@code toml} holds only knob values: the best run's, with the suggestion applied
     * @param experiment the best run whose config was the starting point, or null when nothing is measured yet
     * @param applied    the suggestion, knob to TOML value text
     */
    public record DerivedConfig(String fileName, String toml, Path base, Integer experiment,
                                Map<String, String> applied) {
    }

    /**
     * What `recommend --derive-from` writes, without a base file to name: the suggestion applied to the config of
     * the best run so far when its file is still there, else the best run's knob values with the suggestion.
     */
    public DerivedConfig derivedConfig(List<String> knobs, BudgetInput budgets, String objective, String scenario) {
        Recommended recommended = recommend(knobs, budgets, objective, scenario);
        Recommendation r = firstSuggestion(recommended.recommendations()).orElseThrow(() -> new UserError("knob",
                "nothing new to try for " + String.join(", ", Inputs.knobNames(knobs)) + ", so there is no config "
                        + "to derive"));
        Map<String, String> overrides = Map.of(r.knob(), TomlValues.render(r.suggested()));
        ExperimentDetail best = r.bestExperiment() == null ? null : history.find(Integer.toString(r.bestExperiment()));
        Path base = best == null || best.configPath() == null ? null : Path.of(best.configPath());
        String stem = (base != null ? base.getFileName().toString().replaceFirst("\\.toml$", "")
                : best != null ? best.scenario() : "autotune") + "-" + r.knob().substring(r.knob().lastIndexOf('.') + 1)
                + "-" + overrides.get(r.knob());
        String fileName = stem.replaceAll("[^A-Za-z0-9._-]+", "_") + ".toml";
        try {
            if (base != null && Files.isRegularFile(base)) {
                return new DerivedConfig(fileName, new ConfigDeriver().text(base, overrides, false).toml(), base,
                        best.number(), overrides);
            }
            List<String> header = new java.util.ArrayList<>();
            header.add(best == null ? "No experiment measured yet, so no config file to start from:"
                    : base == null ? "No config file is recorded for experiment " + best.number() + " (the best so far):"
                    : "The config file of experiment " + best.number() + " (the best so far) is gone (" + base + "):");
            header.add(best == null ? "only the recommended knob value." : "only its knob values, with "
                    + r.knob() + " = " + overrides.get(r.knob()) + " as recommended.");
            Map<String, Object> values = best == null ? Map.of() : best.config();
            return new DerivedConfig(fileName, ConfigDeriver.knobValues(values, overrides, header).toml(), null,
                    best == null ? null : best.number(), overrides);
        } catch (ConfigException e) {
            throw new UserError("config", e.getMessage(), e);
        }
    }
}
