package dev.autotune.runner.cloudai;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Finds the cloudai executable the way a shell would, with a one-line reason when it cannot. */
final class Executables {
    private Executables() {
    }

    /** The resolved executable, or the reason it is not usable. */
    record Resolved(Path path, String problem) {
        boolean ok() {
            return path != null;
        }
    }

    static Resolved resolve(String bin) {
        return resolve(bin, System.getenv("PATH"));
    }

    static Resolved resolve(String bin, String pathEnv) {
        if (bin == null || bin.isBlank()) {
            return new Resolved(null, "no cloudai executable given");
        }
        try {
            if (bin.contains("/") || bin.contains(File.separator)) {
                Path p = Path.of(bin);
                if (!Files.exists(p)) {
                    return new Resolved(null, "cloudai executable " + bin + " does not exist");
                }
                if (Files.isDirectory(p)) {
                    return new Resolved(null, "cloudai executable " + bin + " is a directory");
                }
                if (!Files.isExecutable(p)) {
                    return new Resolved(null, "cloudai executable " + bin + " is not executable (chmod +x it)");
                }
                return new Resolved(p.toAbsolutePath(), null);
            }
            if (pathEnv != null) {
                for (String dir : pathEnv.split(File.pathSeparator)) {
                    if (dir.isEmpty()) {
                        continue;
                    }
                    Path p = Path.of(dir, bin);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return new Resolved(p.toAbsolutePath(), null);
                    }
                }
            }
        } catch (InvalidPathException e) {
            return new Resolved(null, "cloudai executable '" + bin + "' is not a valid path: " + e.getMessage());
        }
        return new Resolved(null, "cloudai executable '" + bin + "' not found on PATH"
                + " (CloudAI installs from its repository: git clone https://github.com/NVIDIA/cloudai.git, then"
                + " pip install -e . inside it in a Python 3.10+ virtualenv; activate that virtualenv, or pass the"
                + " path of its bin/cloudai with --cloudai-bin)");
    }
}
