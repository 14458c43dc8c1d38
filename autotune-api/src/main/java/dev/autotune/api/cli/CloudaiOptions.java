package dev.autotune.api.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The cloudai options that mean the same in every command that launches cloudai ({@code run}, {@code tune},
 * {@code smoke-cloudai}): which executable, and where its hooks are. The commands' other cloudai options share a
 * name but not a meaning, so each keeps its own: {@code --timeout-sec} bounds the whole run, one trial, or one
 * contract check; {@code --tests-dir} defaults to the space's [cloudai] table only in tune; {@code --system-config}
 * is optional only in run (for --recover).
 */
final class CloudaiOptions {
    @Option(names = "--hook-dir", paramLabel = "DIR", description = "directory of CloudAI hooks")
    Path hookDir;

    @Option(names = "--cloudai-bin", paramLabel = "PATH", defaultValue = "cloudai",
            description = "the cloudai executable (default: cloudai on PATH)")
    String cloudaiBin;
}
