package dev.autotune.api.cli;

import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.Autotune;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "smoke-cloudai", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune smoke-cloudai conf/test_scenario/vllm.toml --system-config conf/system/standalone_system.toml",
        description = "Check the cloudai CLI contract end to end (binary, --help, dry-run) without recording anything.")
final class SmokeCloudaiCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    CloudaiOptions cloudai;

    @Parameters(paramLabel = "SCENARIO.toml")
    Path scenario;

    @Option(names = "--system-config", required = true, paramLabel = "TOML")
    Path systemConfig;

    @Option(names = "--tests-dir", paramLabel = "DIR")
    Path testsDir;



    @Option(names = "--timeout-sec", paramLabel = "N", defaultValue = "120", description = "per check (default: ${DEFAULT-VALUE})")
    long timeoutSec;

    @Override
    public Integer call() {
        List<Runs.ContractCheck> checks = Runs.smokeCloudai(cloudai.cloudaiBin, Duration.ofSeconds(timeoutSec),
                scenario, systemConfig, testsDir, cloudai.hookDir);
        boolean ok = true;
        for (Runs.ContractCheck c : checks) {
            io.out().printf("%-4s %-22s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
            ok &= c.ok();
        }
        io.out().println(ok ? "cloudai contract: ok" : "cloudai contract: FAILED");
        return ok ? AutotuneCli.OK : AutotuneCli.FAILED;
    }
}
