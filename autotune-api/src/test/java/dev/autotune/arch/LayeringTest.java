package dev.autotune.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rooms of autotune and the doors between them, checked on the compiled classes of every module (this module's
 * test class path holds them all). The adapters (the CLI and the HTTP routes) go through the application layer
 * only; the runner and the read models are reached from the application alone and never from each other; the
 * domain stands on Java, Axon's annotations and (for the search model's linear algebra) EJML. The benchmarks are harnesses around whole layers and may reach
 * into any of them.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        // in a reactor build past `package` the other modules come as jars, the projections' test fixtures too
        // (autotune-projections-*-tests.jar), which DO_NOT_INCLUDE_TESTS (test-classes directories) lets through
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.autotune");
    }

    @Test
    void adaptersGoThroughTheApplicationLayerOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Adapters").definedBy("dev.autotune.api.cli..", "dev.autotune.api.http")
                .layer("Benchmarks").definedBy("dev.autotune.api.bench..", "dev.autotune.api.http.bench..")
                .layer("Application").definedBy("dev.autotune.api.app..", "dev.autotune.api.render..",
                        "dev.autotune.api.logging..")
                .layer("Runner").definedBy("dev.autotune.runner..")
                .layer("ReadModels").definedBy("dev.autotune.projections..", "dev.autotune.store..")
                .layer("Domain").definedBy("dev.autotune.domain..")
                .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Benchmarks")
                .whereLayer("Benchmarks").mayOnlyBeAccessedByLayers("Adapters")
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Adapters", "Benchmarks")
                .whereLayer("Runner").mayOnlyBeAccessedByLayers("Application", "Benchmarks")
                .whereLayer("ReadModels").mayOnlyBeAccessedByLayers("Application", "Benchmarks")
                .check(classes);
    }

    @Test
    void noAdapterImportsTheRunnerTheStoreOrAReadModel() {
        noClasses().that().resideInAnyPackage("dev.autotune.api.cli..", "dev.autotune.api.http")
                .should().dependOnClassesThat().resideInAnyPackage("dev.autotune.runner..", "dev.autotune.store..",
                        "dev.autotune.projections..")
                .check(classes);
    }

    @Test
    void theDomainDependsOnNothingButJavaAndAxonsAnnotations() {
        classes().that().resideInAPackage("dev.autotune.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.autotune.domain..",
                        // @CommandHandler, @EventSourcingHandler, @AggregateIdentifier, @Revision, and the
                        // AggregateLifecycle.apply the annotated handlers call
                        "org.axonframework.commandhandling", "org.axonframework.eventsourcing",
                        "org.axonframework.modelling.command", "org.axonframework.serialization",
                        "com.fasterxml.jackson.annotation..",
                        // the search model's Cholesky factorisation and triangular solves: EJML is pure Java
                        // arithmetic on arrays, with no framework or I/O behind it
                        "org.ejml.data..", "org.ejml.dense.row.decomposition..")
                .check(classes);
    }

    /**
     * No package reaches back into a package that reaches it, in any module: each package (a subpackage is a
     * package of its own) can be read, tested and moved with what it depends on, never with what depends on it.
     */
    @Test
    void noPackageCycles() {
        slices().matching("dev.autotune.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * The store session (open, catch up, append-and-project, send) is the services' alone: an adapter or a
     * benchmark gets at the store only through a use case of a service.
     */
    @Test
    void onlyTheServicesUseTheStoreSession() {
        noClasses().that().resideInAnyPackage("dev.autotune.api.cli..", "dev.autotune.api.http..",
                        "dev.autotune.api.bench..", "dev.autotune.api.render..", "dev.autotune.api.logging..")
                .should().dependOnClassesThat().resideInAPackage("dev.autotune.api.app.session..")
                .check(classes);
    }

    /** The application layer never formats: it hands data to the adapters, which render it. */
    @Test
    void theApplicationLayerNeverDependsOnRender() {
        noClasses().that().resideInAPackage("dev.autotune.api.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.autotune.api.render..")
                .check(classes);
    }

    /**
     * Render works on data only: the records and enums the services answer with and the shared types, never a
     * service, the session or the facade (so rendering can never run a use case or read the store).
     */
    @Test
    void renderWorksOnDataOnly() {
        DescribedPredicate<JavaClass> behaviour = new DescribedPredicate<>(
                "a class of api.app that is not data (a service, the session, the facade)") {
            @Override
            public boolean test(JavaClass c) {
                return c.getPackageName().startsWith("dev.autotune.api.app")
                        && !c.getPackageName().equals("dev.autotune.api.app.common") && !c.isRecord() && !c.isEnum();
            }
        };
        noClasses().that().resideInAPackage("dev.autotune.api.render..")
                .should().dependOnClassesThat(behaviour)
                .check(classes);
    }

    @Test
    void theRunnerAndTheReadModelsNeverDependOnEachOther() {
        noClasses().that().resideInAPackage("dev.autotune.runner..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.autotune.projections..", "dev.autotune.store..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.autotune.projections..", "dev.autotune.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.autotune.runner..")
                .check(classes);
    }
}
