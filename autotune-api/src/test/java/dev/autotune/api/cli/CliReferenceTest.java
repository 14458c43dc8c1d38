package dev.autotune.api.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/CLI.md is the command reference, generated from the picocli model: every command and subcommand's usage as
 * {@code --help} prints it. This test renders the model and fails when the file says anything else, so an option
 * added, renamed or re-described without regenerating the reference breaks the build instead of the docs.
 * {@code -Dautotune.docs.write=true} rewrites the file from the model (see the message on failure).
 */
class CliReferenceTest {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
    static final Path REFERENCE = REPO.resolve("docs/CLI.md");
    static final String REGENERATE = "mvn -B -o -pl autotune-api -am test -Dtest=CliReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dautotune.docs.write=true";

    @Test
    void docsCliMdIsTheUsageOfEveryCommandAsThePicocliModelRendersIt() throws IOException {
        String generated = reference();
        if (Boolean.getBoolean("autotune.docs.write")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String written = Files.isRegularFile(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        assertThat(written).as("docs/CLI.md has drifted from the CLI's options; regenerate it with\n  " + REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void theReferenceNamesEveryRegisteredCommandAndItsOptions() {
        String generated = reference();
        for (String name : AutotuneCli.COMMANDS.keySet()) {
            assertThat(generated).contains("\n## autotune " + name + "\n");
        }
        // the subcommands of a group are there too, and an option's description with them
        assertThat(generated).contains("\n## autotune study create\n").contains("\n## autotune bench store\n")
                .contains("--allow-duplicate");
    }

    /** The whole reference: a heading and a usage block per command, depth first, in the order help lists them. */
    static String reference() {
        CommandLine root = AutotuneCli.commandLine(true);
        StringBuilder out = new StringBuilder()
                .append("# autotune command reference\n\n")
                .append("Every command's usage exactly as `autotune <command> --help` prints it. Generated from the CLI's\n")
                .append("picocli model by `CliReferenceTest`, which fails the build when this file and the CLI differ; do not\n")
                .append("edit it by hand. After changing a command, regenerate it:\n\n")
                .append("```\n").append(REGENERATE).append("\n```\n\n")
                .append("How each command behaves, with examples, is in [GUIDE.md](GUIDE.md).\n\n");
        contents(root, out);
        out.append('\n');
        section(root, out);
        return out.toString();
    }

    private static void contents(CommandLine command, StringBuilder out) {
        for (CommandLine sub : commands(command)) {
            String name = sub.getCommandSpec().qualifiedName();
            out.append("- [").append(name).append("](#").append(name.replace(' ', '-')).append(")\n");
            contents(sub, out);
        }
    }

    private static void section(CommandLine command, StringBuilder out) {
        // picocli's default width, which --help uses, whatever the terminal or picocli.usage.width say here
        command.setUsageHelpAutoWidth(false);
        command.setUsageHelpWidth(80);
        out.append("\n## ").append(command.getCommandSpec().qualifiedName()).append("\n\n```text\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        for (CommandLine sub : commands(command)) {
            section(sub, out);
        }
    }

    /** The visible subcommands, once each: an alias is registered under each of its names. */
    private static List<CommandLine> commands(CommandLine command) {
        return command.getSubcommands().entrySet().stream()
                .filter(e -> e.getKey().equals(e.getValue().getCommandSpec().name()))
                .map(Map.Entry::getValue)
                .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .toList();
    }
}
