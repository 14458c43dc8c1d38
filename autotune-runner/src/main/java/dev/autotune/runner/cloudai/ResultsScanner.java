package dev.autotune.runner.cloudai;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds cloudai's scenario results dir and the run dirs inside it (CONTRACT.md §2):
 * {@code <output>/<scenario>_<YYYY-MM-DD_HH-MM-SS>/<Tests.id>/<iteration>/} or, for DSE,
 * {@code .../<Tests.id>/<iteration>/<step>/}.
 */
final class ResultsScanner {
    static final Pattern ROOT_NAME = Pattern.compile("^(.+)_(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})$");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    /** One test run dir. Step is null when the iteration dir is itself the run dir (no DSE). */
    record RunDir(String testId, int iteration, Integer step, Path dir) {
    }

    private ResultsScanner() {
    }

    /**
     * The results root: the dir cloudai announced if it exists, else the newest {@code <scenario>_<timestamp>} dir
     * in the output dir (any {@code *_<timestamp>} dir when none carries the scenario name). Null when none.
     */
    static Path findRoot(Path outputDir, Path announced, String scenarioName) {
        if (announced != null && Files.isDirectory(announced)) {
            return FsUtil.canon(announced);
        }
        if (outputDir == null || !Files.isDirectory(outputDir)) {
            return null;
        }
        List<Path> named = new ArrayList<>();
        List<Path> any = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(outputDir, Files::isDirectory)) {
            for (Path p : ds) {
                Matcher m = ROOT_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    any.add(p);
                    if (m.group(1).equals(scenarioName)) {
                        named.add(p);
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        List<Path> candidates = named.isEmpty() ? any : named;
        return candidates.stream().max(Comparator.comparing(ResultsScanner::stamp)
                        .thenComparing(ResultsScanner::mtime))
                .map(FsUtil::canon).orElse(null);
    }

    private static String stamp(Path p) {
        Matcher m = ROOT_NAME.matcher(p.getFileName().toString());
        return m.matches() ? m.group(2) : "";
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * Every run dir under the root, tests in the order cloudai started them (then by name), iterations and steps
     * numerically.
     */
    static List<RunDir> runDirs(Path root, List<String> testOrder) {
        List<RunDir> out = new ArrayList<>();
        if (root == null || !Files.isDirectory(root)) {
            return out;
        }
        List<Path> testDirs = children(root, false);
        testDirs.sort(Comparator.<Path>comparingInt(p -> {
            int i = testOrder.indexOf(p.getFileName().toString());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(p -> p.getFileName().toString()));
        for (Path testDir : testDirs) {
            String id = testDir.getFileName().toString();
            for (Path iterDir : children(testDir, true)) {
                int iteration = Integer.parseInt(iterDir.getFileName().toString());
                List<Path> steps = children(iterDir, true);
                if (steps.isEmpty()) {
                    out.add(new RunDir(id, iteration, null, FsUtil.canon(iterDir)));
                } else {
                    for (Path stepDir : steps) {
                        out.add(new RunDir(id, iteration, Integer.parseInt(stepDir.getFileName().toString()),
                                FsUtil.canon(stepDir)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The step dirs of one DSE iteration dir, in step order: the test id is the name of the dir above it and the
     * iteration its own number, as in the layout cloudai writes; an iteration dir zipped on its own (the README's
     * {@code cd <iteration dir> && zip -r sweep.zip .}) lost that name, and is iteration 0.
     */
    static List<RunDir> sweepDirs(Path iterationDir) {
        List<RunDir> out = new ArrayList<>();
        String name = iterationDir.getFileName() == null ? "" : iterationDir.getFileName().toString();
        boolean numbered = NUMBER.matcher(name).matches();
        Path testDir = iterationDir.getParent();
        String testId = numbered && testDir != null && testDir.getFileName() != null
                ? testDir.getFileName().toString() : name;
        int iteration = numbered ? Integer.parseInt(name) : 0;
        for (Path stepDir : children(iterationDir, true)) {
            out.add(new RunDir(testId, iteration, Integer.parseInt(stepDir.getFileName().toString()),
                    FsUtil.canon(stepDir)));
        }
        return out;
    }

    /** Subdirs; numeric ones only (sorted numerically) when {@code numeric}. */
    private static List<Path> children(Path dir, boolean numeric) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : ds) {
                if (!numeric || NUMBER.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return out;
        }
        if (numeric) {
            out.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
        } else {
            // a test dir has at least one numeric iteration dir; anything else (metadata/, ...) is not a test
            out.removeIf(p -> children(p, true).isEmpty());
        }
        return out;
    }
}
