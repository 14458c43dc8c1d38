package dev.autotune.projections;

import dev.autotune.store.Database;
import dev.autotune.store.ReadModel;

import java.util.List;

/** Every read model of one database, fed together by one processor in event-log order. */
public record Projections(ListProjection list, DetailProjection detail, BudgetProjection budget,
                          RecommendationProjection recommendation, StudyProjection studies) {

    public static Projections of(Database db) {
        return new Projections(new ListProjection(db), new DetailProjection(db), new BudgetProjection(db),
                new RecommendationProjection(db), new StudyProjection(db));
    }

    public List<ReadModel> all() {
        return List.of(list, detail, budget, recommendation, studies);
    }
}
