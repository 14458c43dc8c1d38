package dev.autotune.domain;

import java.util.regex.Pattern;

/** A dotted path to one configuration value, e.g. {@code serving.batch_size} or {@code cmd_args.decode.tp}. */
public record KnobPath(String path) {
    private static final Pattern SEGMENTS = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    public KnobPath {
        if (path == null || !SEGMENTS.matcher(path).matches()) {
            throw new IllegalArgumentException("knob '" + path + "' must be a dotted path like serving.batch_size");
        }
    }

    public String[] segments() {
        return path.split("\\.");
    }

    @Override
    public String toString() {
        return path;
    }
}
