package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The JVM-wide handler's bookkeeping, on fake signals: who installs, who restores, whom a signal stops. */
class StopOnSignalsTest {
    /** Records what happens to the handlers; {@link #raise} calls the one installed, as the JVM would. */
    static final class FakeSignals implements StopOnSignals.SignalBinding {
        final List<String> log = new ArrayList<>();
        final Map<String, Runnable> handlers = new HashMap<>();
        final Set<String> unsupported;

        FakeSignals(Set<String> unsupported) {
            this.unsupported = unsupported;
        }

        @Override
        public Optional<Installed> install(String name, Runnable onSignal) {
            if (unsupported.contains(name)) {
                return Optional.empty();
            }
            log.add("install " + name);
            handlers.put(name, onSignal);
            return Optional.of(new Installed() {
                @Override
                public void restore() {
                    log.add("restore " + name);
                    handlers.remove(name);
                }

                @Override
                public void passOn() {
                    log.add("pass on " + name);
                }
            });
        }

        void raise(String name) {
            Runnable handler = handlers.get(name);
            if (handler != null) {
                handler.run();
            } else {
                log.add("the JVM's own handler for " + name);
            }
        }
    }

    final FakeSignals signals = new FakeSignals(Set.of());
    final StopOnSignals stopOnSignals = new StopOnSignals(signals);

    /** A control whose run is going; its stops land in {@code stops}. */
    static RunControl running(long runId, List<String> stops) {
        RunControl control = new RunControl();
        control.bound(1, runId, 1, 0);
        ActiveRun.begin(runId, reason -> stops.add(runId + ": " + reason), control);
        return control;
    }

    @Test
    void theFirstRunToRegisterInstallsTheHandlersAndTheLastToLeaveRestoresThemInWhateverOrderTheyLeave() {
        StopOnSignals.Registration a = stopOnSignals.register(new RunControl());
        StopOnSignals.Registration b = stopOnSignals.register(new RunControl());
        assertThat(signals.log).containsExactly("install INT", "install TERM");

        a.close();
        assertThat(signals.log).as("after the first run left").containsExactly("install INT", "install TERM");
        b.close();
        assertThat(signals.log).containsExactly("install INT", "install TERM", "restore INT", "restore TERM");

        stopOnSignals.register(new RunControl()).close();
        assertThat(signals.log).hasSize(8).endsWith("install INT", "install TERM", "restore INT", "restore TERM");
    }

    @Test
    void theFirstSignalStopsEveryRegisteredRunAndASecondOnePassesOn() {
        List<String> stops = new ArrayList<>();
        StopOnSignals.Registration a = stopOnSignals.register(running(1, stops));
        StopOnSignals.Registration b = stopOnSignals.register(running(2, stops));
        running(3, stops);

        signals.raise("INT");
        assertThat(stops).containsExactlyInAnyOrder("1: Ctrl-C (SIGINT)", "2: Ctrl-C (SIGINT)");
        assertThat(signals.log).doesNotContain("pass on INT");

        signals.raise("TERM");
        assertThat(stops).hasSize(2);
        assertThat(signals.log).endsWith("pass on TERM");
        a.close();
        b.close();
    }

    @Test
    void afterEveryRunLeftTheNextFirstSignalStopsAgain() {
        List<String> stops = new ArrayList<>();
        StopOnSignals.Registration one = stopOnSignals.register(running(1, stops));
        signals.raise("TERM");
        one.close();

        StopOnSignals.Registration two = stopOnSignals.register(running(2, stops));
        signals.raise("TERM");
        assertThat(stops).containsExactly("1: SIGTERM", "2: SIGTERM");
        assertThat(signals.log).doesNotContain("pass on TERM");
        two.close();
    }

    @Test
    void closingARegistrationTwiceLeavesTheOtherRegistrationsOfTheSameRunInPlace() {
        List<String> stops = new ArrayList<>();
        RunControl control = running(1, stops);
        StopOnSignals.Registration first = stopOnSignals.register(control);
        StopOnSignals.Registration second = stopOnSignals.register(control);
        first.close();
        first.close();

        signals.raise("TERM");
        assertThat(stops).containsExactly("1: SIGTERM");
        second.close();
        assertThat(signals.log).endsWith("restore INT", "restore TERM");
    }

    @Test
    void aSignalThisJvmCannotHandleIsLeftToIt() {
        FakeSignals noInt = new FakeSignals(Set.of("INT"));
        List<String> stops = new ArrayList<>();
        StopOnSignals.Registration r = new StopOnSignals(noInt).register(running(1, stops));

        noInt.raise("INT");
        assertThat(stops).isEmpty();
        assertThat(noInt.log).containsExactly("install TERM", "the JVM's own handler for INT");
        noInt.raise("TERM");
        assertThat(stops).containsExactly("1: SIGTERM");
        r.close();
        assertThat(noInt.log).endsWith("restore TERM");
    }
}
