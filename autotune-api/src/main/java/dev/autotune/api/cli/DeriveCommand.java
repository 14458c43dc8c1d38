package dev.autotune.api.cli;

import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.Formats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "derive", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune derive base.toml batch-8.toml --set serving.batch_size=8",
        description = "Write a new TOML config with dotted-key overrides applied; everything else is kept.")
final class DeriveCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Parameters(index = "0", paramLabel = "BASE.toml")
    Path base;

    @Parameters(index = "1", paramLabel = "OUT.toml")
    Path out;

    @Option(names = "--set", required = true, paramLabel = "KEY=VALUE",
            description = "override, typed like TOML: 8, 0.9, true, \"text\", [1, 2] (repeatable)")
    List<String> sets;

    @Option(names = "--create", description = "allow keys that do not exist in BASE")
    boolean create;

    @Option(names = "--force", description = "overwrite OUT if it exists")
    boolean force;

    @Override
    public Integer call() {
        var derived = Analysis.derive(base, out, sets, create, force);
        io.out().println("wrote " + derived.out() + " (sha256 " + derived.sha256() + ")");
        derived.applied().forEach((k, v) -> io.out().println("  " + k + " = " + Formats.value(v)));
        return AutotuneCli.OK;
    }
}
