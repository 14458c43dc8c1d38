package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.Report;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds stores and commands for projection tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Projections views(Database db) {
        return Projections.of(db);
    }

    static AxonStore start(Database db, Projections views) {
        return AxonStore.start(db, views.all());
    }

    static StartExperiment start(String id, String scenario, Map<String, Object> knobs) {
        return new StartExperiment(id, scenario, "vllm", knobs, null, null, null, Map.of(),
                ExperimentApi.Source.INGEST, null, null);
    }

    static IngestReport ingest(String scenario, Map<String, Object> knobs, Map<String, Double> metrics) {
        String id = UUID.randomUUID().toString();
        return new IngestReport(id, start(id, scenario, knobs),
                new Report("reports/" + id + ".json", "sha-" + id, "generic-json", List.of(), metrics));
    }
}
