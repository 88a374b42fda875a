package org.jobmon.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a run goes on, Ctrl-C (SIGINT) and SIGTERM ask it to stop cleanly (the run ends STOPPED
 * and says how to resume) instead of killing the controller mid-write. A second signal does what
 * it did before the run began (normally: exit at once, with 128 + the signal's number). Handlers are restored when the run ends.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    static StopSignals install(Consumer<String> stop) {
        StopSignals s = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] before = new SignalHandler[1];
                boolean[] asked = new boolean[1];
                before[0] = Signal.handle(signal, sig -> {
                    if (asked[0]) {
                        log.warn("second SIG{}: quitting at once", name);
                        if (before[0] == SignalHandler.SIG_DFL || before[0] == SignalHandler.SIG_IGN) {
                            System.exit(128 + sig.getNumber());
                        }
                        before[0].handle(sig);
                        return;
                    }
                    asked[0] = true;
                    System.err.println("jobmon: SIG" + name + " received; stopping the run (again to quit at once)");
                    stop.accept((name.equals("INT") ? "Ctrl-C (SIGINT)" : "SIGTERM"));
                });
                s.signals.add(signal);
                s.previous.add(before[0]);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException e) {
                log.debug("cannot restore SIG{}", signals.get(i).getName());
            }
        }
    }
}
