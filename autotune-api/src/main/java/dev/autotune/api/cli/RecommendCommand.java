package dev.autotune.api.cli;

import dev.autotune.api.app.AnalysisJson;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.ExperimentJson;
import dev.autotune.api.app.Studies;
import dev.autotune.api.app.StudyJson;
import dev.autotune.api.app.UserError;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.projections.analysis.Recommendation;
import dev.autotune.runner.config.ConfigDeriver;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.TomlValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Suggest the next untested value of each knob, within the budgets, with the reason.")
final class RecommendCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--knob", description = "knob to tune, e.g. serving.batch_size (repeatable)")
    List<String> knobs;

    @Option(names = "--space", paramLabel = "SPACE.toml",
            description = "instead of --knob: the joint next config of a search space, from every experiment of its "
                    + "scenario (no study is created)")
    Path space;

    @Option(names = "--strategy", description = "with --space: model, grid, grid-random, random or per-knob")
    String strategy;

    @Option(names = "--seed", description = "with --space: the strategy's seed")
    Long seed;

    @Option(names = "--objective", defaultValue = "throughput_tokens_per_sec",
            description = "metric to optimise (default: ${DEFAULT-VALUE}); its direction is known")
    String objective;

    @Option(names = "--scenario", description = "only this scenario's history")
    String scenario;

    @Option(names = "--derive-from", paramLabel = "BASE.toml", description = "write the suggestion into a copy of this config")
    Path deriveFrom;

    @Option(names = "--out-config", paramLabel = "OUT.toml", description = "where --derive-from writes")
    Path outConfig;

    @Option(names = "--force", description = "overwrite an existing --out-config")
    boolean force;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        if (space != null) {
            return jointNext();
        }
        if (knobs == null || knobs.isEmpty()) {
            throw new UserError("name at least one --knob, e.g. --knob serving.batch_size, or a --space");
        }
        if ((deriveFrom == null) != (outConfig == null)) {
            throw new UserError("--derive-from and --out-config go together");
        }
        Metric goal;
        try {
            goal = Metric.parse(objective);
        } catch (IllegalArgumentException e) {
            throw new UserError("--objective: " + e.getMessage(), e);
        }
        List<Budget> limits = budgets.budgets();
        List<Recommendation> recs;
        try (Autotune autotune = new Autotune(db.path())) {
            recs = autotune.recommend(knobs, limits, goal, scenario);
        }
        if (json) {
            System.out.println(ExperimentJson.pretty(recs.stream().map(RecommendCommand::toJson).toList()));
        } else {
            System.out.print(render(recs, goal, limits));
        }
        if (deriveFrom != null) {
            derive(recs);
        }
        return AutotuneCli.OK;
    }

    private int jointNext() {
        if (knobs != null && !knobs.isEmpty()) {
            throw Studies.badInput("space", "give a space or knobs, not both", null);
        }
        try (Autotune autotune = new Autotune(db.path())) {
            Studies studies = new Studies(autotune);
            Studies.Next next = studies.recommend(space, strategy, seed);
            if (json) {
                System.out.println(StudyJson.pretty(next));
            } else {
                System.out.println(StudyText.next(studies.space(space), next));
            }
            if (outConfig != null && !next.stop()) {
                studies.writeConfig(studies.space(space), next.config(), outConfig);
                System.out.println("wrote " + outConfig);
            }
        }
        return AutotuneCli.OK;
    }

    static String render(List<Recommendation> recs, Metric objective, List<Budget> limits) {
        StringBuilder out = new StringBuilder("objective: ").append(objective.key()).append(" (")
                .append(objective.direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower")
                .append(" is better); budgets: ")
                .append(limits.isEmpty() ? "none" : limits.stream().map(Budget::toString).collect(Collectors.joining(", ")))
                .append('\n');
        for (Recommendation r : recs) {
            out.append(r.knob()).append(": ")
                    .append(r.suggested() == null ? "nothing new to try" : "try " + Formats.value(r.suggested()))
                    .append('\n').append("  ").append(r.reason()).append('\n');
        }
        return out.toString();
    }

    static Map<String, Object> toJson(Recommendation r) {
        return AnalysisJson.recommendation(r);
    }

    private void derive(List<Recommendation> recs) {
        Map<String, String> overrides = new LinkedHashMap<>();
        recs.stream().filter(r -> r.suggested() != null)
                .forEach(r -> overrides.put(r.knob(), TomlValues.render(r.suggested())));
        if (overrides.isEmpty()) {
            System.out.println("no suggestion to write; " + outConfig + " not written");
            return;
        }
        try {
            new ConfigDeriver().derive(deriveFrom, outConfig, overrides, false, force);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), e);
        }
        System.out.println("wrote " + outConfig + " with " + overrides.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", ")));
    }
}
