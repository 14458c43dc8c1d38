package dev.autotune.runner.cloudai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process and everything it started.
 *
 * <p>cloudai handles SIGTERM by cancelling its jobs (it calls {@code runner.shutdown()}, which e.g. {@code scancel}s
 * Slurm jobs), so the root first gets a polite SIGTERM and {@code grace} to finish. Then every process that was in
 * its tree, whether it is still a descendant or was orphaned meanwhile, and the root itself are killed with
 * {@code destroyForcibly} (SIGKILL). The tree is snapshotted before the first signal, because once the root dies
 * its children are re-parented and no longer show up as its descendants.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    /** Returns how many processes (root included) were still alive and had to be killed forcibly. */
    static int kill(ProcessHandle root, Duration grace) {
        Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
        snapshot(root, tree);
        root.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (root.isAlive() && System.nanoTime() < deadline) {
            snapshot(root, tree); // pick up children started during shutdown while the root still lives
            sleep(50);
        }
        snapshot(root, tree);
        int forced = 0;
        List<ProcessHandle> all = new ArrayList<>(tree.values());
        // SIGKILL cannot be caught, so the order does not matter; go from the last-seen (usually deepest) back
        for (int i = all.size() - 1; i >= 0; i--) {
            ProcessHandle h = all.get(i);
            if (h.isAlive()) {
                h.destroyForcibly();
                forced++;
            }
        }
        if (root.isAlive()) {
            root.destroyForcibly();
            forced++;
        }
        waitGone(root, 5000);
        for (ProcessHandle h : all) {
            waitGone(h, 2000);
        }
        return forced;
    }

    private static void snapshot(ProcessHandle root, Map<Long, ProcessHandle> tree) {
        try {
            root.descendants().forEach(h -> tree.putIfAbsent(h.pid(), h));
        } catch (RuntimeException e) {
            // the root may be gone already; keep what we have
        }
    }

    private static void waitGone(ProcessHandle h, long millis) {
        try {
            h.onExit().get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // still alive or not ours to wait for: nothing more to do
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
