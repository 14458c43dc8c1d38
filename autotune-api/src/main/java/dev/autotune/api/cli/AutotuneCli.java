package dev.autotune.api.cli;

import dev.autotune.api.app.UserError;
import dev.autotune.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code autotune} command: exit 0 when all went well, 1 when a check or run failed, 2 on bad input. */
@Command(name = "autotune", mixinStandardHelpOptions = true, versionProvider = AutotuneCli.Version.class,
        description = "Records LLM-serving benchmark experiments as immutable events, and tells which config is best "
                + "within your budgets and what to try next.",
        subcommands = {DemoCommand.class, IngestCommand.class, ListCommand.class, ShowCommand.class,
                DiffCommand.class, CheckCommand.class, RecommendCommand.class, ExportCommand.class,
                RunCommand.class, DeriveCommand.class, SmokeCloudaiCommand.class, RebuildCommand.class, BenchCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class AutotuneCli implements Runnable {
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
