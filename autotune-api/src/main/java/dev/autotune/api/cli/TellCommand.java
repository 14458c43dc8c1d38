package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.Studies;
import dev.autotune.api.app.StudyJson;
import dev.autotune.api.render.StudyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "tell", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune tell 1 --experiment 4",
        description = "Link an experiment recorded by `ingest` or `run` to a study: to the waiting trial with its "
                + "config, else to a new trial measured by hand.")
final class TellCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Parameters(paramLabel = "STUDY", description = "study number or id")
    String study;

    @Option(names = "--experiment", required = true, paramLabel = "N", description = "experiment number or id")
    String experiment;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        try (Autotune autotune = new Autotune(db.path())) {
            Studies.Told told = new Studies(autotune).tell(study, experiment);
            System.out.println(json ? StudyJson.pretty(told) : "experiment " + told.experiment() + " measures trial "
                    + told.trial() + (told.proposedNow() ? " (recorded now, measured by hand)" : "") + " of "
                    + StudyText.summaryLine(told.study()));
        }
        return AutotuneCli.OK;
    }
}
