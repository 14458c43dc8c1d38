package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.domain.query.ExperimentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Corrections to what was recorded: tags, notes, exclusion and amended values. Each records a new event (nothing
 * recorded earlier changes) and prints one line saying what the experiment now is. They share this file because
 * each is a few lines around one call of {@link Autotune}.
 */
final class CorrectionCommands {
    private CorrectionCommands() {
    }

    private static Integer done(ExperimentSummary e, String what) {
        System.out.println("experiment " + e.number() + ": " + what
                + (e.tags().isEmpty() ? "" : "; tags " + pairs(e))
                + (e.excluded() ? "; excluded (" + e.excludedReason() + ")" : ""));
        return AutotuneCli.OK;
    }

    private static String pairs(ExperimentSummary e) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(e.tags()).forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Tag an experiment. A tag given again gets the new value.",
            footerHeading = "%nExample:%n", footer = "  autotune tag 3 gpu=H100 node=dgx-3")
    static final class Tag implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "tags to set")
        List<String> tags;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                return done(autotune.tag(id, tags), "tagged");
            }
        }
    }

    @Command(name = "untag", mixinStandardHelpOptions = true,
            description = "Remove tags from an experiment.",
            footerHeading = "%nExample:%n", footer = "  autotune untag 3 node")
    static final class Untag implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "tags to remove")
        List<String> keys;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                return done(autotune.untag(id, keys), "untagged " + String.join(", ", keys));
            }
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true,
            description = "Add a note to an experiment after the fact; `show` lists it in the timeline.",
            footerHeading = "%nExample:%n", footer = "  autotune note 3 \"node was throttling\"")
    static final class Note implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Parameters(index = "1", paramLabel = "TEXT", description = "the note")
        String text;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                return done(autotune.note(id, text), "note added");
            }
        }
    }

    @Command(name = "exclude", mixinStandardHelpOptions = true,
            description = "Leave an experiment out of list, check, recommend, searches and exports (unless "
                    + "--include-excluded); `include` undoes it.",
            footerHeading = "%nExample:%n", footer = "  autotune exclude 3 --reason \"wrong model loaded\"")
    static final class Exclude implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why it is left out")
        String reason;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                return done(autotune.exclude(id, reason), "excluded");
            }
        }
    }

    @Command(name = "include", mixinStandardHelpOptions = true,
            description = "Take back an exclusion.",
            footerHeading = "%nExample:%n", footer = "  autotune include 3")
    static final class Include implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                return done(autotune.include(id), "included again");
            }
        }
    }

    @Command(name = "amend", mixinStandardHelpOptions = true,
            description = "Correct values recorded wrong. The original record stays in the timeline; every view uses "
                    + "the amended values.",
            footerHeading = "%nExample:%n", footer = "  autotune amend 3 --scenario chat-h100 --set serving.batch_size=8")
    static final class Amend implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Option(names = "--scenario", description = "the right scenario")
        String scenario;

        @Option(names = "--backend", description = "the right backend")
        String backend;

        @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "the right knob value, typed like TOML (repeatable)")
        List<String> sets;

        @Override
        public Integer call() {
            try (Autotune autotune = Autotune.existing(db.path())) {
                ExperimentSummary e = autotune.amend(id, scenario, backend, sets);
                return done(e, "amended (scenario " + e.scenario() + (e.backend() == null ? "" : ", backend "
                        + e.backend()) + ")");
            }
        }
    }
}
