package dev.autotune.api.cli;

import dev.autotune.api.app.studies.ConfigOut;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.StudyText;
import dev.autotune.api.render.TerminalText;
import dev.autotune.domain.analysis.Recommendation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  autotune recommend --knob serving.batch_size --budget chat-slo", "  autotune recommend --space vllm-space.toml --out-config next.toml"},
        description = "Suggest the next untested value of each knob, within the budgets, with the reason.")
final class RecommendCommand implements Callable<Integer> {
    @Mixin
    Output io;

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

    @Option(names = "--strategy", completionCandidates = Choices.StrategyNames.class,
            description = "with --space: ${COMPLETION-CANDIDATES}")
    String strategy;

    @Option(names = "--seed", description = "with --space: the strategy's seed")
    Long seed;

    @Option(names = "--objective",
            description = "metric to optimise (default: throughput_tokens_per_sec); its direction is known")
    String objective;

    @Option(names = "--scenario", description = "only this scenario's history")
    String scenario;

    @Mixin
    GpusOption gpus;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

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
            throw new UserError(null, "name at least one --knob, e.g. --knob serving.batch_size, or a --space");
        }
        if ((deriveFrom == null) != (outConfig == null)) {
            throw new UserError(null, "--derive-from and --out-config go together");
        }
        Analysis.Recommended recommended;
        try (Autotune autotune = db.existing()) {
            autotune.history().requireScenario(scenario);
            recommended = autotune.analysis().recommend(knobs, budgets.input(), objective, scenario, includeExcluded,
                    gpus.expression);
        }
        GpusOption.printNotes(io.err(), recommended.gpuNotes());
        List<Recommendation> recs = recommended.recommendations();
        if (json) {
            io.out().println(ExperimentJson.pretty(recs.stream().map(AnalysisJson::recommendation).toList()));
        } else {
            io.out().print(TerminalText.recommendations(recommended.objective(), recommended.budgets(), recs));
        }
        if (deriveFrom != null) {
            derive(recs);
        }
        return AutotuneCli.OK;
    }

    private int jointNext() {
        if (knobs != null && !knobs.isEmpty()) {
            throw Studies.badInput("space", "give --space or --knob, not both", null);
        }
        if (gpus.expression != null) {
            throw Studies.badInput("gpus", "a space declares its own GPU count (gpus = \"...\" in the space file); "
                    + "leave --gpus out with --space", null);
        }
        if (budgets.input().isGiven()) {
            // a space is one search problem: its budgets are part of it, and a study of it must judge trials the same
            throw Studies.badInput("space", "a space holds its own budgets (budgets = [...] in the space file); "
                    + "leave the budget options out with --space", null);
        }
        try (Autotune autotune = db.existing()) {
            Studies studies = autotune.studies();
            Studies.Advice advice = studies.advise(space, strategy, seed, includeExcluded);
            if (json) {
                io.out().println(StudyJson.pretty(advice.next(), advice.importance()));
            } else {
                // which experiments of the scenario count, and why the others do not
                io.out().println(advice.history());
                io.out().println(StudyText.next(advice.space(), advice.next()));
                io.out().print(StudyText.importance(advice.importance()));
            }
            if (outConfig != null && !advice.next().stop()) {
                ConfigOut.write(advice.space(), advice.next().config(), outConfig);
                io.out().println("wrote " + outConfig);
            }
        }
        return AutotuneCli.OK;
    }

    private void derive(List<Recommendation> recs) {
        Map<String, String> written = Analysis.deriveSuggestions(recs, deriveFrom, outConfig, force);
        if (written.isEmpty()) {
            io.out().println("no suggestion to write; " + outConfig + " not written");
            return;
        }
        io.out().println("wrote " + outConfig + " with " + written.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", ")));
        List<String> left = recs.stream().filter(r -> r.suggested() != null && !written.containsKey(r.knob()))
                .map(Recommendation::knob).toList();
        if (!left.isEmpty()) {
            io.out().println("one knob per config: " + String.join(", ", left) + " not written (each suggestion "
                    + "assumes the other knobs stay as they are; use recommend --space for a joint next config)");
        }
    }
}
