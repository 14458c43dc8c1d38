package dev.autotune.api.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code: parsing a logback.xml costs about a fifth of a second on every start, more
 * than a whole `autotune list`. The CLI's output is its interface, so libraries only speak up with warnings, on
 * stderr. Found by Logback through META-INF/services.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        StderrOnFirstUse stderr = new StderrOnFirstUse();
        stderr.setContext(context);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        // Javalin logs "Failed to start Javalin" with the stack trace and then throws the same error, which serve
        // reports as one line (a busy port); this logger says nothing else above INFO
        context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
        context.getLogger("org.axonframework").setLevel(Level.ERROR);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * The stderr appender, built when the first warning arrives. Compiling the pattern loads some 160 classes
     * at start-up, and most commands never log anything.
     */
    static final class StderrOnFirstUse extends AppenderBase<ILoggingEvent> {
        private ConsoleAppender<ILoggingEvent> console;

        @Override
        protected void append(ILoggingEvent event) {
            // AppenderBase.doAppend holds this appender's lock, so the console is built once
            if (console == null) {
                PatternLayoutEncoder encoder = new PatternLayoutEncoder();
                encoder.setContext(getContext());
                encoder.setPattern(PATTERN);
                encoder.start();
                console = new ConsoleAppender<>();
                console.setContext(getContext());
                console.setTarget("System.err");
                console.setEncoder(encoder);
                console.start();
            }
            console.doAppend(event);
        }

        @Override
        public void stop() {
            if (console != null) {
                console.stop();
            }
            super.stop();
        }
    }
}
