package dev.autotune.api.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 9: a command line picocli cannot parse gets one line naming the problem and where to find the
 * usage, and exit 2, instead of the multi-line usage text.
 */
class OneLineUsageTest {
    @ParameterizedTest
    @ValueSource(strings = {"ingest", "ingest a.json --format", "list --bogus", "list --last", "list --last many",
            "frobnicate", "show", "diff 1", "serve --port", "--bogus",
            "ingest --max-report-mb x r.json", "derive a.toml"})
    void aBadCommandLineIsOneLineAndExitTwo(String commandLine) {
        String printed = execute(commandLine, 2);
        assertThat(printed).startsWith("autotune: ").contains("--help");
    }

    /** `run` needs a scenario and a system config unless it recovers, and a recovery takes nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"run|SCENARIO.toml", "run a.toml|--system-config",
            "run --recover 1 a.toml --system-config s.toml|--recover"})
    void runWithoutItsFilesOrARecoveryWithThemIsOneLineNamingTheField(String caseText) {
        String[] parts = caseText.split("\\|");
        String printed = execute(parts[0], 2);
        assertThat(printed).startsWith("autotune: ").contains(parts[1]);
    }

    private static String execute(String commandLine, int expectedExit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = AutotuneCli.execute(both, both, StandardCharsets.UTF_8, commandLine.split(" "));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isEqualTo(expectedExit);
        assertThat(printed.strip().lines()).as(printed).hasSize(1);
        return printed;
    }
}
