package dev.autotune.api.cli;

import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.ProfileExists;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code autotune budget save|list|show|delete}: named budget profiles, recorded as events in the database. */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "Save budgets under a name once, then use them with --budget NAME on check, recommend, export "
                + "and diff, and budget=NAME in the HTTP API.",
        subcommands = {BudgetCommand.Save.class, BudgetCommand.ListProfiles.class, BudgetCommand.Show.class,
                BudgetCommand.Delete.class},
        footerHeading = "%nExample:%n",
        footer = {"  autotune budget save chat-slo --latency-budget-ms 200 --ttft-budget-ms 50 --max tpot_ms=10",
                "  autotune check --budget chat-slo"})
final class BudgetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String line(Budgets.Profile p) {
        return p.name() + ": " + String.join(", ", p.budgets());
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Save the budgets given under NAME (with --budget OTHER, OTHER's budgets too).",
            footerHeading = "%nExample:%n",
            footer = "  autotune budget save chat-slo --latency-budget-ms 200 --ttft-budget-ms 50 --max tpot_ms=10")
    static final class Save implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "NAME", description = "the profile's name, e.g. chat-slo")
        String name;

        @Mixin
        BudgetOptions budgets;

        @Option(names = "--force", description = "replace the budgets of a profile already saved under NAME")
        boolean force;

        @Override
        public Integer call() {
            try (Autotune autotune = db.open()) {
                Budgets.SavedProfile saved;
                try {
                    saved = autotune.budgets().saveBudgetProfile(name, budgets.input(), force);
                } catch (ProfileExists e) {
                    throw new UserError(null, e.getMessage() + "; pass --force to replace its budgets", e);
                }
                String verb = !saved.changed() ? "unchanged" : saved.previous() == null ? "saved" : "replaced";
                io.out().println(verb + " budget profile " + line(saved.profile())
                        + (saved.changed() && saved.previous() != null
                        ? " (was " + String.join(", ", saved.previous()) + ")" : ""));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every saved budget profile.",
            footerHeading = "%nExample:%n", footer = "  autotune budget list --json")
    static final class ListProfiles implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<Budgets.Profile> profiles;
            try (Autotune autotune = db.existing()) {
                profiles = autotune.budgets().budgetProfiles();
            }
            if (json) {
                io.out().println(ExperimentJson.pretty(profiles.stream().map(AnalysisJson::profile).toList()));
            } else if (profiles.isEmpty()) {
                io.out().println("no budget profiles yet; save one with: autotune budget save NAME --latency-budget-ms N ...");
            } else {
                profiles.forEach(p -> io.out().println(line(p)));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One budget profile's budgets.",
            footerHeading = "%nExample:%n", footer = "  autotune budget show chat-slo")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            Budgets.Profile p;
            try (Autotune autotune = db.existing()) {
                p = autotune.budgets().budgetProfile(name);
            }
            if (json) {
                io.out().println(ExperimentJson.pretty(AnalysisJson.profile(p)));
            } else {
                io.out().println(p.name() + " (saved " + p.savedAt() + ")");
                p.budgets().forEach(b -> io.out().println("  " + b));
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a budget profile (the log keeps its history).",
            footerHeading = "%nExample:%n", footer = "  autotune budget delete chat-slo")
    static final class Delete implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Autotune autotune = db.existing()) {
                Budgets.Profile p = autotune.budgets().deleteBudgetProfile(name);
                io.out().println("deleted budget profile " + line(p));
            }
            return AutotuneCli.OK;
        }
    }
}
