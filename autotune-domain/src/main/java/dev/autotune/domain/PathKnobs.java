package dev.autotune.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knob values read from file or directory names, for a sweep folder whose reports do not state every knob (vLLM's
 * JSON has no tensor parallel size): {@code tp{tensor_parallel_size}_c{max_concurrency}} reads
 * {@code tp8_c32.json} as tensor_parallel_size=8, max_concurrency=32. The pattern must match a whole name: the file
 * name without its extension, else one of the directories above it, nearest first.
 */
public final class PathKnobs {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.\\-]+)}");

    private final String text;
    private final Pattern regex;
    private final List<String> knobs;

    private PathKnobs(String text, Pattern regex, List<String> knobs) {
        this.text = text;
        this.regex = regex;
        this.knobs = knobs;
    }

    /** @throws IllegalArgumentException when the pattern names no knob or names one twice */
    public static PathKnobs compile(String pattern) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder regex = new StringBuilder();
        List<String> knobs = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            if (knobs.contains(m.group(1))) {
                throw new IllegalArgumentException("'" + pattern + "' names {" + m.group(1) + "} twice");
            }
            knobs.add(m.group(1));
            // a value runs to the next literal part: lazy, without path separators
            regex.append("([^/\\\\]+?)");
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last)));
        if (knobs.isEmpty()) {
            throw new IllegalArgumentException("'" + pattern + "' names no knob: write e.g. 'tp{tensor_parallel_size}_c{max_concurrency}'");
        }
        return new PathKnobs(pattern, Pattern.compile(regex.toString()), List.copyOf(knobs));
    }

    /**
     * The knob values of the first name the pattern matches whole (numbers as Long or Double, anything else a
     * string), or empty.
     *
     * @param names the file name without its extension, then the names of the directories above it, nearest first
     */
    public Optional<Map<String, Object>> match(List<String> names) {
        for (String name : names) {
            Matcher m = regex.matcher(name);
            if (m.matches()) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < knobs.size(); i++) {
                    out.put(knobs.get(i), typed(m.group(i + 1)));
                }
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    private static Object typed(String v) {
        if (v.matches("-?\\d{1,18}")) {
            return Long.parseLong(v);
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(v);
        }
        return v;
    }

    @Override
    public String toString() {
        return text;
    }
}
