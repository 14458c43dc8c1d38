package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.render.StudyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "study", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune study create vllm-space.toml && autotune study show 1",
        description = "Searches over a declared knob space: create one, list them, show one, stop one.",
        subcommands = {StudyCommand.Create.class, StudyCommand.ListStudies.class, StudyCommand.Show.class,
                StudyCommand.Stop.class})
final class StudyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune study create vllm-space.toml --strategy model --seed 7",
            description = "Start a study of a space file (the same space finds its study again).")
    static final class Create implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(paramLabel = "SPACE.toml", description = "the search space")
        Path space;

        @Option(names = "--strategy", completionCandidates = Choices.StrategyNames.class,
                description = "${COMPLETION-CANDIDATES} (default: the space's, else model)")
        String strategy;

        @Option(names = "--seed", description = "seed of the strategy's random choices, including its start "
                + "(default: the space's, else 0)")
        Long seed;

        @Option(names = "--name", description = "start another study of the same space under this name (a space has "
                + "one study per name; asking for another strategy or seed than the existing study's is refused "
                + "without one)")
        String name;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            try (Autotune autotune = db.open()) {
                Studies.Created c = autotune.studies().create(space, strategy, seed, name);
                io.out().println(json ? StudyJson.pretty(c) : (c.created() ? "created " : "already there: ")
                        + StudyText.summaryLine(c.study()));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune study list --json", description = "Every study, oldest first.")
    static final class ListStudies implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                var studies = autotune.studies().list();
                io.out().print(json ? StudyJson.pretty(studies) + "\n" : StudyText.list(studies));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune study show 1",
            description = "One study: its space, trials with reasons, best feasible config, Pareto front, and what "
                    + "the strategy would do next.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "study number (as in `study list`) or full id")
        String id;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                var view = autotune.studies().show(id);
                io.out().print(json ? StudyJson.pretty(view) + "\n" : StudyText.show(view));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune study stop 1 --message 'good enough'",
            description = "Finish a study: nothing more is proposed or linked; its trials and results stay.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "study number or full id")
        String id;

        @Option(names = "--message", description = "why, kept with the study")
        String message;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                io.out().println(StudyText.summaryLine(autotune.studies().stop(id, message)));
            }
            return AutotuneCli.OK;
        }
    }
}
