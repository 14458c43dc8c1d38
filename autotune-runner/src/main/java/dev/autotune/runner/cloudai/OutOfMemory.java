package dev.autotune.runner.cloudai;

import dev.autotune.domain.OneLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a failed job ran out of memory, from what its serving engine and Slurm wrote in the run dir. A config that
 * does not fit (too many sequences per GPU, too small a tensor-parallel size) is a different finding from one that
 * broke, so search and {@code check} tell them apart: the job's failure category is then
 * {@link dev.autotune.domain.FailureCategory#OUT_OF_MEMORY}.
 *
 * <p>Read: the serving logs CloudAI's workloads write ({@code vllm-serve.log}, {@code sglang-serve.log}, the
 * disaggregated {@code *-prefill.log}/{@code *-decode.log}, AI Dynamo's {@code dynamo_*.log}) and the job's Slurm
 * {@code stdout.txt}/{@code stderr.txt} (where {@code slurmstepd} reports an oom-kill); and {@code slurm-job.toml}'s
 * state {@code OUT_OF_MEMORY}. Only the first {@link #MAX_CHARS} characters of a log are read.
 */
final class OutOfMemory {
    /** PyTorch's and CUDA's words for it, and slurmstepd's oom-kill line. */
    private static final Pattern OOM = Pattern.compile(
            "torch\\.(?:cuda\\.)?OutOfMemoryError|CUDA out of memory|CUDA error: out of memory"
                    + "|\\bOutOfMemoryError\\b|oom[-_]kill event|Out of memory: Killed process");
    private static final Pattern SERVING_LOG = Pattern.compile(
            "(?:vllm|sglang)-(?:serve|prefill|decode)\\.log|dynamo_.*\\.log|stdout\\.txt|stderr\\.txt");
    static final long MAX_CHARS = 64L << 20;
    private static final int MAX_EVIDENCE = 300;

    private OutOfMemory() {
    }

    /**
     * The evidence ({@code vllm-serve.log: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ...}), or
     * null when nothing says the job ran out of memory.
     *
     * @param slurmState the job's Slurm state from {@code slurm-job.toml}, or null
     */
    static String evidence(Path runDir, String slurmState) {
        for (Path log : logs(runDir)) {
            String line = firstMatch(log);
            if (line != null) {
                String text = OneLine.of(line.strip());
                return log.getFileName() + ": " + (text.length() <= MAX_EVIDENCE ? text
                        : text.substring(0, MAX_EVIDENCE) + " ...");
            }
        }
        return "OUT_OF_MEMORY".equals(slurmState) ? "Slurm ended the job as OUT_OF_MEMORY" : null;
    }

    private static List<Path> logs(Path runDir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(runDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runDir,
                p -> SERVING_LOG.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        // the serving engine's own logs first: they say why, Slurm's files only that it died
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString().endsWith(".txt"))
                .thenComparing(Path::toString));
        return out;
    }

    private static String firstMatch(Path log) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(log), decoder))) {
            long chars = 0;
            String line;
            while (chars < MAX_CHARS && (line = r.readLine()) != null) {
                if (OOM.matcher(line).find()) {
                    return line;
                }
                chars += line.length() + 1;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
