package dev.autotune.runner.cloudai;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CloudAI's DSE {@code trajectory.csv} ({@code <root>/<id>/<iteration>/trajectory.csv}): header
 * {@code step,action,reward,observation}; action is a Python dict repr, observation a Python list repr.
 * Columns are found by header name, so extra columns are tolerated. Rows that do not parse are skipped and reported
 * in {@link #problems()}.
 */
public record Trajectory(Path file, List<Row> rows, List<String> problems) {
    public Trajectory {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }

    /**
     * One DSE step.
     *
     * @param step        1-based step
     * @param action      knob name → value CloudAI applied (knob names as in CloudAI: {@code decode.x},
     *                    {@code extra_env_vars.FOO}, {@code NUM_NODES})
     * @param reward      the reward, null if missing
     * @param observation the agent_metrics values in order (-1.0 = metric failure)
     */
    public record Row(int step, Map<String, Object> action, Double reward, List<Object> observation) {
        public Row {
            action = Collections.unmodifiableMap(new LinkedHashMap<>(action));
            observation = observation == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(observation));
        }
    }

    /** The row of a step (the last one if the step occurs twice), or null. */
    public Row step(int step) {
        Row found = null;
        for (Row r : rows) {
            if (r.step() == step) {
                found = r;
            }
        }
        return found;
    }

    /**
     * What became of a row whose step left no step dir, for each such row by step: when the agent repeats an action,
     * CloudAI reuses the earlier step's result (its trajectory cache) and runs no job, so the row is a reuse of the
     * first earlier row with the same action; otherwise the step's results are missing.
     *
     * @param stepsRead the steps whose step dir was read
     */
    public Map<Integer, String> rowsWithoutStepDir(java.util.Set<Integer> stepsRead) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (stepsRead.contains(r.step())) {
                continue;
            }
            Row reused = null;
            for (int j = 0; j < i && reused == null; j++) {
                if (rows.get(j).action().equals(r.action())) {
                    reused = rows.get(j);
                }
            }
            out.put(r.step(), reused != null
                    ? "skipped, a reuse of step " + reused.step() + " (the same action: CloudAI reused its result and"
                    + " ran no job)"
                    : "refused, no step directory " + r.step() + "/ beside the trajectory (its results are missing)");
        }
        return out;
    }

    public static Trajectory read(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> lines = new ArrayList<>();
        String content = Files.readString(file);
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(content)) {
            while (it.hasNext()) {
                lines.add(it.next());
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a CSV file: " + e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (lines.isEmpty()) {
            return new Trajectory(file, rows, problems);
        }
        String[] header = lines.get(0);
        int stepCol = col(header, "step", 0);
        int actionCol = col(header, "action", 1);
        int rewardCol = col(header, "reward", 2);
        int obsCol = col(header, "observation", 3);
        for (int n = 1; n < lines.size(); n++) {
            String[] l = lines.get(n);
            if (l.length == 0 || (l.length == 1 && l[0].isBlank())) {
                continue;
            }
            try {
                int step = Integer.parseInt(cell(l, stepCol).strip());
                Map<String, Object> action = PyLiteral.parseDict(cell(l, actionCol));
                String rewardText = cell(l, rewardCol).strip();
                Double reward = rewardText.isEmpty() ? null : toDouble(PyLiteral.parse(rewardText));
                String obsText = cell(l, obsCol).strip();
                List<Object> obs = new ArrayList<>();
                if (!obsText.isEmpty()) {
                    Object o = PyLiteral.parse(obsText);
                    if (o instanceof List<?> ol) {
                        obs.addAll(ol);
                    } else {
                        obs.add(o);
                    }
                }
                rows.add(new Row(step, action, reward, obs));
            } catch (RuntimeException e) {
                problems.add(file + " line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Trajectory(file, rows, problems);
    }

    private static Double toDouble(Object o) {
        if (o instanceof Number num) {
            return num.doubleValue();
        }
        throw new IllegalArgumentException("reward is not a number: " + o);
    }

    private static int col(String[] header, String name, int fallback) {
        for (int c = 0; c < header.length; c++) {
            if (header[c].strip().toLowerCase(Locale.ROOT).equals(name)) {
                return c;
            }
        }
        return fallback;
    }

    private static String cell(String[] l, int c) {
        return c < l.length ? l[c] : "";
    }
}
