package dev.autotune.api.cli;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.search.Strategies;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The values an option accepts, for its help text ({@code ${COMPLETION-CANDIDATES}}) and for shell completion. Each
 * list comes from the code that parses the option, so help and completion never drift from what is accepted.
 */
final class Choices {
    private Choices() {
    }

    /** An enum's constants as users type them: lower case, dashes ({@code benchmark-report}). */
    static List<String> of(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList();
    }

    static final class ExportFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return of(Analysis.ExportFormat.class).iterator();
        }
    }

    static final class ExportTemplates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return of(Analysis.ExportTemplate.class).iterator();
        }
    }

    static final class StrategyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Strategies.names().iterator();
        }
    }

    static final class ReportFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Recording.reportFormats().iterator();
        }
    }

    static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh").iterator();
        }
    }
}
