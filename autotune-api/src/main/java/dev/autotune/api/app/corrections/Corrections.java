package dev.autotune.api.app.corrections;

import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.history.History;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.query.ExperimentSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Corrections: tag, untag, note, exclude, include, amend, each a new event on the experiment, projected before
 * the call returns; and the same correction over every experiment a filter matches.
 */
public final class Corrections {
    private final StoreSession session;
    private final History history;

    public Corrections(StoreSession session, History history) {
        this.session = session;
        this.history = history;
    }

    /**
     * One experiment of a correction over a filter: what it is after the correction, or why it was refused (already
     * excluded, nothing to amend, ...).
     */
    public record Corrected(int number, ExperimentSummary after, String refused) {
    }

    /**
     * A correction applied to every experiment that matches {@code where} (the list filter language), each with its
     * own event, oldest first; an experiment the correction refuses is reported, the others are still corrected.
     *
     * @throws UserError naming {@code where} when it cannot be read or matches no experiment
     */
    public List<Corrected> correctWhere(String where, boolean includeExcluded,
                                        java.util.function.Function<String, ExperimentSummary> correction) {
        List<ExperimentSummary> rows = history.table(history.filter(null, null, null, includeExcluded), where, null, null, false, null)
                .rows();
        if (rows.isEmpty()) {
            throw new UserError("where", "no experiment matches '" + where + "'"
                    + (includeExcluded ? "" : " (excluded ones only with --include-excluded)"));
        }
        List<Corrected> out = new ArrayList<>();
        for (ExperimentSummary row : rows) {
            try {
                out.add(new Corrected(row.number(), correction.apply(row.experimentId()), null));
            } catch (UserError | IllegalArgumentException | IllegalStateException e) {
                out.add(new Corrected(row.number(), null, dev.autotune.domain.OneLine.first(e.getMessage(), "refused")));
            }
        }
        return out;
    }

    /** Sets tags ({@code key=value}); a tag that already holds the value is left as it is. */
    public ExperimentSummary tag(String ref, List<String> pairs) {
        Map<String, String> tags = Inputs.pairs("tag", pairs);
        if (tags.isEmpty()) {
            throw new UserError("tag", "give at least one tag as key=value, e.g. gpu=H100");
        }
        return correct(ref, id -> new ExperimentApi.TagExperiment(id, tags));
    }

    public ExperimentSummary untag(String ref, List<String> keys) {
        List<String> names = keys == null ? List.of() : keys.stream().filter(k -> k != null && !k.isBlank())
                .map(String::trim).toList();
        if (names.isEmpty()) {
            throw new UserError("tag", "name at least one tag to remove");
        }
        return correct(ref, id -> new ExperimentApi.UntagExperiment(id, names));
    }

    public ExperimentSummary note(String ref, String text) {
        if (text == null || text.isBlank()) {
            throw new UserError("note", "the note is empty");
        }
        return correct(ref, id -> new ExperimentApi.AddNote(id, text));
    }

    /** Leaves the experiment out of every view, check, recommendation, search and export unless asked. */
    public ExperimentSummary exclude(String ref, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new UserError("reason", "say why the experiment is excluded, e.g. \"wrong model loaded\"");
        }
        return correct(ref, id -> new ExperimentApi.ExcludeExperiment(id, reason.strip()));
    }

    public ExperimentSummary include(String ref) {
        return correct(ref, ExperimentApi.IncludeExperiment::new);
    }

    /**
     * Corrects values recorded wrong: the scenario, the backend and knob values ({@code knob=value}, typed like
     * TOML). The original events stay; every view shows the amended values and {@code show} both.
     */
    public ExperimentSummary amend(String ref, String scenario, String backend, List<String> sets) {
        Map<String, Object> knobs = Inputs.knobs("set", sets);
        String scen = Inputs.blankToNull(scenario);
        String back = Inputs.blankToNull(backend);
        if (scen == null && back == null && knobs.isEmpty()) {
            throw new UserError("set", "give what to correct: a scenario, a backend or knob=value");
        }
        return correct(ref, id -> new ExperimentApi.AmendExperiment(id, scen, back, knobs));
    }

    private ExperimentSummary correct(String ref, java.util.function.Function<String, Object> command) {
        session.catchUp();
        ExperimentSummary e = history.experiment(ref);
        try {
            session.axon().appendAndProject(() -> {
            }, () -> session.send(command.apply(e.experimentId())));
        } catch (UserError | IllegalArgumentException | IllegalStateException refused) {
            // the aggregate refused the correction (Axon hands its exception back as it was thrown): say which
            // experiment by the number the user knows, not by its full id
            throw new UserError("experiment", "experiment " + e.number() + ": "
                    + refused.getMessage().replace("experiment " + e.experimentId(), "it"), refused);
        }
        return session.views().list().find(e.experimentId()).orElseThrow();
    }
}
