package dev.autotune.api.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AutotuneCliTest {
    @Test
    void every_command_is_registered_under_the_name_its_annotation_gives() {
        AutotuneCli.COMMANDS.forEach((name, command) ->
                assertThat(command.getAnnotation(Command.class).name()).as(command.getSimpleName()).isEqualTo(name));
    }

    @Test
    void help_lists_every_command_and_a_typo_gets_a_suggestion_from_all_of_them() {
        String help = run("--help");
        AutotuneCli.COMMANDS.keySet().forEach(name -> assertThat(help).contains("  " + name + " "));
        assertThat(run("lst")).contains("Unmatched argument").contains("list");
    }

    @Test
    void askingForTheLastZeroExperimentsIsAUsageError() {
        assertThat(run("list", "--last", "0", "--db", "never-created.db"))
                .contains("autotune: --last: expected a positive number of experiments, got 0");
        assertThat(AutotuneCli.execute("list", "--last", "-3", "--db", "never-created.db")).isEqualTo(2);
        assertThat(Path.of("never-created.db")).doesNotExist();
    }

    /** What the command printed, on stdout and stderr together. */
    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AutotuneCli.execute(both, both, StandardCharsets.UTF_8, args);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
