package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "rebuild", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune rebuild --db autotune.db",
        description = "Drop every read model and rebuild it by replaying the whole event log.")
final class RebuildCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Override
    public Integer call() {
        try (Autotune autotune = db.existing()) {
            long total = autotune.eventLog().eventCount();
            long started = System.nanoTime();
            long[] lastPrint = {started};
            io.out().println("replaying " + total + " events from " + autotune.database());
            autotune.eventLog().rebuild(position -> {
                long now = System.nanoTime();
                if (now - lastPrint[0] > 1_000_000_000L) {
                    lastPrint[0] = now;
                    double rate = position / Math.max(1e-9, (now - started) / 1e9);
                    io.out().printf("  %d / %d events (%.0f events/s)%n", position, total, rate);
                }
            });
            double secs = (System.nanoTime() - started) / 1e9;
            io.out().printf("rebuilt all views from %d events in %.1f s%n", total, secs);
        }
        return AutotuneCli.OK;
    }
}
