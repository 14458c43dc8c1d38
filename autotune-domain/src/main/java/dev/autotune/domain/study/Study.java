package dev.autotune.domain.study;

import dev.autotune.domain.study.StudyApi.FinishStudy;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.domain.study.StudyApi.ProposeTrial;
import dev.autotune.domain.study.StudyApi.StartStudy;
import dev.autotune.domain.study.StudyApi.StudyFinished;
import dev.autotune.domain.study.StudyApi.StudyStarted;
import dev.autotune.domain.study.StudyApi.TrialLinked;
import dev.autotune.domain.study.StudyApi.TrialProposed;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One search over a space. Command handlers decide: nothing is proposed or linked after the study finished, a trial
 * is linked to one experiment once, an experiment measures at most one trial, and a config that is still waiting for
 * its measurement is not proposed again unless the proposal says it is a deliberate repeat. Event sourcing handlers
 * only apply. The clock is a component of the configuration, so tests and replays never depend on the wall clock.
 */
public class Study {
    @AggregateIdentifier
    private String studyId;
    private boolean finished;
    /** trial number -> its config */
    private final Map<Integer, Map<String, Object>> trials = new TreeMap<>();
    /** trial number -> the experiment that measures it */
    private final Map<Integer, String> links = new HashMap<>();
    private final Set<String> linkedExperiments = new HashSet<>();

    protected Study() {
        // required by Axon to rebuild from events
    }

    @CommandHandler
    public Study(StartStudy cmd, Clock clock) {
        if (cmd.space() == null || cmd.space().knobs().isEmpty()) {
            throw new IllegalArgumentException("a study needs a space with at least one knob");
        }
        if (cmd.strategy() == null || cmd.strategy().isBlank()) {
            throw new IllegalArgumentException("a study needs a strategy");
        }
        apply(new StudyStarted(cmd.studyId(), cmd.name(), cmd.space(), cmd.strategy(), cmd.seed(), clock.instant()));
    }

    @CommandHandler
    public int handle(ProposeTrial cmd, Clock clock) {
        requireOpen("propose a trial for");
        Map<String, Object> config = ConfigValues.config(cmd.config());
        if (config.isEmpty()) {
            throw new IllegalArgumentException("a trial needs a config");
        }
        if (!cmd.repeat()) {
            for (var t : trials.entrySet()) {
                if (!links.containsKey(t.getKey()) && t.getValue().equals(config)) {
                    throw new IllegalStateException("trial " + t.getKey() + " of study " + studyId
                            + " already waits for this config; a second proposal of it must be marked as a repeat");
                }
            }
        }
        int trial = trials.size() + 1;
        apply(new TrialProposed(studyId, trial, config, cmd.strategy(), cmd.reason(), cmd.expectation(), cmd.repeat(),
                clock.instant()));
        return trial;
    }

    @CommandHandler
    public void handle(LinkTrial cmd, Clock clock) {
        requireOpen("link an experiment to");
        if (!trials.containsKey(cmd.trial())) {
            throw new IllegalArgumentException("study " + studyId + " has no trial " + cmd.trial());
        }
        String linked = links.get(cmd.trial());
        if (linked != null) {
            throw new IllegalStateException("trial " + cmd.trial() + " of study " + studyId
                    + " is already measured by experiment " + linked);
        }
        if (linkedExperiments.contains(cmd.experimentId())) {
            throw new IllegalStateException("experiment " + cmd.experimentId() + " already measures a trial of study "
                    + studyId);
        }
        apply(new TrialLinked(studyId, cmd.trial(), cmd.experimentId(), clock.instant()));
    }

    @CommandHandler
    public void handle(FinishStudy cmd, Clock clock) {
        requireOpen("finish");
        apply(new StudyFinished(studyId, cmd.reason(), cmd.message(), clock.instant()));
    }

    private void requireOpen(String action) {
        if (finished) {
            throw new IllegalStateException("cannot " + action + " study " + studyId + ": it has finished");
        }
    }

    @EventSourcingHandler
    void on(StudyStarted event) {
        studyId = event.studyId();
    }

    @EventSourcingHandler
    void on(TrialProposed event) {
        trials.put(event.trial(), event.config());
    }

    @EventSourcingHandler
    void on(TrialLinked event) {
        links.put(event.trial(), event.experimentId());
        linkedExperiments.add(event.experimentId());
    }

    @EventSourcingHandler
    void on(StudyFinished event) {
        finished = true;
    }
}
