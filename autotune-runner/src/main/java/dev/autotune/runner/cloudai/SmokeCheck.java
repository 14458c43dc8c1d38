package dev.autotune.runner.cloudai;

import dev.autotune.domain.OneLine;
import dev.autotune.runner.files.Directories;
import dev.autotune.runner.report.ReportParser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code autotune smoke-cloudai SCENARIO.toml --system-config ...}: checks that cloudai can be used here, without
 * recording anything (the dry-run writes into a temporary dir that is deleted afterwards).
 *
 * <p>Checks, in order: {@code binary} (found on PATH / executable), {@code help} ({@code --help} exits 0),
 * {@code version} ({@code --version}; optional, so a cloudai without it still passes, with a detail saying so), and
 * {@code dry-run} ({@code cloudai dry-run} on the given files succeeds). When the binary is missing the others are
 * reported as skipped (not ok).
 */
public final class SmokeCheck {

    /** One check: its name, whether it passed, and a one-line detail. */
    public record Check(String name, boolean ok, String detail) {
        public Check {
            detail = OneLine.of(detail);
        }
    }

    private final String cloudaiBin;
    private final Duration timeout;

    /** @param timeout limit for each check (the dry-run included) */
    public SmokeCheck(String cloudaiBin, Duration timeout) {
        this.cloudaiBin = cloudaiBin == null || cloudaiBin.isBlank() ? "cloudai" : cloudaiBin;
        this.timeout = Objects.requireNonNullElse(timeout, Duration.ofMinutes(2));
    }

    public List<Check> run(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir) {
        List<Check> checks = new ArrayList<>();
        Executables.Resolved bin = Executables.resolve(cloudaiBin);
        if (!bin.ok()) {
            checks.add(new Check("binary", false, bin.problem()));
            for (String name : List.of("help", "version", "dry-run")) {
                checks.add(new Check(name, false, "skipped: no cloudai executable"));
            }
            return checks;
        }
        checks.add(new Check("binary", true, bin.path().toString()));

        Result help = exec(List.of(bin.path().toString(), "--help"));
        checks.add(new Check("help", help.exit != null && help.exit == 0,
                help.exit == null ? help.problem : "exit " + help.exit + ": " + OneLine.first(help.output, "(no output)")));

        Result version = exec(List.of(bin.path().toString(), "--version"));
        if (version.exit != null && version.exit == 0) {
            checks.add(new Check("version", true, OneLine.first(version.output, "(no output)")));
        } else if (version.exit != null) {
            checks.add(new Check("version", true, "not available (exit " + version.exit + "): "
                    + OneLine.first(version.output, "(no output)")));
        } else {
            checks.add(new Check("version", false, version.problem));
        }

        checks.add(dryRun(bin.path().toString(), scenarioToml, systemConfig, testsDir, hookDir));
        return checks;
    }

    private Check dryRun(String bin, Path scenario, Path system, Path testsDir, Path hookDir) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("autotune-smoke-");
        } catch (IOException e) {
            return new Check("dry-run", false, "cannot create a temporary dir: " + e.getMessage());
        }
        try {
            RunRequest req = new RunRequest(scenario, system, testsDir, hookDir, bin, timeout, true,
                    tmp.resolve("run"));
            CloudaiRun run = new CloudaiRun(req, new ReportParser(), new PrintStream(OutputStream.nullOutputStream()),
                    new CloudaiRun.Options(Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(2)));
            RunOutcome out = run.execute();
            if (out.failure() != null) {
                return new Check("dry-run", false, out.failure().toString());
            }
            return new Check("dry-run", true, "exit " + out.exitCode() + ", " + out.steps().size() + " test run"
                    + (out.steps().size() == 1 ? "" : "s") + " prepared");
        } finally {
            Directories.deleteQuietly(tmp);
        }
    }

    private record Result(Integer exit, String output, String problem) {
    }

    private Result exec(List<String> cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("autotune-smoke-", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.kill(p.toHandle(), Duration.ofSeconds(2));
                return new Result(null, read(out), String.join(" ", cmd) + " did not answer within "
                        + CloudaiRun.human(timeout));
            }
            return new Result(p.exitValue(), read(out), null);
        } catch (IOException e) {
            return new Result(null, "", "cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "", "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
