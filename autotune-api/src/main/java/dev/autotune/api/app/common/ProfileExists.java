package dev.autotune.api.app.common;

/**
 * A budget profile is saved under the name with other budgets, and replacing them was not asked for. Each adapter
 * says how to ask in its own words (the CLI: --force).
 */
public class ProfileExists extends UserError {
    public ProfileExists(String message) {
        super("name", message);
    }
}
