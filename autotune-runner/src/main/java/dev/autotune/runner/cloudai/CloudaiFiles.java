package dev.autotune.runner.cloudai;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The files CloudAI itself writes into a results dir next to the workloads' reports (CONTRACT.md §2 and §4): they
 * describe a run, they are no benchmark report. A folder ingest of a results dir skips them, naming each, rather than
 * refusing them as unreadable reports.
 */
public final class CloudaiFiles {
    private static final Map<String, String> OWN = Map.ofEntries(
            Map.entry("test-run.toml", "the resolved test of a run"),
            Map.entry("slurm-job.toml", "the Slurm job of a run"),
            Map.entry("cloudai_sbatch_script.sh", "the batch script of a run"),
            Map.entry("env_vars.sh", "the environment of a run"),
            Map.entry("stdout.txt", "a job's console"),
            Map.entry("stderr.txt", "a job's console"),
            Map.entry("mapping-stdout.txt", "a job's node mapping"),
            Map.entry("mapping-stderr.txt", "a job's node mapping"),
            Map.entry("hostfile.txt", "a job's host list"),
            Map.entry("common.out", "the console of a single-sbatch job"),
            Map.entry("common.err", "the console of a single-sbatch job"),
            Map.entry("success-marker.txt", "an AI Dynamo job's success marker"),
            Map.entry("failure-marker.txt", "an AI Dynamo job's failure marker"),
            Map.entry("dse_failure.txt", "the error a sweep stopped with"),
            Map.entry("metadata.csv", "a sweep's sampled env params"),
            Map.entry("env.csv", "a sweep's sampled env params"),
            Map.entry("debug.log", "cloudai's debug log"));

    private CloudaiFiles() {
    }

    /**
     * What CloudAI wrote this file as ("CloudAI's best config of sweep vllm.gptoss.dse"), or null when it is not one of
     * CloudAI's own files (it may be a report).
     */
    public static String ownFile(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String n = name.toString();
        Path dir = file.toAbsolutePath().getParent();
        String what = OWN.get(n);
        if (what == null && dir != null && dir.getFileName() != null
                && dir.getFileName().toString().equals("metadata")
                && (n.matches("node-.+\\.toml") || n.equals("nodes.err"))) {
            what = "a node's metadata";
        }
        if (what == null && (n.endsWith(".html") || n.endsWith(".tgz"))) {
            what = n.endsWith(".html") ? "a scenario report page" : "the tarball it makes when a run failed";
        }
        // <root>/<Tests.id>/<iteration>/<Tests.id>.toml beside trajectory.csv: DSEReporter's best test definition
        if (what == null && n.endsWith(".toml") && dir != null && dir.getParent() != null
                && dir.getParent().getFileName() != null
                && n.equals(dir.getParent().getFileName() + ".toml")
                && Files.isRegularFile(dir.resolve("trajectory.csv"))) {
            what = "the best config of sweep " + n.substring(0, n.length() - ".toml".length());
        }
        return what == null ? null : "CloudAI's own file (" + what + "), not a report";
    }
}
