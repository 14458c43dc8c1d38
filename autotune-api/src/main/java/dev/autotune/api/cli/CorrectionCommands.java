package dev.autotune.api.cli;

import dev.autotune.api.app.corrections.Corrections;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.query.ExperimentSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
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

    private static Integer done(PrintWriter out, ExperimentSummary e, String what) {
        out.println("experiment " + e.number() + ": " + what
                + (e.tags().isEmpty() ? "" : "; tags " + pairs(e))
                + (e.excluded() ? "; excluded (" + e.excludedReason() + ")" : ""));
        return AutotuneCli.OK;
    }

    /**
     * A correction over {@code --where}: how many experiments matched, then one line per experiment saying what it
     * now is (or why it was refused), then what changed. Exit 0 when every one was corrected, 2 when any was refused.
     */
    private static Integer each(PrintWriter out, Autotune autotune, String where, boolean includeExcluded, String what,
                                java.util.function.Function<String, ExperimentSummary> correction) {
        List<Corrections.Corrected> results = autotune.corrections().correctWhere(where, includeExcluded, correction);
        out.println(results.size() + " experiment" + (results.size() == 1 ? "" : "s") + " match '" + where + "'");
        int refused = 0;
        for (Corrections.Corrected c : results) {
            if (c.after() == null) {
                refused++;
                out.println(c.refused().startsWith("experiment " + c.number() + ":") ? "refused " + c.refused()
                        : "refused experiment " + c.number() + ": " + c.refused());
            } else {
                done(out, c.after(), what);
            }
        }
        int changed = results.size() - refused;
        out.println(what + " " + changed + " experiment" + (changed == 1 ? "" : "s")
                + (refused == 0 ? "" : ", refused " + refused) + (changed == 0 ? "" : "; each has its own event in the "
                + "timeline"));
        return refused == 0 ? AutotuneCli.OK : 2;
    }

    /** The experiment reference, unless the correction is over {@code --where}. */
    private static String one(String id, String where) {
        if (id == null && where == null) {
            throw new dev.autotune.api.app.common.UserError("id", "give an experiment ID, or --where FILTER for every "
                    + "experiment that matches");
        }
        if (id != null && where != null) {
            throw new dev.autotune.api.app.common.UserError("where", "give an experiment ID or --where, not both");
        }
        return id;
    }

    private static String pairs(ExperimentSummary e) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(e.tags()).forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return text.toString();
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Tag an experiment. A tag given again gets the new value.",
            footerHeading = "%nExamples:%n", footer = {"  autotune tag 3 gpu=H100 node=dgx-3",
            "  autotune tag --where \"knob.tp = 8 and recorded >= 2026-11-01\" gpu=H200"})
    static final class Tag implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(arity = "1..*", paramLabel = "[ID] KEY=VALUE", description = "experiment number, full id or a "
                + "prefix of the id (not with --where), then the tags to set")
        List<String> args;

        @Option(names = "--where", paramLabel = "FILTER", description = "tag every experiment the filter matches "
                + "(the language of list --where), each with its own event")
        String where;

        @Option(names = "--include-excluded", description = "with --where: excluded experiments too")
        boolean includeExcluded;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                if (where != null) {
                    return each(io.out(), autotune, where, includeExcluded, "tagged", id -> autotune.corrections().tag(id, args));
                }
                if (args.size() < 2) {
                    throw new dev.autotune.api.app.common.UserError("tag", "give at least one tag as key=value, e.g. gpu=H100");
                }
                return done(io.out(), autotune.corrections().tag(args.get(0), args.subList(1, args.size())), "tagged");
            }
        }
    }

    @Command(name = "untag", mixinStandardHelpOptions = true,
            description = "Remove tags from an experiment.",
            footerHeading = "%nExample:%n", footer = "  autotune untag 3 node")
    static final class Untag implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "tags to remove")
        List<String> keys;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                return done(io.out(), autotune.corrections().untag(id, keys), "untagged " + String.join(", ", keys));
            }
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true,
            description = "Add a note to an experiment after the fact; `show` lists it in the timeline.",
            footerHeading = "%nExample:%n", footer = "  autotune note 3 \"node was throttling\"")
    static final class Note implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Parameters(index = "1", paramLabel = "TEXT", description = "the note")
        String text;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                return done(io.out(), autotune.corrections().note(id, text), "note added");
            }
        }
    }

    @Command(name = "exclude", mixinStandardHelpOptions = true,
            description = "Leave an experiment out of list, check, recommend, searches and exports (unless "
                    + "--include-excluded); `include` undoes it.",
            footerHeading = "%nExamples:%n", footer = {"  autotune exclude 3 --reason \"wrong model loaded\"",
            "  autotune exclude --where \"recorded < 2026-11-01 and knob.tp = 4\" --reason \"old driver\""})
    static final class Exclude implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Option(names = "--where", paramLabel = "FILTER", description = "exclude every experiment the filter matches "
                + "(the language of list --where), each with its own event")
        String where;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why it is left out")
        String reason;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                if (one(id, where) == null) {
                    return each(io.out(), autotune, where, false, "excluded", ref -> autotune.corrections().exclude(ref, reason));
                }
                return done(io.out(), autotune.corrections().exclude(id, reason), "excluded");
            }
        }
    }

    @Command(name = "include", mixinStandardHelpOptions = true,
            description = "Take back an exclusion.",
            footerHeading = "%nExample:%n", footer = "  autotune include 3")
    static final class Include implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                return done(io.out(), autotune.corrections().include(id), "included again");
            }
        }
    }

    @Command(name = "amend", mixinStandardHelpOptions = true,
            description = "Correct values recorded wrong. The original record stays in the timeline; every view uses "
                    + "the amended values.",
            footerHeading = "%nExamples:%n", footer = {"  autotune amend 3 --scenario chat-h100 --set serving.batch_size=8",
            "  autotune amend --where \"scenario = 'default'\" --scenario gpt-oss"})
    static final class Amend implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "experiment number, full id or a prefix of the id")
        String id;

        @Option(names = "--where", paramLabel = "FILTER", description = "amend every experiment the filter matches "
                + "(the language of list --where), each with its own event")
        String where;

        @Option(names = "--include-excluded", description = "with --where: excluded experiments too")
        boolean includeExcluded;

        @Option(names = "--scenario", description = "the right scenario")
        String scenario;

        @Option(names = "--backend", description = "the right backend")
        String backend;

        @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "the right knob value, typed like TOML (repeatable)")
        List<String> sets;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                if (one(id, where) == null) {
                    return each(io.out(), autotune, where, includeExcluded, "amended",
                            ref -> autotune.corrections().amend(ref, scenario, backend, sets));
                }
                ExperimentSummary e = autotune.corrections().amend(id, scenario, backend, sets);
                return done(io.out(), e, "amended (scenario " + e.scenario() + (e.backend() == null ? "" : ", backend "
                        + e.backend()) + ")");
            }
        }
    }
}
