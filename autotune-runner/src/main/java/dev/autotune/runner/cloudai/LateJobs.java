package dev.autotune.runner.cloudai;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The jobs cloudai started after autotune began stopping it, and their cancellation. On SIGTERM cloudai cancels the
 * job it is running, but a sweep's loop goes on and submits the next steps inside autotune's grace period; when
 * cloudai is then killed such a job stays queued in Slurm and would run later, owned by nobody. So no job may start
 * after the stop: once cloudai is gone, every Slurm job it submitted after the stop (the ids it printed, and the
 * {@code job_id} of {@code slurm-job.toml} in every run dir it started after the stop) is cancelled with
 * {@code scancel}, and each of those run dirs says what became of its job.
 */
final class LateJobs {
    private LateJobs() {
    }

    /**
     * Cancels the late jobs and returns, per run dir cloudai started after the stop, what became of its job.
     *
     * @param point     when cloudai was stopped (null: it was not, and nothing is done)
     * @param submitted every job cloudai said it submitted
     * @param scancel   the {@code scancel} executable (a path, or a name looked up on PATH)
     * @param diag      where the diagnostics go
     */
    static Map<Path, String> cancel(CloudaiOutput.StopPoint point, List<CloudaiOutput.Submitted> submitted,
                                    String scancel, Consumer<String> diag) {
        if (point == null) {
            return Map.of();
        }
        Map<Path, Set<String>> jobsOfDir = new LinkedHashMap<>();
        point.startedAfter().keySet().forEach(d -> jobsOfDir.put(d, new LinkedHashSet<>()));
        Set<String> all = new LinkedHashSet<>();
        for (CloudaiOutput.Submitted s : submitted) {
            if (s.afterStop() && !s.jobId().equals("0")) {
                all.add(s.jobId());
                if (s.runDir() != null && jobsOfDir.containsKey(s.runDir())) {
                    jobsOfDir.get(s.runDir()).add(s.jobId());
                }
            }
        }
        jobsOfDir.forEach((dir, ids) -> {
            String fromFile = slurmJobId(dir);
            if (fromFile != null) {
                ids.add(fromFile);
                all.add(fromFile);
            }
        });
        String outcome = all.isEmpty() ? null : scancel(scancel, List.copyOf(all));
        if (outcome != null) {
            diag.accept((outcome.isEmpty() ? "cancelled" : "could not cancel") + " Slurm job" + (all.size() == 1
                    ? " " : "s ") + String.join(", ", all) + ", which cloudai submitted after it was told to stop"
                    + (outcome.isEmpty() ? " (scancel)" : ": " + outcome + "; cancel "
                    + (all.size() == 1 ? "it" : "them") + " by hand (scancel " + String.join(" ", all) + ")"));
        }
        Map<Path, String> out = new LinkedHashMap<>();
        jobsOfDir.forEach((dir, ids) -> {
            if (ids.isEmpty()) {
                out.put(dir, "its job was stopped with cloudai");
            } else {
                String which = "Slurm job" + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids);
                out.put(dir, outcome.isEmpty() ? which + " cancelled by autotune (scancel)"
                        : which + " could not be cancelled: " + outcome + "; cancel it by hand");
            }
        });
        return out;
    }

    /** The job id in a run dir's {@code slurm-job.toml}, null when there is none (standalone, or not written yet). */
    private static String slurmJobId(Path dir) {
        Path file = dir.resolve("slurm-job.toml");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            TomlParseResult t = Toml.parse(file);
            Object id = t.hasErrors() ? null : t.get("job_id");
            return id instanceof Long n && n > 0 ? Long.toString(n) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Runs {@code scancel ID...}; returns "" when it succeeded, else why not, in one line. */
    private static String scancel(String bin, List<String> ids) {
        Executables.Resolved exe = Executables.resolve(bin);
        if (!exe.ok()) {
            return exe.problem();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.path().toString());
        cmd.addAll(ids);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "scancel did not finish within 30 s";
            }
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? "" : "scancel exited " + p.exitValue() + (said.isEmpty() ? "" : ": " + said);
        } catch (IOException e) {
            return "cannot run " + exe.path() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while running scancel";
        }
    }
}
