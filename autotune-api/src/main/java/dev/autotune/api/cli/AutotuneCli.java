package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.Problem;
import dev.autotune.domain.OneLine;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The {@code autotune} command: exit 0 when all went well, 1 when a check or run failed, 2 on bad input. */
// no method is a subcommand: addMethodSubcommands = false spares picocli reading every method's annotations
@Command(name = "autotune", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        footerHeading = "%nExample:%n", footer = "  autotune demo && autotune check --db autotune-demo.db --latency-budget-ms 200", versionProvider = AutotuneCli.Version.class,
        description = "Records LLM-serving benchmark experiments as immutable events, and tells which config is best "
                + "within your budgets and what to try next.")
public final class AutotuneCli implements Runnable {
    /**
     * Every subcommand by its name, in the order help lists them. The names repeat the {@code @Command}
     * annotations (a test keeps them equal) because reading those annotations costs a fresh JVM 40 ms.
     */
    static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("demo", DemoCommand.class);
        COMMANDS.put("ingest", IngestCommand.class);
        COMMANDS.put("list", ListCommand.class);
        COMMANDS.put("show", ShowCommand.class);
        COMMANDS.put("diff", DiffCommand.class);
        COMMANDS.put("check", CheckCommand.class);
        COMMANDS.put("recommend", RecommendCommand.class);
        COMMANDS.put("export", ExportCommand.class);
        COMMANDS.put("budget", BudgetCommand.class);
        COMMANDS.put("tag", CorrectionCommands.Tag.class);
        COMMANDS.put("untag", CorrectionCommands.Untag.class);
        COMMANDS.put("note", CorrectionCommands.Note.class);
        COMMANDS.put("exclude", CorrectionCommands.Exclude.class);
        COMMANDS.put("include", CorrectionCommands.Include.class);
        COMMANDS.put("amend", CorrectionCommands.Amend.class);
        COMMANDS.put("run", RunCommand.class);
        COMMANDS.put("tune", TuneCommand.class);
        COMMANDS.put("study", StudyCommand.class);
        COMMANDS.put("ask", AskCommand.class);
        COMMANDS.put("tell", TellCommand.class);
        COMMANDS.put("derive", DeriveCommand.class);
        COMMANDS.put("smoke-cloudai", SmokeCloudaiCommand.class);
        COMMANDS.put("rebuild", RebuildCommand.class);
        COMMANDS.put("events", EventsCommand.class);
        COMMANDS.put("bench", BenchCommand.class);
        COMMANDS.put("serve", ServeCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
        COMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    /** The commands that never open a store. */
    private static final java.util.Set<String> NO_STORE = java.util.Set.of("help", "completion", "bench");

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The byte stream under picocli's getOut(), for commands that write bytes or hand a PrintStream on. */
    final PrintStream stdout;

    /** The encoding of picocli's writers on {@link #stdout}. */
    final Charset charset;

    private AutotuneCli(PrintStream stdout, Charset charset) {
        this.stdout = stdout;
        this.charset = charset;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // nearly every command opens a store: its driver gets ready on a second core while picocli builds the model
        if (args.length > 0 && COMMANDS.containsKey(args[0]) && !NO_STORE.contains(args[0])) {
            Autotune.prepareStore();
        }
        System.exit(execute(args));
    }

    /** Runs a command line on this process's stdout and stderr; returns the exit code. */
    public static int execute(String... args) {
        // as picocli's own default writers: the console's encoding when there is one, else the JVM's
        String console = System.getProperty("sun.stdout.encoding");
        Charset charset = console == null ? Charset.defaultCharset() : Charset.forName(console);
        // the one place the process's own streams are named: every command writes through picocli's writers
        return execute(System.out, System.err, charset, args);
    }

    /** Runs a command line writing to {@code out} and {@code err} (in {@code charset}); returns the exit code. */
    public static int execute(PrintStream out, PrintStream err, Charset charset, String... args) {
        // picocli reflects over every registered command up front, about a tenth of a second for all of them;
        // a command line that names one needs only that one (help, typos and bare options get them all)
        Class<?> named = args.length == 0 ? null : COMMANDS.get(args[0]);
        CommandLine cli;
        if (named != null && named != CommandLine.HelpCommand.class && named != CompletionCommand.class) {
            cli = new CommandLine(new AutotuneCli(out, charset));
            cli.addSubcommand(named);
            // the handlers and writers reach the subcommands registered before they are set
            configure(cli);
        } else {
            cli = commandLine(true, out, charset);
        }
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, charset), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(err, charset), true));
        try {
            return cli.execute(args);
        } finally {
            // print() does not flush on its own (a progress bar's last line)
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The whole command tree with autotune's error handling; {@code all} registers every subcommand. */
    static CommandLine commandLine(boolean all) {
        // a tree only looked at (completion script, docs), never executed: no command writes to this stream
        return commandLine(all, System.out, Charset.defaultCharset());
    }

    private static CommandLine commandLine(boolean all, PrintStream out, Charset charset) {
        CommandLine cli = new CommandLine(new AutotuneCli(out, charset));
        if (all) {
            COMMANDS.values().forEach(cli::addSubcommand);
        }
        return configure(cli);
    }

    private static CommandLine configure(CommandLine cli) {
        versionEverywhere(cli);
        // named classes, not method references: a lambda implementing one of picocli's interfaces makes the
        // class-data dump link that interface, and a linked class compiled for Java 5 is left out of the archive
        // ("Old class has been linked"), with the picocli classes implementing it; every command then loaded and
        // verified them from the jar and spun the two lambdas' classes
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(new BadUsage());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static final class Failures implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
            return handle(e, cli);
        }
    }

    private static final class BadUsage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            return badUsage(e);
        }
    }

    private static int handle(Exception e, CommandLine cli) {
        PrintWriter err = cli.getErr();
        Problem p = Problem.of(e);
        if (p.kind() == Problem.Kind.INTERNAL) {
            err.println("autotune: internal error: " + OneLine.first(p.message(), "unknown error") + " (" + e.getClass().getSimpleName()
                    + "; set AUTOTUNE_DEBUG=1 for the stack trace)");
            if (System.getenv("AUTOTUNE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
        String option = option(cli, p.field());
        String hint = p.kind() == Problem.Kind.DUPLICATE ? " (use --allow-duplicate to record it again)" : "";
        err.println("autotune: " + (option == null ? "" : option + ": ") + OneLine.first(p.message(), "unknown error") + hint);
        return BAD_INPUT;
    }

    /**
     * A command line picocli cannot parse: one line with the problem, picocli's suggestions for a typo, and where
     * the usage is, instead of the whole usage text (bad input is always one line).
     */
    private static int badUsage(CommandLine.ParameterException e) {
        CommandLine command = e.getCommandLine();
        StringBuilder line = new StringBuilder("autotune: ").append(OneLine.first(e.getMessage(), "bad usage"));
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
        }
        line.append(" (see '").append(command.getCommandSpec().qualifiedName()).append(" --help')");
        command.getErr().println(line);
        return BAD_INPUT;
    }

    /**
     * The option of this command a problem's field names ({@code latency_budget_ms} is
     * {@code --latency-budget-ms}), or null when the command has none: a positional argument such as the report
     * is named in the message itself.
     */
    static String option(CommandLine cli, String field) {
        if (field == null) {
            return null;
        }
        String name = "--" + field.replace('_', '-');
        return cli.getCommandSpec().findOption(name) != null ? name : null;
    }

    /** Every command's -V says the same as autotune -V, not nothing. */
    private static void versionEverywhere(CommandLine cli) {
        cli.getCommandSpec().versionProvider(new Version());
        cli.getSubcommands().values().forEach(AutotuneCli::versionEverywhere);
    }

    /**
     * The release (the jar's Implementation-Version) and the commit it was built from (autotune-git.properties,
     * written at build time from the checkout); a build outside a git checkout says so instead of guessing.
     */
    static final class Version implements CommandLine.IVersionProvider {
        static final String GIT_PROPERTIES = "/autotune-git.properties";

        @Override
        public String[] getVersion() {
            String release = AutotuneCli.class.getPackage().getImplementationVersion();
            Properties git = new Properties();
            try (InputStream in = AutotuneCli.class.getResourceAsStream(GIT_PROPERTIES)) {
                if (in != null) {
                    git.load(in);
                }
            } catch (IOException e) {
                // an unreadable resource is the same as none: the version still names the release
            }
            String commit = git.getProperty("git.commit.id.abbrev");
            String built = commit == null || commit.isBlank() ? "commit unknown (built outside a git checkout)"
                    : "commit " + commit + ("true".equals(git.getProperty("git.dirty")) ? " with uncommitted changes" : "")
                    + dated(git.getProperty("git.commit.time"));
            return new String[]{"autotune " + (release == null ? "development build" : release) + ", " + built};
        }

        private static String dated(String time) {
            return time == null || time.isBlank() ? "" : " of " + time;
        }
    }
}
