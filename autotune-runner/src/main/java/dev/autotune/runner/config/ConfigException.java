package dev.autotune.runner.config;

import dev.autotune.domain.OneLine;

import java.nio.file.Path;

/**
 * A TOML config that cannot be read, derived or written. The message is always one line and names the file
 * and, when there is one, the dotted key, e.g. {@code conf/vllm.toml: key 'cmd_args.decode.tp': 'x' is not an integer}.
 */
public class ConfigException extends Exception {
    private final Path file;
    private final String key;

    public ConfigException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    public ConfigException(Path file, String key, String problem, Throwable cause) {
        super(format(file, key, problem), cause);
        this.file = file;
        this.key = key;
    }

    private static String format(Path file, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<no file>" : file.toString()).append(": ");
        if (key != null) {
            sb.append("key '").append(key).append("': ");
        }
        sb.append(problem);
        return OneLine.of(sb.toString());
    }

    /** The file concerned (may be null for a value that was never in a file). */
    public Path file() {
        return file;
    }

    /** The dotted key concerned, or null when the problem is about the whole file. */
    public String key() {
        return key;
    }
}
