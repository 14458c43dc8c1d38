package dev.autotune.api.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.autotune.api.cli.AutotuneProcess.REPO;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typo suggestions and every command's help, through the CLI in process ({@link InProcessCli}). {@link CliPolishIT}
 * keeps what needs the jar: its version, the completion script in bash, a busy port, run artifacts, a missing cloudai.
 */
class CliPolishCliTest {
    @TempDir
    Path dir;

    /** What bash completes the words to with the completion script sourced. */
    static String complete(Path script, String... words) throws Exception {
        String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
        Process p = new ProcessBuilder("bash", "-c", "source " + script + " && COMP_WORDS=(" + array + ") && COMP_CWORD="
                + (words.length - 1) + " && COMP_LINE=\"${COMP_WORDS[*]}\" && _complete_autotune 2>/dev/null; echo ${COMPREPLY[@]}")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }

    /** A mistyped --db is one line and exit 2 for every command that reads a store or acts on what it holds. */
    @Test
    void commandsOnAnExistingStoreRefuseAMistypedDbAndCreateNoFile() {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.autotune.store.testing.TestStores.onPostgres(),
                "a server database is there whatever a command does");
        Path typo = dir.resolve("typo.db");
        for (String[] args : new String[][]{{"events", "export", "--out", dir.resolve("x.jsonl").toString()},
                {"budget", "list"}, {"budget", "show", "x"}, {"budget", "delete", "x"}, {"rebuild"},
                {"study", "stop", "1"}, {"tell", "1", "--experiment", "1"}, {"ask", "1"}, {"run", "--recover", "1"}}) {
            List<String> line = new java.util.ArrayList<>(List.of(args));
            line.addAll(List.of("--db", typo.toString()));
            var r = run(dir, line.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).startsWith("autotune: --db: " + typo + " does not exist")
                    .doesNotContain("\n");
            assertThat(typo).as(String.join(" ", args)).doesNotExist();
        }
    }

    @Test
    void anEventExportToADirectoryIsRefusedAndLeavesNothingBehind() throws Exception {
        assertThat(run(dir, "demo").exit()).isZero();
        Path target = Files.createDirectories(dir.resolve("exports"));
        var r = run(dir, "events", "export", "--out", target.toString(), "--db", "autotune-demo.db");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("autotune: --out: " + target + ": is a directory; name the file to write");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    void everyMistypedCommandGetsASuggestionOnOneLine() {
        for (String[] args : new String[][]{{"chek"}, {"budget", "sav", "x"}, {"study", "craete"}, {"bench", "stor"}}) {
            var r = run(dir, args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).contains("did you mean").doesNotContain("\n");
        }
        assertThat(run(dir, "chek").err()).contains("did you mean check");
        assertThat(run(dir, "budget", "sav", "x").err()).contains("did you mean save");
    }

    @Test
    void everyCommandsHelpHasAnExampleAndFixedChoicesAreListed() {
        for (String command : AutotuneCli.COMMANDS.keySet()) {
            if (command.equals("help")) {
                continue;
            }
            var r = run(dir, command, "--help");
            assertThat(r.exit()).as(command + "\n" + r).isZero();
            assertThat(r.out()).as(command).containsPattern("Examples?:\\n  (source <\\()?autotune ");
        }
        assertThat(run(dir, "export", "--help").out()).contains("csv, json, markdown")
                .contains("issue, pr,").contains("benchmark-report");
        assertThat(run(dir, "tune", "--help").out()).contains("model, grid, grid-random, random, per-knob");
        assertThat(run(dir, "ingest", "--help").out()).contains("vllm-json");
    }
}
