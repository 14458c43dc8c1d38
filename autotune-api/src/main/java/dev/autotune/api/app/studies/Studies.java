package dev.autotune.api.app.studies;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.Conflict;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.api.app.history.History;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.search.Decision;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.Importance;
import dev.autotune.domain.study.SpaceHistory;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.SpaceError;
import dev.autotune.domain.search.Strategies;
import dev.autotune.domain.search.Strategy;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.study.StudyApi.FinishStudy;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.domain.study.StudyApi.ProposeTrial;
import dev.autotune.domain.study.StudyApi.StartStudy;
import dev.autotune.projections.StudyProjection.StudyRow;
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
    private final StoreSession session;
    private final History history;
    private final Runs runs;
    private final Recording recording;

    public Studies(StoreSession session, History history, Runs runs, Recording recording) {
        this.session = session;
        this.history = history;
        this.runs = runs;
        this.recording = recording;
    }

    StoreSession session() {
        return session;
    }

    History history() {
        return history;
    }

    Runs runs() {
        return runs;
    }

    Recording recording() {
        return recording;
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
     * @param importance which knobs matter: the objective's split, then each budget's ({@link Importance})
     */
    public record StudyView(StudySummary study, SearchSpace space, List<TrialView> trials, int observations,
                            Point best, List<Point> pareto, Next next, String history,
                            List<Importance.Split> importance) {
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
     * The study of this space: created on first use, found again afterwards (the same space gives the same study).
     * {@code strategy} and {@code seed} may be null: then the space file's, else the defaults. Found again with a
     * strategy or seed asked for that differs from the study's, it refuses with one line naming the option, unless
     * {@code name} asks for a study of its own (the same space under another name is another study).
     */
    public Created create(Path spaceFile, String strategy, Long seed) {
        return create(read(spaceFile), strategy, seed, null);
    }

    public Created create(Path spaceFile, String strategy, Long seed, String name) {
        return create(read(spaceFile), strategy, seed, name);
    }

    /** {@link #create(Path, String, Long, String)} for a server: the space's own paths must lie under {@code within}. */
    public Created create(Path spaceFile, String strategy, Long seed, String name, List<Path> within) {
        return create(read(spaceFile, within), strategy, seed, name);
    }

    /**
     * For `tune`: the study of the space, created with these options, or found again whatever its own (a strategy or
     * seed given to `tune` applies to that run only, as with `ask --strategy`).
     */
    Created createOrResume(SpaceFile file, String strategy, Long seed) {
        return create(file, strategy, seed, null, false);
    }

    Created create(SpaceFile file, String strategy, Long seed, String name) {
        return create(file, strategy, seed, name, true);
    }

    private Created create(SpaceFile file, String strategy, Long seed, String name, boolean strict) {
        if (name != null && name.isBlank()) {
            throw badInput("name", "give the study a name that is not blank", null);
        }
        try {
            // the CloudAI test the space will run must have every knob, before anything is recorded
            TrialFiles.checkKnobs(file);
        } catch (ConfigException e) {
            throw badInput(null, e.getMessage(), e);
        }
        String id = studyId(file.space(), name);
        String chosen = strategyName(file, strategy);
        strategy(chosen);
        long chosenSeed = seed(file, seed);
        SearchSpace space = withResolvedBaseTest(file);
        String studyName = name != null ? name.trim()
                : file.path().getFileName().toString().replaceFirst("\\.toml$", "");
        session.catchUp();
        Created found = write(id, () -> {
            Optional<StudyRow> existing = session.views().studies().find(id);
            if (existing.isPresent()) {
                StudyRow row = existing.get();
                // only what was asked for can differ: an option left out takes the study's own
                if (strict && strategy != null && !strategy.trim().equals(row.strategy())) {
                    throw new Conflict("strategy", "study " + row.number() + " of this space uses strategy '"
                            + row.strategy() + "', not '" + strategy.trim() + "'; give the new study a name of its own "
                            + "to start another one");
                }
                if (strict && seed != null && seed != row.seed()) {
                    throw new Conflict("seed", "study " + row.number() + " of this space uses seed " + row.seed()
                            + ", not " + seed + "; give the new study a name of its own to start another one");
                }
                return new Created(summary(row), false);
            }
            session.send(new StartStudy(id, studyName, space, chosen, chosenSeed));
            return null;
        });
        // the events of a write are in the read models once it returned
        return found != null ? found : new Created(summary(session.views().studies().find(id).orElseThrow()), true);
    }

    public List<StudySummary> list() {
        session.catchUp();
        return session.views().studies().list().stream().map(Studies::summary).toList();
    }

    public StudyView show(String study) {
        State s = state(study);
        // a finished study proposes nothing more
        Next next = s.study.finished() ? null : s.next(strategy(s.study.strategy()), s.study.seed());
        return new StudyView(summary(s.study), s.study.space(), s.trials, s.history.size(), s.best(), s.pareto(), next,
                historyNote(s.study.space(), false), Importance.of(s.study.space(), s.observations()));
    }

    /**
     * The most configs one ask proposes: each proposal runs the strategy over the whole space under the study's lock,
     * so one request must not hold it for a hundred of them (on a 200,000-config space that was 20 s).
     */
    public static final int MAX_ASK = 16;

    /** Proposes {@code n} configs and records them as trials; several asks before the tells are allowed. */
    public Asked ask(String study, int n, String strategyName, Long seed) {
        return ask(study, n, strategyName, seed, false);
    }

    /**
     * Proposes {@code n} configs and records them as trials. When the strategy stops (nothing left worth a run),
     * nothing more is proposed and {@link Asked#stopped} says why, unless {@code force}: then what the strategy
     * would propose anyway, said so. Each proposal is decided and recorded under the study's lock in the store,
     * so asks from several processes, servers or machines never propose the same config.
     */
    public Asked ask(String study, int n, String strategyName, Long seed, boolean force) {
        if (n < 1) {
            throw badInput("count", "ask for at least one config, got " + n, null);
        }
        if (n > MAX_ASK) {
            throw badInput("count", "ask for at most " + MAX_ASK + " configs at a time, got " + n
                    + "; ask again for more", null);
        }
        List<Proposal> proposals = new ArrayList<>();
        Next stopped = null;
        StudyRow row = state(study).study;
        if (row.finished() && stoppedBySearch(row)) {
            if (!force) {
                // the search itself found nothing worth a run (tune recorded it): the same answer as a stop found
                // now, its reason and nothing proposed
                return new Asked(summary(row), List.of(), new Next(row.strategy(), null, row.finishMessage(), null,
                        false, row.finishReason().name()));
            }
            // --force goes past a stop found now; a stop tune recorded has finished the study, which stays finished
            throw new Conflict("force", "study " + row.number() + " has finished (" + finishReason(row)
                    + "), and a finished study stays finished; to search on, "
                    + "start another with: autotune study create SPACE --name NAME");
        }
        requireOpen(row);
        String name = strategyName != null ? strategyName : row.strategy();
        Strategy strategy = strategy(name);
        long chosenSeed = seed != null ? seed : row.seed();
        for (int i = 0; i < n && stopped == null; i++) {
            Object answer = write(row.studyId(), () -> {
                State s = read(row.studyId());
                requireOpen(s.study);
                Next next = s.next(strategy, chosenSeed, force);
                return next.stop() ? next : propose(s.study, next);
            });
            if (answer instanceof Next next) {
                stopped = next;
            } else {
                proposals.add((Proposal) answer);
            }
        }
        return new Asked(summary(state(row.studyId()).study), proposals, stopped);
    }

    /** Records a proposal; called under the study's lock ({@link #write}). */
    Proposal propose(StudyRow study, Next next) {
        Object trial = session.send(new ProposeTrial(study.studyId(), next.config(), next.strategy(), next.reason(),
                next.expectation(), next.repeat()));
        return new Proposal((Integer) trial, next.config(), next.strategy(), next.reason(), next.expectation(),
                next.repeat());
    }

    /**
     * Links an experiment recorded by `ingest` or `run` to the study: to the waiting trial with its config, else to
     * a new trial recorded as measured by hand. The experiment must be of the study's scenario and its config must
     * lie in the space.
     */
    public Told tell(String study, String experiment) {
        StudyRow row = state(study).study;
        requireOpen(row);
        ExperimentSummary e = history.experiment(experiment);
        Told told = write(row.studyId(), () -> tell(read(row.studyId()), e));
        return new Told(summary(read(row.studyId()).study), told.trial(), told.experiment(), told.proposedNow());
    }

    /** Under the study's lock; the summary it answers is the one before the tell. */
    private Told tell(State s, ExperimentSummary e) {
        requireOpen(s.study);
        SearchSpace space = s.study.space();
        if (!e.scenario().equals(space.scenario())) {
            // an `ingest --config` of a test TOML names the scenario after the test: say how to record it right
            throw badInput("experiment", "experiment " + e.number() + " is of scenario '" + e.scenario()
                    + "', but study " + s.study.number() + " searches scenario '" + space.scenario() + "'; record"
                    + " the report with `autotune ingest REPORT --config TOML --scenario " + space.scenario()
                    + "` and tell that experiment", null);
        }
        Map<String, Object> config = State.configIn(space, e.knobs()).orElseThrow(() -> State.outsideTheSpace(space, e));
        for (TrialView t : s.trials) {
            if (e.experimentId().equals(t.experimentId())) {
                throw new Conflict("experiment", "experiment " + e.number() + " already measures trial " + t.trial()
                        + " of study " + s.study.number());
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
        session.send(new LinkTrial(s.study.studyId(), trial, e.experimentId()));
        return new Told(summary(s.study), trial, e.number(), proposedNow);
    }

    /**
     * Records that a trial ran and failed without leaving a report (it crashed, ran out of memory, hung): an
     * experiment of the study's scenario with the trial's config, failed with {@code category} (by default
     * {@code job_failed}) and the reason, linked to the trial. The failure model then learns from it like from a
     * failed `tune` run, and the trial no longer waits.
     */
    public Told tellFailed(String study, int trial, String reason, String category) {
        FailureCategory failure = failureCategory(category);
        StudyRow row = state(study).study;
        requireOpen(row);
        String id = write(row.studyId(), () -> {
            State s = read(row.studyId());
            requireOpen(s.study);
            TrialView t = s.trials.stream().filter(v -> v.trial() == trial).findFirst()
                    .orElseThrow(() -> badInput("trial", "study " + s.study.number() + " has no trial " + trial
                            + " (it has " + s.trials.size() + ")", null));
            if (t.experimentId() != null) {
                throw new Conflict("trial", "trial " + trial + " of study " + s.study.number() + " is already "
                        + "measured by experiment " + t.experiment() + " (" + t.status() + ")");
            }
            String message = reason == null || reason.isBlank() ? "failed without a report (told by hand)"
                    : reason.trim();
            String experimentId = UUID.randomUUID().toString();
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("autotune.study", s.study.studyId());
            metadata.put("autotune.trial", Integer.toString(trial));
            session.send(new ExperimentApi.StartExperiment(experimentId, s.space.scenario(), null, t.config(), null,
                    null, "study " + s.study.number() + " trial " + trial + ": " + message, metadata,
                    ExperimentApi.Source.INGEST, null, null));
            session.send(new ExperimentApi.FailExperiment(experimentId, failure, message, null, null));
            session.send(new LinkTrial(s.study.studyId(), trial, experimentId));
            return experimentId;
        });
        int number = session.views().numbers().of(List.of(id)).get(id);
        return new Told(summary(read(row.studyId()).study), trial, number, false);
    }

    /** The categories a failed trial can be told with: the failures that are about the config. */
    static final List<FailureCategory> TOLD_FAILURES = List.of(FailureCategory.JOB_FAILED,
            FailureCategory.OUT_OF_MEMORY, FailureCategory.TIMEOUT,
            FailureCategory.NO_REPORT, FailureCategory.UNREADABLE_REPORT);

    private static FailureCategory failureCategory(String category) {
        if (category == null || category.isBlank()) {
            return FailureCategory.JOB_FAILED;
        }
        for (FailureCategory c : TOLD_FAILURES) {
            if (c.code().equals(category.trim().toLowerCase(java.util.Locale.ROOT))) {
                return c;
            }
        }
        throw badInput("category", "unknown failure category '" + category + "' (known: "
                + String.join(", ", TOLD_FAILURES.stream().map(FailureCategory::code).toList()) + ")", null);
    }

    /** Finishes a study on the user's word: nothing more is proposed or linked, its results stay. */
    public StudySummary stop(String study, String message) {
        StudyRow row = state(study).study;
        requireOpen(row);
        finish(row, Decision.StopReason.STOPPED_BY_USER, message == null || message.isBlank()
                ? "stopped by the user" : message);
        return summary(state(row.studyId()).study);
    }

    /**
     * What {@code recommend --space} answers, from one read of the space file and of the scenario's history: the space
     * as a study of it would record it (base test resolved: what renders and writes the proposal), which experiments
     * count and why the others do not, the joint next config, and which knobs matter.
     */
    public record Advice(SearchSpace space, String history, Next next, List<Importance.Split> importance) {
    }

    /** {@link Advice} for a space file; excluded experiments count only with {@code includeExcluded}. */
    public Advice advise(Path spaceFile, String strategyName, Long seed, boolean includeExcluded) {
        SpaceFile file = read(spaceFile);
        session.catchUp();
        List<ExperimentSummary> scenario = ScenarioHistory.read(session, file.space());
        List<Observed> observed = ScenarioHistory.observations(file.space(), scenario, includeExcluded);
        Next next = new State(null, file.space(), List.of(), observed)
                .next(strategy(strategyName(file, strategyName)), seed(file, seed));
        String note = ScenarioHistory.note(file.space(), scenario, includeExcluded);
        return new Advice(withResolvedBaseTest(file), note, next,
                Importance.of(file.space(), observed.stream().map(Observed::observation).toList()));
    }

    /**
     * The space a study searches, as it recorded it: what renders or writes a proposal needs, without the history,
     * the next proposal and the knob importance that {@link #show} works out.
     */
    public SearchSpace spaceOf(String study) {
        session.catchUp();
        return State.row(session, study).space();
    }

    /** A space file's space as a study of it records it (its base test resolved). */
    public SearchSpace space(Path spaceFile) {
        return withResolvedBaseTest(read(spaceFile));
    }

    // ---- the study as the log left it ----

    State state(String study) {
        session.catchUp();
        return read(study);
    }

    /** The study as the read models hold it now, without catching up (under the study's lock: already caught up). */
    State read(String study) {
        return State.read(session, study);
    }

    /**
     * How many experiments of the space's scenario a study or {@code recommend --space} uses, and how many it leaves
     * out and why, in words (the first line of {@code recommend --space}, {@code study show} and {@code tune}).
     */
    public String historyNote(SearchSpace space, boolean includeExcluded) {
        return ScenarioHistory.note(space, ScenarioHistory.read(session, space), includeExcluded);
    }

    /** {@link #historyNote(SearchSpace, boolean)} of a space file. */
    public String historyNote(Path spaceFile, boolean includeExcluded) {
        session.catchUp();
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
        return studyId(space, null);
    }

    /** With a name, another study of the same space (one per name). */
    static String studyId(SearchSpace space, String name) {
        // the space as the file declares it: the same space and scenario find the same study again
        return UUID.nameUUIDFromBytes(("autotune-study:" + Json.write(ConfigValues.space(space))
                + (name == null ? "" : "\u0000name:" + name.trim())).getBytes(StandardCharsets.UTF_8)).toString();
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

    /** Whether a server-side path lies under {@code roots}, as written and after symlinks (see SpaceFile.under). */
    public static boolean under(Path path, List<Path> roots) {
        return SpaceFile.under(path, roots);
    }

    static SpaceFile read(Path spaceFile) {
        return read(spaceFile, null);
    }

    static SpaceFile read(Path spaceFile, List<Path> within) {
        try {
            return SpaceFile.read(spaceFile, within);
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

    /** Finished because the search found nothing left worth a run, not by a budget, a time limit or a user. */
    static boolean stoppedBySearch(StudyRow study) {
        return study.finishReason() == Decision.StopReason.NO_EXPECTED_IMPROVEMENT
                || study.finishReason() == Decision.StopReason.SPACE_EXHAUSTED;
    }

    /** Why a study finished, as users write it ({@code no_expected_improvement}); null while it is open. */
    static String finishReason(StudyRow study) {
        return study.finishReason() == null ? null : study.finishReason().name().toLowerCase(java.util.Locale.ROOT);
    }

    static void requireOpen(StudyRow study) {
        if (study.finished()) {
            throw new Conflict(null, "study " + study.number() + " has finished (" + finishReason(study) + ": "
                    + study.finishMessage() + ")");
        }
    }

    static StudySummary summary(StudyRow r) {
        return new StudySummary(r.number(), r.studyId(), r.name(), r.scenario(), r.strategy(), r.seed(), r.trialCount(),
                r.finished() ? "finished" : "open",
                finishReason(r),
                r.finishMessage(), r.startedAt(), r.finishedAt());
    }

    void finish(StudyRow study, Decision.StopReason reason, String message) {
        write(study.studyId(), () -> {
            requireOpen(read(study.studyId()).study);
            return session.send(new FinishStudy(study.studyId(), reason, message));
        });
    }

    void link(String studyId, int trial, String experimentId) {
        write(studyId, () -> session.send(new LinkTrial(studyId, trial, experimentId)));
    }

    /** Proposes under the study's lock what {@code decide} decides from the study's state read under it. */
    Proposal proposeNext(String studyId, java.util.function.Function<State, Next> decide) {
        Object answer = write(studyId, () -> {
            State s = read(studyId);
            Next next = decide.apply(s);
            return next == null || next.stop() ? next : propose(s.study, next);
        });
        return answer instanceof Proposal p ? p : null;
    }

    /**
     * A write to a study, serialized in the store under the study's key (an advisory lock on PostgreSQL, the write
     * lock on SQLite): what it reads inside is up to date and nobody else writes to the study until it returned,
     * across threads, processes, servers and machines. Its events are in the read models when it returns.
     */
    <T> T write(String studyId, java.util.function.Supplier<T> work) {
        return session.axon().appendAndProject(List.of("study:" + studyId), () -> {
        }, work);
    }
}
