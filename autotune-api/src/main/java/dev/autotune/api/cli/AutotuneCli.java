package dev.autotune.api.cli;

import dev.autotune.api.app.UserError;
import dev.autotune.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code autotune} command: exit 0 when all went well, 1 when a check or run failed, 2 on bad input. */
@Command(name = "autotune", mixinStandardHelpOptions = true, versionProvider = AutotuneCli.Version.class,
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
        COMMANDS.put("run", RunCommand.class);
        COMMANDS.put("tune", TuneCommand.class);
        COMMANDS.put("study", StudyCommand.class);
        COMMANDS.put("ask", AskCommand.class);
        COMMANDS.put("tell", TellCommand.class);
        COMMANDS.put("derive", DeriveCommand.class);
        COMMANDS.put("smoke-cloudai", SmokeCloudaiCommand.class);
        COMMANDS.put("rebuild", RebuildCommand.class);
        COMMANDS.put("bench", BenchCommand.class);
        COMMANDS.put("serve", ServeCommand.class);
        COMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new AutotuneCli());
        // picocli reflects over every registered command up front, about a tenth of a second for all of them;
        // a command line that names one needs only that one (help, typos and bare options get them all)
        Class<?> named = args.length == 0 ? null : COMMANDS.get(args[0]);
        if (named != null && named != CommandLine.HelpCommand.class) {
            cli.addSubcommand(named);
        } else {
            COMMANDS.values().forEach(cli::addSubcommand);
        }
        cli.setExecutionExceptionHandler(AutotuneCli::handle);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof UserError || e instanceof StoreException || e instanceof IllegalArgumentException) {
            err.println("autotune: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        }
        err.println("autotune: internal error: " + oneLine(String.valueOf(e.getMessage())) + " ("
                + e.getClass().getSimpleName() + "; set AUTOTUNE_DEBUG=1 for the stack trace)");
        if (System.getenv("AUTOTUNE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AutotuneCli.class.getPackage().getImplementationVersion();
            return new String[]{"autotune " + (v == null ? "development build" : v)};
        }
    }
}
