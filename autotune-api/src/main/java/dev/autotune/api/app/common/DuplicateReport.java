package dev.autotune.api.app.common;

/** The same report with the same scenario and config was recorded before; the field is the report. */
public class DuplicateReport extends UserError {
    private final int existing;

    public DuplicateReport(String message, int existing) {
        super("report", message);
        this.existing = existing;
    }

    public int existing() {
        return existing;
    }
}
