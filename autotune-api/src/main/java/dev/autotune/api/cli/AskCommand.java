package dev.autotune.api.cli;

import dev.autotune.api.app.studies.ConfigOut;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.render.StudyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "ask", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune ask 1 --out-config batch-6.toml",
        description = "Propose the next config(s) of a study and record them as trials; run them however you like, "
                + "then `autotune tell`. Several asks before the tells are fine: waiting trials are never proposed again.")
final class AskCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Parameters(paramLabel = "STUDY", description = "study number or id")
    String study;

    @Option(names = {"-n", "--count"}, defaultValue = "1", description = "how many configs (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--strategy", completionCandidates = Choices.StrategyNames.class,
            description = "this time use another strategy than the study's: ${COMPLETION-CANDIDATES}")
    String strategy;

    @Option(names = "--seed", description = "this time use another seed than the study's")
    Long seed;

    @Option(names = "--force", description = "propose even when the strategy would stop (nothing left is expected "
            + "to be worth a run); the reason says so")
    boolean force;

    @Option(names = "--out-config", paramLabel = "OUT.toml",
            description = "write the (first) proposal as a test TOML: the study's base test with the values set")
    Path outConfig;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        ConfigOut.requireWritable(outConfig);
        try (Autotune autotune = db.existing()) {
            Studies studies = autotune.studies();
            Studies.Asked asked = studies.ask(study, n, strategy, seed, force);
            // the space alone: show() would also run a proposal and fit the importance models, for nothing here
            var space = studies.spaceOf(study);
            if (outConfig != null && !asked.proposals().isEmpty()) {
                ConfigOut.write(space, asked.proposals().get(0).config(), outConfig);
            }
            if (json) {
                io.out().println(StudyJson.pretty(asked));
            } else {
                for (Studies.Proposal p : asked.proposals()) {
                    io.out().println("trial " + p.trial() + ": " + (p.repeat() ? "repeat " : "try ")
                            + dev.autotune.domain.study.ConfigLine.of(space, p.config()));
                    io.out().println("  " + p.strategy() + ": " + p.reason());
                }
                if (asked.stopped() != null) {
                    io.out().println(StudyText.next(space, asked.stopped()));
                }
                if (outConfig != null && !asked.proposals().isEmpty()) {
                    // a test TOML names no scenario of autotune's (cloudai refuses unknown keys): the command does
                    String dbArg = db.db != null ? " --db " + db.db : "";
                    io.out().println("wrote " + outConfig + "; once it ran, record it with: autotune ingest REPORT"
                            + " --config " + outConfig + " --scenario " + space.scenario() + dbArg
                            + ", then autotune tell " + study + " --experiment EXPERIMENT" + dbArg);
                }
            }
            if (asked.proposals().isEmpty() && outConfig != null) {
                throw Studies.badInput("out_config", "nothing proposed, " + outConfig + " not written", null);
            }
        }
        return AutotuneCli.OK;
    }
}
