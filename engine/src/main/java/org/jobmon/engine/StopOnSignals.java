package org.jobmon.engine;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM stop the runs registered here, as in {@code jobmon run}: each ends
 * STOPPED and says how to resume. The engine never installs this by itself; a program opts in for
 * each run it wants stopped that way:
 *
 * <pre>{@code
 * RunControl control = new RunControl();
 * try (StopOnSignals.Registration signals = StopOnSignals.install(control)) {
 *     result = engine.run(workflow, options, control);
 * }
 * }</pre>
 *
 * <p>One handler per signal serves the whole JVM, so runs on several threads may register and leave
 * in any order: the handlers are installed when the first run registers, and the ones that were
 * there before are put back when the last run leaves. The first signal stops every registered run;
 * a second one does what the JVM did before (normally: exit at once with 128 + the signal's number).
 */
public final class StopOnSignals {
    private static final Logger log = LoggerFactory.getLogger(StopOnSignals.class);
    private static final StopOnSignals JVM = new StopOnSignals(new JvmSignals());
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final SignalBinding binding;
    /** Guarded by this, like the fields below. */
    private final List<Registration> registered = new ArrayList<>();
    private final Map<String, SignalBinding.Installed> installed = new LinkedHashMap<>();
    private boolean signalled;

    StopOnSignals(SignalBinding binding) {
        this.binding = requireNonNull(binding, "binding is null");
    }

    /** Until the registration is closed, Ctrl-C and SIGTERM stop {@code control}'s run. */
    public static Registration install(RunControl control) {
        return JVM.register(control);
    }

    synchronized Registration register(RunControl control) {
        requireNonNull(control, "control is null");
        if (registered.isEmpty()) {
            signalled = false;
            for (String name : SIGNALS) {
                binding.install(name, () -> received(name)).ifPresent(handler -> installed.put(name, handler));
            }
        }
        Registration registration = new Registration(this, control);
        registered.add(registration);
        return registration;
    }

    private synchronized void leave(Registration registration) {
        if (registered.remove(registration) && registered.isEmpty()) {
            installed.values().forEach(SignalBinding.Installed::restore);
            installed.clear();
        }
    }

    /** What the handler of SIG{@code name} does. */
    void received(String name) {
        boolean second;
        SignalBinding.Installed handler;
        List<Registration> toStop;
        synchronized (this) {
            second = signalled;
            signalled = true;
            handler = installed.get(name);
            toStop = List.copyOf(registered);
        }
        String what = name.equals("INT") ? "Ctrl-C" : "SIG" + name;
        if (second) {
            String quit = what + " again: quitting at once. What ran is recorded; the next run or status command settles the rest.";
            toStop.forEach(r -> r.control.stopping(quit));
            if (toStop.isEmpty()) {
                log.warn(quit);
            }
            if (handler != null) {
                handler.passOn();
            }
            return;
        }
        String stopping = what + ": stopping " + (toStop.size() == 1 ? "the run" : toStop.size() + " runs") + " (" + what
                + " again to quit at once).";
        toStop.forEach(r -> r.control.stopping(stopping));
        String reason = name.equals("INT") ? "Ctrl-C (SIGINT)" : "SIG" + name;
        toStop.forEach(r -> r.control.stop(reason));
    }

    /** A run registered for the signals; closing it deregisters the run (closing twice is harmless). */
    public static final class Registration implements AutoCloseable {
        private final StopOnSignals owner;
        private final RunControl control;

        private Registration(StopOnSignals owner, RunControl control) {
            this.owner = owner;
            this.control = control;
        }

        @Override
        public void close() {
            owner.leave(this);
        }
    }

    /** Where handlers go: the JVM's signals, or a fake in tests. */
    interface SignalBinding {
        /** Handles SIG{@code name} with {@code onSignal}; empty when this JVM cannot. */
        Optional<Installed> install(String name, Runnable onSignal);

        /** A handler in place. */
        interface Installed {
            /** Puts back the handler that was there before. */
            void restore();

            /** Does what the handler before would have done. */
            void passOn();
        }
    }

    /** The JVM's signal handlers. */
    private static final class JvmSignals implements SignalBinding {
        @Override
        public Optional<Installed> install(String name, Runnable onSignal) {
            Signal signal;
            SignalHandler previous;
            try {
                signal = new Signal(name);
                previous = Signal.handle(signal, s -> onSignal.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
                return Optional.empty();
            }
            return Optional.of(new Installed() {
                @Override
                public void restore() {
                    try {
                        Signal.handle(signal, previous);
                    } catch (IllegalArgumentException e) {
                        log.debug("cannot restore SIG{}: {}", name, e.getMessage());
                    }
                }

                @Override
                public void passOn() {
                    if (previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
                        System.exit(128 + signal.getNumber());
                    }
                    previous.handle(signal);
                }
            });
        }
    }
}
