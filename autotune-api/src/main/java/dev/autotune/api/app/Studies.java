package dev.autotune.api.app;

import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.search.Decision;
import dev.autotune.domain.search.Evaluation;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SpaceHistory;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.SpaceError;
import dev.autotune.domain.search.Spaces;
import dev.autotune.domain.search.Strategies;
import dev.autotune.domain.search.Strategy;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.study.StudyApi.FinishStudy;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.domain.study.StudyApi.ProposeTrial;
import dev.autotune.domain.study.StudyApi.StartStudy;
import dev.autotune.projections.StudyProjection.StudyRow;
import dev.autotune.projections.StudyProjection.TrialRow;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.space.SpaceFile;
import dev.autotune.runner.space.TrialFiles;
import dev.autotune.store.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The search use cases, shared by the CLI and the HTTP API: studies over a declared space, ask and tell, the joint
 * recommendation, and the closed loop ({@link Tuner}). A study's state is read from the event log's projections
 * only: its trials from the Study events, and what each trial measured from the experiment it is linked to.
 * Every completed, failed or abandoned experiment of the space's scenario whose config lies in the space is an
 * observation, whether `tune` ran it or someone ingested it (warm start).
 */
public final class Studies {
    private final Autotune autotune;

    public Studies(Autotune autotune) {
        this.autotune = autotune;
    }

    Autotune autotune() {
        return autotune;
    }

    // ---- what the use cases answer (also the JSON shapes) ----

    /** @param status {@code open} or {@code finished} */
    public record StudySummary(int number, String studyId, String name, String scenario, String strategy, long seed,
                               int trials, String status, String finishReason, String finishMessage,
                               Instant startedAt, Instant finishedAt) {
    }

    /**
     * One trial and what its experiment measured.
     *
     * @param status  {@code proposed} (not started yet), or the linked experiment's status
     * @param metrics the experiment's metrics plus the space's per-GPU ones; empty until it completed
     * @param verdict why it is or is not feasible, in words
     */
    public record TrialView(int trial, Map<String, Object> config, String strategy, String reason,
                            Expectation expectation, boolean repeat, Instant proposedAt, Integer experiment,
                            String experimentId, String status, Map<String, Double> metrics, Double objective,
                            Double score, Boolean feasible, String verdict) {
    }

    /** A measured config: the experiment, the trial it answered (null for warm-start experiments), its values. */
    public record Point(int experiment, String experimentId, Integer trial, Map<String, Object> config,
                        Map<String, Double> metrics, Double objective, Double score) {
    }

    /** What the strategy would do next: propose {@code config}, or stop ({@code stopReason} set). */
    public record Next(String strategy, Map<String, Object> config, String reason, Expectation expectation,
                       boolean repeat, String stopReason) {
        public boolean stop() {
            return stopReason != null;
        }
    }

    /**
     * @param next    what the strategy would do next; null once the study finished
     * @param history how many experiments of the scenario the study used and, when some were left out, how many
     *                and why ({@link SpaceHistory#summary})
     */
    public record StudyView(StudySummary study, SearchSpace space, List<TrialView> trials, int observations,
                            Point best, List<Point> pareto, Next next, String history) {
    }

    public record Created(StudySummary study, boolean created) {
    }

    public record Proposal(int trial, Map<String, Object> config, String strategy, String reason,
                           Expectation expectation, boolean repeat) {
    }

    /** The proposals recorded, and the strategy's stop if it stopped before giving as many as asked. */
    public record Asked(StudySummary study, List<Proposal> proposals, Next stopped) {
    }

    public record Told(StudySummary study, int trial, int experiment, boolean proposedNow) {
    }

    // ---- use cases ----

    /**
     * The study of this space: created on first use, found again afterwards (the same space gives the same study,
     * whatever its strategy). {@code strategy} and {@code seed} may be null: then the space file's, else the defaults.
     */
    public Created create(Path spaceFile, String strategy, Long seed) {
        return create(read(spaceFile), strategy, seed);
    }

    Created create(SpaceFile file, String strategy, Long seed) {
        try {
            // the CloudAI test the space will run must have every knob, before anything is recorded
            TrialFiles.checkKnobs(file);
        } catch (ConfigException e) {
            throw badInput(null, e.getMessage(), e);
        }
        String id = studyId(file.space());
        autotune.catchUp();
        Optional<StudyRow> existing = autotune.views().studies().find(id);
        if (existing.isPresent()) {
            return new Created(summary(existing.get()), false);
        }
        String chosen = strategyName(file, strategy);
        strategy(chosen);
        SearchSpace space = withResolvedBaseTest(file);
        String name = file.path().getFileName().toString().replaceFirst("\\.toml$", "");
        autotune.send(new StartStudy(id, name, space, chosen, seed(file, seed)));
        awaitViews();
        return new Created(summary(autotune.views().studies().find(id).orElseThrow()), true);
    }

    public List<StudySummary> list() {
        autotune.catchUp();
        return autotune.views().studies().list().stream().map(Studies::summary).toList();
    }

    public StudyView show(String study) {
        State s = state(study);
        // a finished study proposes nothing more
        Next next = s.study.finished() ? null : s.next(strategy(s.study.strategy()), s.study.seed());
        return new StudyView(summary(s.study), s.study.space(), s.trials, s.history.size(), s.best(), s.pareto(), next,
                historyNote(s.study.space(), false));
    }

    /** Proposes {@code n} configs and records them as trials; several asks before the tells are allowed. */
    public Asked ask(String study, int n, String strategyName, Long seed) {
        if (n < 1) {
            throw badInput("count", "ask for at least one config, got " + n, null);
        }
        List<Proposal> proposals = new ArrayList<>();
        Next stopped = null;
        StudyRow row = state(study).study;
        requireOpen(row);
        String name = strategyName != null ? strategyName : row.strategy();
        Strategy strategy = strategy(name);
        for (int i = 0; i < n; i++) {
            State s = state(row.studyId());
            Next next = s.next(strategy, seed != null ? seed : row.seed());
            if (next.stop()) {
                stopped = next;
                break;
            }
            proposals.add(propose(row, next));
        }
        return new Asked(summary(state(row.studyId()).study), proposals, stopped);
    }

    Proposal propose(StudyRow study, Next next) {
        Object trial = autotune.send(new ProposeTrial(study.studyId(), next.config(), next.strategy(), next.reason(),
                next.expectation(), next.repeat()));
        awaitViews();
        return new Proposal((Integer) trial, next.config(), next.strategy(), next.reason(), next.expectation(),
                next.repeat());
    }

    /**
     * Links an experiment recorded by `ingest` or `run` to the study: to the waiting trial with its config, else to
     * a new trial recorded as measured by hand. The experiment must be of the study's scenario and its config must
     * lie in the space.
     */
    public Told tell(String study, String experiment) {
        State s = state(study);
        requireOpen(s.study);
        ExperimentSummary e = autotune.experiment(experiment);
        SearchSpace space = s.study.space();
        if (!e.scenario().equals(space.scenario())) {
            throw badInput("experiment", "experiment " + e.number() + " is of scenario '" + e.scenario()
                    + "', but study " + s.study.number() + " searches scenario '" + space.scenario() + "'", null);
        }
        Map<String, Object> config = configIn(space, e.knobs()).orElseThrow(() -> outsideTheSpace(space, e));
        for (TrialView t : s.trials) {
            if (e.experimentId().equals(t.experimentId())) {
                throw badInput("experiment", "experiment " + e.number() + " already measures trial " + t.trial()
                        + " of study " + s.study.number(), null);
            }
        }
        Integer trial = s.trials.stream().filter(t -> t.experimentId() == null && t.config().equals(config))
                .map(TrialView::trial).findFirst().orElse(null);
        boolean proposedNow = trial == null;
        if (proposedNow) {
            boolean measuredBefore = s.trials.stream().anyMatch(t -> t.config().equals(config));
            trial = propose(s.study, new Next("tell", config, "measured by hand: experiment " + e.number(), null,
                    measuredBefore, null)).trial();
        }
        autotune.send(new LinkTrial(s.study.studyId(), trial, e.experimentId()));
        awaitViews();
        return new Told(summary(state(s.study.studyId()).study), trial, e.number(), proposedNow);
    }

    /** Finishes a study on the user's word: nothing more is proposed or linked, its results stay. */
    public StudySummary stop(String study, String message) {
        State s = state(study);
        requireOpen(s.study);
        finish(s.study, Decision.StopReason.STOPPED_BY_USER, message == null || message.isBlank()
                ? "stopped by the user" : message);
        return summary(state(s.study.studyId()).study);
    }

    /** The joint next config for a space, from every experiment of its scenario, without creating a study. */
    public Next recommend(Path spaceFile, String strategyName, Long seed) {
        return recommend(spaceFile, strategyName, seed, false);
    }

    /**
     * The joint next config from the history alone (no study); experiments excluded with {@code exclude} count only
     * with {@code includeExcluded}.
     */
    public Next recommend(Path spaceFile, String strategyName, Long seed, boolean includeExcluded) {
        SpaceFile file = read(spaceFile);
        autotune.catchUp();
        State s = new State(null, file.space(), List.of(), observations(file.space(), includeExcluded));
        return s.next(strategy(strategyName(file, strategyName)), seed(file, seed));
    }

    /** A space file's space as a study of it records it (its base test resolved). */
    public SearchSpace space(Path spaceFile) {
        return withResolvedBaseTest(read(spaceFile));
    }

    /** Writes a config as a test TOML: the study's base test with the values set, else the values alone. */
    public void writeConfig(SearchSpace space, Map<String, Object> config, Path out) {
        try {
            new TrialFiles().writeConfig(space.baseTest() == null ? null : Path.of(space.baseTest()), config, out, true);
        } catch (ConfigException e) {
            throw badInput("out_config", e.getMessage(), e);
        }
    }

    // ---- the study as the log left it ----

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
            Decision d = strategy.next(space, observations(), pending(), seed);
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
    }

    record Observed(Observation observation, int experiment, Integer trial) {
    }

    State state(String study) {
        autotune.catchUp();
        StudyRow row = autotune.views().studies().find(study.trim())
                .orElseThrow(() -> new NotFound("no study " + study + " in " + autotune.database()
                        + " (see `autotune study list`)"));
        SearchSpace space = row.space();
        List<TrialRow> trialRows = autotune.views().studies().trials(row.studyId());
        Map<String, ExperimentSummary> experiments = new LinkedHashMap<>();
        for (ExperimentSummary e : autotune.views().list().list(new ListFilter(space.scenario(), null,
                null), 0)) {
            experiments.put(e.experimentId(), e);
        }
        List<TrialView> trials = new ArrayList<>();
        Map<String, Integer> trialOf = new LinkedHashMap<>();
        for (TrialRow t : trialRows) {
            ExperimentSummary e = t.experimentId() == null ? null : experiments.get(t.experimentId());
            if (e == null && t.experimentId() != null) {
                // linked to an experiment of another scenario (only possible by hand): look it up directly
                e = autotune.views().list().find(t.experimentId()).orElse(null);
            }
            if (t.experimentId() != null) {
                trialOf.put(t.experimentId(), t.trial());
            }
            trials.add(trialView(space, t, e));
        }
        return new State(row, space, trials, observations(space, experiments.values(), trialOf));
    }

    private List<Observed> observations(SearchSpace space, boolean includeExcluded) {
        return observations(space, autotune.views().list().list(new ListFilter(space.scenario(), null,
                null, includeExcluded), 0), Map.of());
    }

    private static List<Observed> observations(SearchSpace space, Iterable<ExperimentSummary> experiments,
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

    /**
     * How an experiment counts for the search. A run that failed on its own (the job died, timed out, left no
     * readable report) is evidence against its config; one that was interrupted, could not launch or was refused
     * by cloudai says nothing about the config, like one whose runner died.
     */
    static Observation.Outcome outcome(ExperimentSummary e) {
        return switch (e.status()) {
            // a validated dry run measured nothing
            case RUNNING, VALIDATED -> null;
            case COMPLETED -> Observation.Outcome.COMPLETED;
            case ABANDONED -> Observation.Outcome.ABANDONED;
            case FAILED -> {
                String c = e.failureCategory();
                boolean notAboutTheConfig = c != null && (c.equals(FailureCategory.INTERRUPTED.code())
                        || c.equals(FailureCategory.LAUNCH_FAILED.code()) || c.equals(FailureCategory.USAGE_ERROR.code()));
                yield notAboutTheConfig ? Observation.Outcome.ABANDONED : Observation.Outcome.FAILED;
            }
        };
    }

    private static TrialView trialView(SearchSpace space, TrialRow t, ExperimentSummary e) {
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
        return Optional.ofNullable(SpaceHistory.fit(space, recorded).config());
    }

    /** Why an experiment's config is not in the space, naming the knob (or the constraints) it fails on. */
    private static UserError outsideTheSpace(SearchSpace space, ExperimentSummary e) {
        SpaceHistory.Fit fit = SpaceHistory.fit(space, e.knobs());
        String knob = space.knobs().stream().map(k -> k.path()).filter(p -> fit.leftOut().endsWith(" " + p)
                || fit.leftOut().contains(" " + p + " ")).findFirst().orElse(null);
        if (knob != null) {
            return badInput("experiment", "knobs.\"" + knob + "\": experiment " + e.number() + " " + fit.detail(), null);
        }
        return badInput("experiment", (space.candidates() != null ? "candidates" : "constraints")
                + ": the config of experiment " + e.number() + " is not one the space allows", null);
    }

    /**
     * How many experiments of the space's scenario a study or {@code recommend --space} uses, and how many it leaves
     * out and why, in words (the first line of {@code recommend --space}, {@code study show} and {@code tune}).
     */
    public String historyNote(SearchSpace space, boolean includeExcluded) {
        int used = 0;
        Map<String, Integer> leftOut = new LinkedHashMap<>();
        for (ExperimentSummary e : autotune.views().list().list(new ListFilter(space.scenario(), null, null, true), 0)) {
            String why;
            if (e.excludedReason() != null && !includeExcluded) {
                why = "are excluded";
            } else if (outcome(e) == null) {
                why = e.status() == dev.autotune.domain.ExperimentStatus.VALIDATED ? "are dry runs" : "are still running";
            } else {
                why = SpaceHistory.fit(space, e.knobs()).leftOut();
            }
            if (why == null) {
                used++;
            } else {
                leftOut.merge(why, 1, Integer::sum);
            }
        }
        return SpaceHistory.summary(space.scenario(), used, leftOut);
    }

    /** {@link #historyNote(SearchSpace, boolean)} of a space file. */
    public String historyNote(Path spaceFile, boolean includeExcluded) {
        autotune.catchUp();
        return historyNote(read(spaceFile).space(), includeExcluded);
    }

    // ---- helpers ----

    /**
     * Bad input about {@code field} (in the application's words: {@code experiment}, {@code strategy},
     * {@code out_config}; null when it is about no single input). The field is data on the {@link UserError}:
     * each adapter names it its own way (the CLI as the option, {@code --out-config}).
     */
    public static UserError badInput(String field, String message, Throwable cause) {
        return new UserError(field, message, cause);
    }

    static String studyId(SearchSpace space) {
        // the space as the file declares it: the same space and scenario find the same study again
        return UUID.nameUUIDFromBytes(("autotune-study:" + Json.write(ConfigValues.space(space)))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The space as a study records it: base_test resolved to the file trials derive from, when there is one. */
    private static SearchSpace withResolvedBaseTest(SpaceFile file) {
        Path base;
        try {
            base = TrialFiles.baseTest(file);
        } catch (ConfigException e) {
            base = null;
        }
        SearchSpace s = file.space();
        return new SearchSpace(s.scenario(), s.knobs(), s.constraints(), s.gpus(), s.objective(), s.budgets(),
                s.softSlos(), s.secondObjective(), s.candidates(), base == null ? null : base.toString());
    }

    static SpaceFile read(Path spaceFile) {
        try {
            return SpaceFile.read(spaceFile);
        } catch (ConfigException e) {
            // the message names the file and the key
            throw badInput(null, e.getMessage(), e);
        }
    }

    /** The strategy asked for, else the space file's, else the default. */
    private static String strategyName(SpaceFile file, String given) {
        return given != null ? given : file.strategy() != null ? file.strategy() : Strategies.DEFAULT;
    }

    /** The seed asked for, else the space file's, else 0. */
    private static long seed(SpaceFile file, Long given) {
        return given != null ? given : file.seed() != null ? file.seed() : 0;
    }

    static Strategy strategy(String name) {
        try {
            return Strategies.byName(name);
        } catch (SpaceError e) {
            throw badInput("strategy", "unknown strategy '" + name + "' (known: "
                    + String.join(", ", Strategies.names()) + ")", e);
        }
    }

    static void requireOpen(StudyRow study) {
        if (study.finished()) {
            throw badInput(null, "study " + study.number() + " has finished (" + study.finishReason().name()
                    .toLowerCase(java.util.Locale.ROOT) + ": " + study.finishMessage() + ")", null);
        }
    }

    static StudySummary summary(StudyRow r) {
        return new StudySummary(r.number(), r.studyId(), r.name(), r.scenario(), r.strategy(), r.seed(), r.trialCount(),
                r.finished() ? "finished" : "open",
                r.finishReason() == null ? null : r.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                r.finishMessage(), r.startedAt(), r.finishedAt());
    }

    void finish(StudyRow study, Decision.StopReason reason, String message) {
        autotune.send(new FinishStudy(study.studyId(), reason, message));
        awaitViews();
    }

    void link(String studyId, int trial, String experimentId) {
        autotune.send(new LinkTrial(studyId, trial, experimentId));
        awaitViews();
    }

    void awaitViews() {
        autotune.axon().awaitProjections(Autotune.CATCH_UP_TIMEOUT);
    }
}
