package dev.autotune.api.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code autotune completion bash|zsh}: the completion script picocli generates from the commands themselves. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script for bash or zsh: commands, subcommands, options and the "
                + "values of options with a fixed set of them.",
        footerHeading = "%nExamples:%n",
        footer = {"  source <(autotune completion bash)   # bash; add the line to ~/.bashrc to keep it",
                "  source <(autotune completion zsh)    # zsh; add the line to ~/.zshrc to keep it"})
final class CompletionCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Parameters(index = "0", paramLabel = "SHELL", completionCandidates = Choices.Shells.class,
            description = "${COMPLETION-CANDIDATES}")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new dev.autotune.api.app.common.UserError(null, "shell '" + shell + "' is not one of bash, zsh");
        }
        // picocli's script is written for bash and, through bashcompinit (which it loads itself under zsh), for zsh
        io.out().print(AutoComplete.bash("autotune", AutotuneCli.commandLine(true)));
        return AutotuneCli.OK;
    }
}
