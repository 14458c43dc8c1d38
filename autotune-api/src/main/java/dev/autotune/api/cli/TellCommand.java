package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.render.StudyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "tell", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  autotune tell 1 --experiment 4",
        "  autotune tell 1 --trial 3 --failed --reason \"CUDA out of memory\""},
        description = "Link an experiment recorded by `ingest` or `run` to a study: to the waiting trial with its "
                + "config, else to a new trial measured by hand. Or, with --trial K --failed, record that trial K "
                + "ran and failed without a report (a crash, out of memory), so the study learns from it.")
final class TellCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Parameters(paramLabel = "STUDY", description = "study number or id")
    String study;

    @Option(names = "--experiment", paramLabel = "N", description = "experiment number or id")
    String experiment;

    @Option(names = "--trial", paramLabel = "K", description = "with --failed: the trial that failed")
    Integer trial;

    @Option(names = "--failed", description = "the trial produced no report: record it as failed")
    boolean failed;

    @Option(names = "--reason", paramLabel = "TEXT", description = "with --failed: what happened")
    String reason;

    @Option(names = "--category", paramLabel = "C", description = "with --failed: job_failed (default), out_of_memory, timeout, "
            + "no_report or unreadable_report")
    String category;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        if (failed == (experiment != null) || failed != (trial != null)
                || !failed && (reason != null || category != null)) {
            throw Studies.badInput(failed || trial != null ? "trial" : "experiment", "tell either a measured "
                    + "experiment (--experiment N) or a trial that failed without a report (--trial K --failed "
                    + "[--reason TEXT])", null);
        }
        try (Autotune autotune = db.existing()) {
            Studies studies = autotune.studies();
            if (failed) {
                Studies.Told told = studies.tellFailed(study, trial, reason, category);
                io.out().println(json ? StudyJson.pretty(told) : "trial " + told.trial() + " failed: recorded as "
                        + "experiment " + told.experiment() + " of " + StudyText.summaryLine(told.study()));
                return AutotuneCli.OK;
            }
            Studies.Told told = studies.tell(study, experiment);
            io.out().println(json ? StudyJson.pretty(told) : "experiment " + told.experiment() + " measures trial "
                    + told.trial() + (told.proposedNow() ? " (recorded now, measured by hand)" : "") + " of "
                    + StudyText.summaryLine(told.study()));
        }
        return AutotuneCli.OK;
    }
}
