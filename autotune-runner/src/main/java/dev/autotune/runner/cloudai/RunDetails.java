package dev.autotune.runner.cloudai;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run ran on, from the files CloudAI writes next to the results (CONTRACT.md §2), as metadata strings: results
 * are only explainable later when the hardware and software they ran on are part of the record. A file that is not
 * there or does not parse gives nothing; values CloudAI's metadata script writes as {@code "null"} are left out.
 */
final class RunDetails {
    private static final Pattern NODE_FILE = Pattern.compile("node-(.+)\\.toml");
    private static final List<String> SLURM_KEYS = List.of("job_id", "state", "start_time", "end_time",
            "elapsed_time_sec", "exit_code");

    private RunDetails() {
    }

    /** The container image and model of the run ({@code [test_definition.cmd_args]} of test-run.toml). */
    static Map<String, String> ofTestDefinition(TomlTable td) {
        Map<String, String> out = new LinkedHashMap<>();
        if (td != null) {
            put(out, "cloudai.container_image", td.get(List.of("cmd_args", "docker_image_url")));
            put(out, "cloudai.model", td.get(List.of("cmd_args", "model")));
        }
        return out;
    }

    /**
     * {@code slurm.job_id}, {@code slurm.state}, {@code slurm.start_time}, ... from the run dir's
     * {@code slurm-job.toml}, or with {@code --single-sbatch} (one job for the whole scenario) the results root's.
     */
    static Map<String, String> ofSlurmJob(Path runDir, Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        Path file = runDir.resolve("slurm-job.toml");
        if (!Files.isRegularFile(file) && root != null) {
            file = root.resolve("slurm-job.toml");
        }
        TomlParseResult t = parse(file);
        if (t != null) {
            for (String key : SLURM_KEYS) {
                put(out, "slurm." + key, t.get(List.of(key)));
            }
        }
        return out;
    }

    /**
     * Per node, from {@code metadata/node-<host>.toml} in the run dir (or, with {@code --single-sbatch}, in the
     * results root): {@code node.<host>.gpu} ({@code [system] gpu_arch_type}), {@code .gpu_count}, {@code .driver}
     * ({@code [cuda] nvidia_driver_version}, else {@code cuda_driver_version}, which is what {@code nvidia-smi} calls
     * the driver version), {@code .cuda} ({@code [cuda] cuda_runtime_version}) and {@code .os}.
     */
    static Map<String, String> ofNodes(Path runDir, Path root) {
        Map<String, String> out = new TreeMap<>();
        Path meta = runDir.resolve("metadata");
        if (!Files.isDirectory(meta) && root != null) {
            meta = root.resolve("metadata");
        }
        if (!Files.isDirectory(meta)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(meta, "node-*.toml")) {
            for (Path f : ds) {
                Matcher m = NODE_FILE.matcher(f.getFileName().toString());
                TomlParseResult t = m.matches() ? parse(f) : null;
                if (t == null) {
                    continue;
                }
                String p = "node." + m.group(1) + ".";
                put(out, p + "gpu", t.get(List.of("system", "gpu_arch_type")));
                Object count = t.get(List.of("system", "gpu_count"));
                if (count instanceof Long n && n > 0) {
                    put(out, p + "gpu_count", n);
                }
                Object driver = t.get(List.of("cuda", "nvidia_driver_version"));
                put(out, p + "driver", known(driver) ? driver : t.get(List.of("cuda", "cuda_driver_version")));
                put(out, p + "cuda", t.get(List.of("cuda", "cuda_runtime_version")));
                Object os = t.get(List.of("system", "os_type"));
                Object version = t.get(List.of("system", "os_version"));
                if (known(os)) {
                    put(out, p + "os", os + (known(version) ? " " + version : ""));
                }
            }
        } catch (IOException e) {
            // unreadable metadata dir: nothing to add
        }
        return out;
    }

    private static TomlParseResult parse(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            TomlParseResult t = Toml.parse(file);
            return t.hasErrors() ? null : t;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean known(Object value) {
        return value != null && !(value instanceof String s && (s.isBlank() || s.equals("null")));
    }

    private static void put(Map<String, String> out, String key, Object value) {
        if (known(value) && !(value instanceof TomlTable)) {
            out.put(key, String.valueOf(value));
        }
    }
}
