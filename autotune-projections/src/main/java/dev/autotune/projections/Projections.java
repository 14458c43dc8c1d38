package dev.autotune.projections;

import dev.autotune.store.Database;
import dev.autotune.store.ReadModel;

import java.util.List;

/**
 * Every read model of one database, fed together by one processor in event-log order, and the queries over
 * them. {@code list} is the experiment list's query side; {@link ListProjection} writes it.
 */
public record Projections(ExperimentNumbers numbers, ListProjection listWriter, ExperimentList list,
                          DetailProjection detail, BudgetProjection budget, RecommendationProjection recommendation,
                          StudyProjection studies, BudgetProfileProjection budgetProfiles) {

    public static Projections of(Database db) {
        ExperimentNumbers numbers = new ExperimentNumbers(db);
        return new Projections(numbers, new ListProjection(db, numbers), new ExperimentList(db),
                new DetailProjection(db, numbers), new BudgetProjection(db, numbers),
                new RecommendationProjection(db, numbers), new StudyProjection(db),
                new BudgetProfileProjection(db));
    }

    /** The write sides, numbers first: a rebuild empties and refills all of them. */
    public List<ReadModel> all() {
        return List.of(numbers, listWriter, detail, budget, recommendation, studies, budgetProfiles);
    }
}
