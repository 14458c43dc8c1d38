package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TerminalText;
import dev.autotune.domain.query.ExperimentDetail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune show 3 --json",
        description = "Show one experiment: config, metrics, notes, metadata and its event timeline.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Parameters(paramLabel = "ID", description = "experiment number (as in `list`) or full id")
    String id;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        try (Autotune autotune = db.existing()) {
            ExperimentDetail d = autotune.history().show(id);
            io.out().print(json ? ExperimentJson.pretty(ExperimentJson.detail(d)) + "\n" : TerminalText.experiment(d));
        }
        return AutotuneCli.OK;
    }
}
