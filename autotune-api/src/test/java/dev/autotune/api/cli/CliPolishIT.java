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
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's polish on the real jar: the version it was built from, the completion script in a real bash, a busy port,
 * where run artifacts go, a missing cloudai. Typo suggestions and help are {@link CliPolishCliTest}, in process.
 */
class CliPolishIT {
    @TempDir
    Path dir;

    @Test
    void theVersionNamesTheReleaseAndTheCommitItWasBuiltFrom() {
        for (String[] args : new String[][]{{"-V"}, {"--version"}, {"check", "-V"}, {"budget", "save", "--version"}}) {
            var r = run(dir, args);
            assertThat(r.exit()).as(r.toString()).isZero();
            // the release from the jar's manifest, the commit from the checkout the jar was built in
            assertThat(r.out().strip()).matches("autotune \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, commit [0-9a-f]{7,}"
                    + "( with uncommitted changes)? of \\d{4}-\\d\\d-\\d\\dT.*");
        }
    }

    @Test
    void completionPrintsAScriptThatCompletesCommandsSubcommandsAndChoices() throws Exception {
        var bash = run(dir, "completion", "bash");
        assertThat(bash.exit()).as(bash.toString()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_autotune").contains("bashcompinit");
        var zsh = run(dir, "completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).contains("ZSH_VERSION").contains("bashcompinit");
        Path script = Files.writeString(dir.resolve("autotune.bash"), bash.out());
        // the script, sourced into a real bash, completes a subcommand, a nested one and an option's values
        assertThat(CliPolishCliTest.complete(script, "autotune", "bud")).isEqualTo("budget");
        assertThat(CliPolishCliTest.complete(script, "autotune", "budget", "sa")).isEqualTo("save");
        assertThat(CliPolishCliTest.complete(script, "autotune", "export", "--template", "")).isEqualTo("issue pr benchmark-report");
        var fish = run(dir, "completion", "fish");
        assertThat(fish.exit()).isEqualTo(2);
        assertThat(fish.err().strip()).isEqualTo("autotune: shell 'fish' is not one of bash, zsh");
    }

    @Test
    void serveOnABusyPortSaysSoInOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var r = run(dir, "serve", "--port", Integer.toString(busy.getLocalPort()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            // besides the line a new SQLite database gets (a server database is not created by autotune)
            assertThat(r.err().strip().lines().filter(l -> !l.equals("autotune: created new database autotune.db")))
                    .as(r.toString()).containsExactly("autotune: cannot serve on 127.0.0.1:" + busy.getLocalPort()
                            + ": Address already in use");
        }
    }

    @Test
    void runArtifactsGoNextToTheDatabaseNotTheCurrentDirectory() throws Exception {
        // a server database has no directory: there runs/ is in the working directory (StoreLocation.localDirectory)
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.autotune.store.testing.TestStores.onPostgres(),
                "a file-store behaviour");
        Path resources = REPO.resolve("autotune-runner/src/test/resources");
        Path scenario = Files.writeString(dir.resolve("agg.toml"), """
                name = "vllm-agg"

                [[Tests]]
                id = "vllm.agg.1node"
                test_name = "vllm"
                num_nodes = 1
                """);
        Path elsewhere = Files.createDirectories(dir.resolve("project/db"));
        var r = run(dir, Map.of("FAKE_CLOUDAI_MODE", "success"), "run", scenario.toString(), "--system-config",
                resources.resolve("cloudai-conf/common/system/standalone_system.toml").toString(), "--tests-dir",
                resources.resolve("cloudai-conf/experimental/vllm/test").toString(), "--cloudai-bin",
                resources.resolve("fake-cloudai/cloudai").toString(), "--db", elsewhere.resolve("a.db").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(elsewhere.resolve("runs")).isDirectory();
        assertThat(dir.resolve("runs")).doesNotExist();
        assertThat(r.out()).contains("artifacts in " + elsewhere.resolve("runs"));
    }

    @Test
    void aMissingCloudaiSaysHowCloudaiIsInstalled() throws Exception {
        Path resources = REPO.resolve("autotune-runner/src/test/resources");
        var r = run(dir, "smoke-cloudai", dir.resolve("none.toml").toString(), "--system-config",
                resources.resolve("cloudai-conf/common/system/standalone_system.toml").toString(),
                "--cloudai-bin", "cloudai-not-installed-anywhere-42");
        assertThat(r.out() + r.err()).contains("not found on PATH")
                .contains("git clone https://github.com/NVIDIA/cloudai.git").contains("pip install -e .");
    }
}
