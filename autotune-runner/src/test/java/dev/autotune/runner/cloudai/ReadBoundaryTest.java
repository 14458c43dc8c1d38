package dev.autotune.runner.cloudai;

import dev.autotune.runner.report.ReportParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file a step reads lies inside the results it was read from, as named and after symlinks: a test-run.toml
 * naming {@code /etc/...} or {@code ../../..} (an AIPerf phase's report-name, an AI Dynamo workload) or a report that
 * is a link out is not read, and each one is named. The results are built here from the fixture files.
 */
class ReadBoundaryTest {
    static final String DYNAMO = "cloudai-fixtures/extracted_from_tests/ai_dynamo/";

    @TempDir
    Path tmp;

    /** A valid AIPerf CSV outside the results, which must never be read through a step. */
    Path secret() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Path secret = outside.resolve("secret_report.csv");
        if (!Files.exists(secret)) {
            Files.copy(FakeCloudai.resource(DYNAMO + "aiperf_report.csv"), secret);
        }
        return secret;
    }

    /** An AI Dynamo step dir whose test-run.toml names the given workloads and phase reports. */
    Path dynamoStep(Path iterationDir, int step, String workloads, String... phaseReports) throws IOException {
        Path dir = Files.createDirectories(iterationDir.resolve(Integer.toString(step)));
        StringBuilder toml = new StringBuilder("""
                name = "t"
                nnodes = 1

                [test_definition]
                name = "t"
                test_template_name = "AIDynamo"

                [test_definition.cmd_args]
                workloads = "%s"
                """.formatted(workloads));
        for (int i = 0; i < phaseReports.length; i++) {
            toml.append("\n[[test_definition.cmd_args.aiperf_phases]]\nname = \"p").append(i).append("\"\n")
                    .append("report-name = \"").append(phaseReports[i]).append("\"\n");
        }
        Files.writeString(dir.resolve("test-run.toml"), toml);
        Files.copy(FakeCloudai.resource(DYNAMO + "aiperf_report.csv"), dir.resolve("aiperf_report.csv"));
        Files.writeString(dir.resolve("success-marker.txt"), "");
        return dir;
    }

    Path trajectory(Path iterationDir, int steps) throws IOException {
        StringBuilder csv = new StringBuilder("step,action,reward,observation\n");
        for (int s = 1; s <= steps; s++) {
            csv.append(s).append(",\"{'x': ").append(s).append("}\",1.0,[1.0]\n");
        }
        return Files.writeString(iterationDir.resolve("trajectory.csv"), csv);
    }

    @Test
    void aPhaseReportOrWorkloadNamedOutsideTheResultsIsNotReadAndIsNamed() throws IOException {
        Path secret = secret();
        Path iteration = Files.createDirectories(tmp.resolve("results/sc_2026-01-01_00-00-00/t/0"));
        dynamoStep(iteration, 1, "aiperf.sh," + tmp.resolve("elsewhere/secret.sh"),
                secret.toString(), "../../../../../elsewhere/secret_report.csv");

        CloudaiRun.Sweep sweep = CloudaiRun.readSweep(trajectory(iteration, 1), new ReportParser(), null);

        StepResult step = sweep.steps().get(0);
        assertThat(step.reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("aiperf_report.csv");
        assertThat(step.phases()).as("no phase report was read from outside").isEmpty();
        assertThat(sweep.outside()).extracting(ReadBoundary.Outside::key).containsExactly(
                "cmd_args.workloads", "cmd_args.aiperf_phases[0].report-name",
                "cmd_args.aiperf_phases[1].report-name");
        assertThat(sweep.outside()).extracting(ReadBoundary.Outside::file).containsOnly(secret);
        assertThat(sweep.warnings()).hasSize(3).allSatisfy(w -> assertThat(w)
                .contains(secret.toString(), "outside " + tmp.resolve("results/sc_2026-01-01_00-00-00"), "not read"));
    }

    @Test
    void aReportThatLinksOutOfTheResultsIsNotRead() throws IOException {
        Path secret = secret();
        Path iteration = Files.createDirectories(tmp.resolve("results/sc_2026-01-01_00-00-00/t/0"));
        Path step = dynamoStep(iteration, 1, "aiperf.sh");
        Files.delete(step.resolve("aiperf_report.csv"));
        Files.createSymbolicLink(step.resolve("aiperf_report.csv"), secret);

        CloudaiRun.Sweep sweep = CloudaiRun.readSweep(trajectory(iteration, 1), new ReportParser(), null);

        assertThat(sweep.steps().get(0).reports()).isEmpty();
        assertThat(sweep.steps().get(0).succeeded()).isFalse();
        assertThat(sweep.outside()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("cmd_args.workloads");
            assertThat(o.file()).isEqualTo(step.toRealPath().resolve("aiperf_report.csv"));
        });
        assertThat(sweep.warnings()).singleElement().satisfies(w -> assertThat(w).contains("a link to a file outside"));
    }

    @Test
    void withinAnUploadTheBoundaryIsTheUploadAndNotTheDirectoriesAroundIt() throws IOException {
        // an unpacked upload that sits where other uploads' sweeps do: nothing beside it is read
        Path uploads = Files.createDirectories(tmp.resolve("uploads"));
        Path other = Files.createDirectories(uploads.resolve("aaa-other/0"));
        dynamoStep(other, 1, "aiperf.sh");
        Path mine = Files.createDirectories(uploads.resolve("bbb-mine/0"));
        dynamoStep(mine, 1, "aiperf.sh", "../../../aaa-other/0/1/aiperf_report.csv", "aiperf_report.csv");
        dynamoStep(mine, 2, "aiperf.sh");

        CloudaiRun.Sweep sweep = CloudaiRun.readSweep(trajectory(mine, 2), new ReportParser(),
                uploads.resolve("bbb-mine"));

        assertThat(sweep.steps()).extracting(StepResult::stepDir).allSatisfy(d -> assertThat(d)
                .startsWith(uploads.resolve("bbb-mine").toRealPath()));
        assertThat(sweep.steps()).hasSize(2);
        assertThat(sweep.outside()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("cmd_args.aiperf_phases[0].report-name");
            assertThat(o.source()).isEqualTo(mine.toRealPath().resolve("1/test-run.toml"));
        });
    }

    @Test
    void aRunsReportsOutsideItsResultsAreNamedInTheLog() throws IOException {
        Path secret = secret();
        Path out = Files.createDirectories(tmp.resolve("results"));
        Path root = Files.createDirectories(out.resolve("sc_2026-01-01_00-00-00"));
        dynamoStep(root.resolve("t"), 0, "aiperf.sh", secret.toString(), "aiperf_report.csv");
        CloudaiOutput output = new CloudaiOutput(tmp);
        output.accept("[INFO] Scenario results will be stored at: " + root);

        RunAnalysis.Result r = RunAnalysis.analyze(new RunAnalysis.Input(out, "sc", false, 0, output, null),
                new ReportParser());

        assertThat(r.steps().get(0).phases()).extracting(StepResult.Phase::name).containsExactly("p1");
        assertThat(r.diagnostics()).filteredOn(l -> l.startsWith("warning: ")).singleElement()
                .satisfies(l -> assertThat(l).contains(secret.toString(), "cmd_args.aiperf_phases[0].report-name"));
        assertThat(List.copyOf(r.outside())).hasSize(1);
    }
}
