package dev.autotune.api.app.studies;

import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.api.app.studies.Studies.Next;
import dev.autotune.api.app.studies.Studies.Point;
import dev.autotune.api.app.studies.Studies.TrialView;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.search.Decision;
import dev.autotune.domain.search.Evaluation;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Spaces;
import dev.autotune.domain.search.Strategy;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.study.SpaceHistory;
import dev.autotune.domain.study.StudyRules;
import dev.autotune.projections.StudyProjection.StudyRow;
import dev.autotune.projections.StudyProjection.TrialRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A study, its trials, and every observation of its space, read once. */
final class State {
    final StudyRow study;
    final SearchSpace space;
    final List<TrialView> trials;
    /** observation, experiment number, and the trial it answered (null when none did) */
    final List<Observed> history;

    State(StudyRow study, SearchSpace space, List<TrialView> trials, List<Observed> history) {
        this.study = study;
        this.space = space;
        this.trials = trials;
        this.history = history;
    }

    /** Configs proposed and not measured yet: never started, or their experiment is still running. */
    List<Map<String, Object>> pending() {
        return trials.stream().filter(t -> t.status().equals("proposed") || t.status().equals("running"))
                .map(TrialView::config).toList();
    }

    List<Observation> observations() {
        return history.stream().map(Observed::observation).toList();
    }

    Next next(Strategy strategy, long seed) {
        return next(strategy, seed, false);
    }

    /** With {@code force}, a stop that still has a proposal gives it, its reason saying it was asked for. */
    Next next(Strategy strategy, long seed, boolean force) {
        Decision d = strategy.next(space, observations(), pending(), seed);
        if (d instanceof Decision.Stop stop && force && stop.anyway() != null) {
            Decision.Propose p = stop.anyway();
            return new Next(strategy.name(), ConfigValues.config(p.config()), p.reason() + " (asked to go on: "
                    + stop.why() + ")", p.expected(), p.repeat(), null);
        }
        if (d instanceof Decision.Propose p) {
            return new Next(strategy.name(), ConfigValues.config(p.config()), p.reason(), p.expected(), p.repeat(),
                    null);
        }
        Decision.Stop stop = (Decision.Stop) d;
        return new Next(strategy.name(), null, stop.why(), null, false, stop.reason().name());
    }

    Point best() {
        Point best = null;
        for (Observed o : history) {
            Evaluation e = Spaces.evaluate(space, o.observation());
            if (e.feasible() && (best == null || space.objective().better(e.score(), best.score()))) {
                best = point(o, e);
            }
        }
        return best;
    }

    List<Point> pareto() {
        List<Observation> front = Spaces.paretoFront(space, observations());
        List<Point> out = new ArrayList<>();
        for (Observation f : front) {
            history.stream().filter(o -> o.observation() == f).findFirst()
                    .ifPresent(o -> out.add(point(o, Spaces.evaluate(space, f))));
        }
        return out;
    }

    private Point point(Observed o, Evaluation e) {
        return new Point(o.experiment(), o.observation().experimentId(), o.trial(), o.observation().config(),
                Spaces.withDerived(space, o.observation().config(), o.observation().metrics()), e.objective(),
                e.score());
    }

    /** The study's own row (number, name or id), without its trials or history. */
    static StudyRow row(StoreSession session, String study) {
        return session.views().studies().find(study.trim())
                .orElseThrow(() -> new NotFound("no study " + study + " in " + session.database()
                        + " (see `autotune study list`)"));
    }

    /** The study as the read models hold it now, without catching up. */
    static State read(StoreSession session, String study) {
        StudyRow row = row(session, study);
        SearchSpace space = row.space();
        List<TrialRow> trialRows = session.views().studies().trials(row.studyId());
        Map<String, ExperimentSummary> experiments = new LinkedHashMap<>();
        for (ExperimentSummary e : session.views().list().list(new ListFilter(space.scenario(), null,
                null), 0)) {
            experiments.put(e.experimentId(), e);
        }
        List<TrialView> trials = new ArrayList<>();
        Map<String, Integer> trialOf = new LinkedHashMap<>();
        for (TrialRow t : trialRows) {
            ExperimentSummary e = t.experimentId() == null ? null : experiments.get(t.experimentId());
            if (e == null && t.experimentId() != null) {
                // linked to an experiment of another scenario (only possible by hand): look it up directly
                e = session.views().list().find(t.experimentId()).orElse(null);
            }
            if (t.experimentId() != null) {
                trialOf.put(t.experimentId(), t.trial());
            }
            trials.add(trialView(space, t, e));
        }
        return new State(row, space, trials, observations(space, experiments.values(), trialOf));
    }

    static List<Observed> observations(SearchSpace space, Iterable<ExperimentSummary> experiments,
                                               Map<String, Integer> trialOf) {
        List<Observed> out = new ArrayList<>();
        for (ExperimentSummary e : experiments) {
            Observation.Outcome outcome = outcome(e);
            if (outcome == null) {
                continue;
            }
            configIn(space, e.knobs()).ifPresent(config -> out.add(new Observed(
                    new Observation(config, e.metrics(), outcome, e.experimentId()), e.number(),
                    trialOf.get(e.experimentId()))));
        }
        return out;
    }

    /** How an experiment counts for the search ({@link StudyRules#outcome}). */
    static Observation.Outcome outcome(ExperimentSummary e) {
        return StudyRules.outcome(e.status(), e.failureCategory(), e.metrics());
    }

    private static Studies.TrialView trialView(SearchSpace space, TrialRow t, ExperimentSummary e) {
        if (e == null) {
            return new TrialView(t.trial(), t.config(), t.strategy(), t.reason(), t.expectation(), t.repeat(),
                    t.proposedAt(), null, t.experimentId(), t.experimentId() == null ? "proposed" : "running",
                    Map.of(), null, null, null, t.experimentId() == null ? "not started" : "running");
        }
        String status = e.status().code();
        Observation.Outcome outcome = outcome(e);
        if (outcome == null) {
            return new TrialView(t.trial(), t.config(), t.strategy(), t.reason(), t.expectation(), t.repeat(),
                    t.proposedAt(), e.number(), e.experimentId(), status, Map.of(), null, null, null, "running");
        }
        // a value that did not take effect is an error on the trial: its experiment counts for the config that ran
        Optional<String> notApplied = outcome == Observation.Outcome.COMPLETED
                ? SpaceHistory.notTakenEffect(t.config(), e.knobs()) : Optional.empty();
        if (notApplied.isPresent()) {
            return new TrialView(t.trial(), t.config(), t.strategy(), t.reason(), t.expectation(), t.repeat(),
                    t.proposedAt(), e.number(), e.experimentId(), status, Map.of(), null, null, false,
                    notApplied.get());
        }
        Evaluation ev = Spaces.evaluate(space, new Observation(t.config(), e.metrics(), outcome, e.experimentId()));
        Map<String, Double> metrics = outcome == Observation.Outcome.COMPLETED
                ? Spaces.withDerived(space, t.config(), e.metrics()) : Map.of();
        String verdict = e.failureCategory() == null ? ev.why() : ev.why() + " (" + e.failureCategory() + ")";
        return new TrialView(t.trial(), t.config(), t.strategy(), t.reason(), t.expectation(), t.repeat(),
                t.proposedAt(), e.number(), e.experimentId(), status, metrics, ev.objective(), ev.score(),
                ev.feasible(), verdict);
    }

    /**
     * An experiment's config as the space names it, when it lies in the space: the knobs are matched by their
     * canonical names ({@link SpaceHistory#fit}), whoever recorded them.
     */
    static Optional<Map<String, Object>> configIn(SearchSpace space, Map<String, ?> recorded) {
        return StudyRules.configIn(space, recorded);
    }

    /** Why an experiment's config is not in the space, naming the knob (or the constraints) it fails on. */
    static UserError outsideTheSpace(SearchSpace space, ExperimentSummary e) {
        SpaceHistory.Fit fit = SpaceHistory.fit(space, e.knobs());
        String knob = space.knobs().stream().map(k -> k.path()).filter(p -> fit.leftOut().endsWith(" " + p)
                || fit.leftOut().contains(" " + p + " ")).findFirst().orElse(null);
        if (knob != null) {
            return Studies.badInput("experiment", "knobs.\"" + knob + "\": experiment " + e.number() + " " + fit.detail(), null);
        }
        return Studies.badInput("experiment", (space.candidates() != null ? "candidates" : "constraints")
                + ": the config of experiment " + e.number() + " is not one the space allows", null);
    }
}
