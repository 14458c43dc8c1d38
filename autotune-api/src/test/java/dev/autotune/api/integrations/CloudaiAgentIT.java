package dev.autotune.api.integrations;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CloudAI agent's own suite ({@code integrations/cloudai-agent/tests}, Python's unittest) in {@code mvn verify}:
 * the agent pip-installed into a venv the suite makes, found by its entry point, driven by the stand-in of CloudAI's
 * agent interface against this build's shaded jar serving a real database. Skipped, saying why, when no Python 3.10+
 * with venv is installed; CI installs it (.ci/run).
 */
class CloudaiAgentIT {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("autotune.jar", "target/autotune.jar")).toAbsolutePath();

    @Test
    void theAgentSuitePassesAgainstTheShadedJar() throws Exception {
        String missing = pythonMissing();
        if (missing != null) {
            System.out.println("CloudaiAgentIT skipped: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        assertThat(JAR).as("the shaded jar the suite serves").isRegularFile();

        Path out = Files.createTempFile("cloudai-agent-suite", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s",
                    "integrations/cloudai-agent/tests", "-v").directory(REPO.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("AUTOTUNE_JAR", JAR.toString());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.start();
            boolean done = p.waitFor(15, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(log);
            assertThat(done).as("the suite finished within 15 minutes").isTrue();
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(log).as("the server tests ran, not skipped for want of the jar").doesNotContain("no autotune jar")
                    .containsPattern("Ran [0-9]+ tests");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Why the suite cannot run here (no python3, older than 3.10, no venv/ensurepip), or null. */
    static String pythonMissing() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of("python3", "-c", "import sys, venv, ensurepip; "
                    + "sys.exit(0 if sys.version_info >= (3, 10) else 3)")).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc == 3) {
                return "python3 is older than 3.10, which CloudAI and the agent need";
            }
            return rc == 0 ? null : "python3 cannot make a venv (install python3-venv): " + text;
        } catch (IOException e) {
            return "no python3 on PATH (" + e.getMessage() + ")";
        }
    }
}
