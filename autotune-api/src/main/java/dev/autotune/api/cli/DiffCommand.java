package dev.autotune.api.cli;

import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune diff 2 3 --budget chat-slo",
        description = "Compare two experiments: config keys that differ and every metric side by side.")
final class DiffCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Parameters(index = "0", paramLabel = "A", description = "experiment number or id")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "experiment number or id")
    String b;

    @Mixin
    BudgetOptions budgets;

    @Mixin
    GpusOption gpus;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        Analysis.Compared diff;
        try (Autotune autotune = db.existing()) {
            diff = autotune.analysis().diff(a, b, budgets.input(), gpus.expression);
        }
        GpusOption.printNotes(io.err(), diff.gpuNotes());
        io.out().print(json ? ExperimentJson.pretty(AnalysisJson.diff(diff)) + "\n" : TerminalText.diff(diff));
        return AutotuneCli.OK;
    }
}
