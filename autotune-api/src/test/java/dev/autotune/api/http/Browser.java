package dev.autotune.api.http;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Headless Chromium driven through the distribution's chromedriver (Debian packages chromium and
 * chromium-driver; .ci/run installs them). Without a browser the tests are skipped with the reason, except in CI
 * (CI=true), where a missing browser is a failure: CI must really run them.
 */
final class Browser {
    private Browser() {
    }

    record Install(Path chromium, Path driver) {
    }

    static Optional<Install> find() {
        Optional<Path> chromium = first(System.getenv("CHROME_BIN"), "chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = first(System.getenv("CHROMEDRIVER"), "chromedriver");
        return chromium.isPresent() && driver.isPresent() ? Optional.of(new Install(chromium.get(), driver.get()))
                : Optional.empty();
    }

    private static Optional<Path> first(String explicit, String... names) {
        if (explicit != null && !explicit.isBlank() && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        List<Path> dirs = Stream.concat(Stream.of("/usr/bin", "/usr/local/bin", "/usr/lib/chromium"),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))).map(Path::of).toList();
        for (String name : names) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The installed browser, or {@code who}'s tests are skipped (locally) or failed (in CI), saying why. */
    static Install required(String who) {
        return required(find(), "true".equalsIgnoreCase(System.getenv("CI")), who, System.out);
    }

    /**
     * Without a browser: in CI a failure; elsewhere the tests are skipped, and the reason is printed on the build's
     * console as well, since Maven shows a class whose set-up was skipped as "Tests run: 0" and nothing else.
     */
    static Install required(Optional<Install> install, boolean ci, String who, PrintStream console) {
        if (install.isPresent()) {
            return install.get();
        }
        String message = "no Chromium and chromedriver found (apt-get install chromium chromium-driver, or set "
                + "CHROME_BIN and CHROMEDRIVER)";
        if (ci) {
            fail(message + "; CI must run the browser tests");
        }
        console.println("[WARNING] " + who + ": browser tests skipped: " + message);
        console.flush();
        abort("browser tests skipped: " + message);
        return null;
    }

    static ChromeDriver start(Install install) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(install.chromium().toFile());
        Path profile = Files.createTempDirectory("autotune-chromium");
        profile.toFile().deleteOnExit();
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(install.driver().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Console errors since the last call: a dashboard that throws is broken even if the DOM looks right. */
    static List<String> consoleErrors(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // expected refusals the pages show to the user (e.g. a 404 for a log not written yet)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }
}
