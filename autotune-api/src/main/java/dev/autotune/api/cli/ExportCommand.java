package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.UserError;
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
        description = "Export experiments as CSV, JSON or Markdown, or as a ready-to-paste issue, PR or benchmark report.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--format", description = "csv, json or markdown (default: csv; markdown with --template)")
    String format;

    @Option(names = "--template", description = "issue, pr or benchmark-report (Markdown)")
    String template;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--knob", description = "knob(s) for the trend and recommendation sections of a template")
    List<String> knobs;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of printing")
    Path out;

    @Override
    public Integer call() {
        String text;
        try (Autotune autotune = Autotune.existing(db.path())) {
            autotune.requireScenario(scenario);
            text = autotune.export(format, template, scenario, budgets.input(), knobs, includeExcluded).text();
        }
        if (out == null) {
            System.out.print(text);
        } else {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError("out", out + ": cannot write (" + e.getMessage() + ")", e);
            }
            System.out.println("wrote " + out);
        }
        return AutotuneCli.OK;
    }
}
