package dev.autotune.api.cli;

import dev.autotune.api.render.export.Export;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  autotune export --format csv --out runs.csv", "  autotune export --template pr --baseline 1 --budget chat-slo --knob serving.batch_size"},
        description = "Export experiments as CSV, JSON or Markdown, or as a ready-to-paste issue, PR or benchmark report.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--format", completionCandidates = Choices.ExportFormats.class,
            description = "${COMPLETION-CANDIDATES} (default: csv; markdown with --template)")
    String format;

    @Option(names = "--template", completionCandidates = Choices.ExportTemplates.class,
            description = "a ready-to-paste Markdown report: ${COMPLETION-CANDIDATES}")
    String template;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Mixin
    GpusOption gpus;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--knob", description = "knob(s) for the trend and recommendation sections of a template")
    List<String> knobs;

    @Option(names = "--baseline", paramLabel = "N", description = "with --template pr: the experiment the best run "
            + "is compared with (default: the first completed one)")
    String baseline;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of printing")
    Path out;

    @Override
    public Integer call() {
        Analysis.Exported exported;
        try (Autotune autotune = db.existing()) {
            autotune.history().requireScenario(scenario);
            exported = autotune.analysis().export(format, template, scenario, budgets.input(), knobs, baseline, includeExcluded,
                    gpus.expression);
        }
        GpusOption.printNotes(io.err(), exported.gpuNotes());
        String mixed = exported.mixedScenarios(template != null);
        if (mixed != null) {
            // the report is still written, as asked; stderr keeps it out of the Markdown
            io.err().println("autotune: warning: " + mixed + "; pass --scenario S to report on one");
        }
        String text = Export.text(exported);
        if (out == null) {
            io.out().print(text);
        } else {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError("out", out + ": cannot write (" + e.getMessage() + ")", e);
            }
            io.out().println("wrote " + out);
        }
        return AutotuneCli.OK;
    }
}
