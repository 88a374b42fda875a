package org.jobmon.engine;

import java.time.Duration;

/**
 * Engine tunables. Tests shrink the intervals; nobody should sleep for the defaults.
 *
 * @param workflowRunHeartbeat how often the run heartbeats its row (seed: 30 s); a run whose
 *     heartbeat is older than 3.1 times this is dead
 * @param instanceHeartbeat how often the run reconciles its instances with the executor (one
 *     batched poll) and renews their report-by dates (seed: 90 s); an instance is due by 3.1 times this
 * @param maxCycleWait the longest the run loop waits for an event before looking again (also how
 *     soon a stop request is noticed)
 * @param minCycleInterval while instances are in flight, how long a cycle gathers events so that
 *     one transaction carries many transitions
 * @param submitBatchSize instances per executor submission
 * @param onStop what a stopped run (Ctrl-C) does with its running instances
 * @param outageLimit how long a run rides out a database it cannot reach (its tasks keep running,
 *     their results are kept) before it ends ERROR; zero means the run's expiry (3.1 heartbeats), after
 *     which other processes may settle the run as dead anyway
 * @param neverStarted how long an instance its platform holds (a hold, a pending reason that never
 *     clears) may wait before it is deleted and counted as an attempt that never started; zero means
 *     twice the instance expiry (558 s with the seed's heartbeat)
 */
public record EngineConfig(Duration workflowRunHeartbeat, Duration instanceHeartbeat, Duration maxCycleWait,
        Duration minCycleInterval, int submitBatchSize, StopAction onStop, Duration outageLimit, Duration neverStarted) {

    /** What happens to running instances when a run is stopped. */
    public enum StopAction {
        /** Kill them; their tasks run again on resume. */
        TERMINATE,
        /** Leave them running; a hot resume adopts them. */
        LEAVE
    }

    public static EngineConfig defaults() {
        return new EngineConfig(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofMillis(10),
                1000, StopAction.TERMINATE, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The defaults with any of these system properties applied (for the CLI: {@code
     * JOBMON_JAVA_OPTS="-Djobmon.workflow_run_heartbeat=5s"}): {@code jobmon.workflow_run_heartbeat},
     * {@code jobmon.instance_heartbeat} (durations such as 30s, 500ms, 2m) and {@code jobmon.on_stop}
     * (terminate or leave).
     */
    public static EngineConfig fromSystemProperties() {
        EngineConfig c = defaults();
        String run = System.getProperty("jobmon.workflow_run_heartbeat");
        if (run != null) {
            c = c.withWorkflowRunHeartbeat(duration("jobmon.workflow_run_heartbeat", run));
        }
        String instance = System.getProperty("jobmon.instance_heartbeat");
        if (instance != null) {
            c = c.withInstanceHeartbeat(duration("jobmon.instance_heartbeat", instance));
        }
        String outage = System.getProperty("jobmon.database_outage_limit");
        if (outage != null) {
            c = c.withOutageLimit(duration("jobmon.database_outage_limit", outage));
        }
        String held = System.getProperty("jobmon.never_started_deadline");
        if (held != null) {
            c = c.withNeverStartedDeadline(duration("jobmon.never_started_deadline", held));
        }
        String stop = System.getProperty("jobmon.on_stop");
        if (stop != null) {
            try {
                c = c.withOnStop(StopAction.valueOf(stop.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new org.jobmon.api.JobmonException(org.jobmon.api.JobmonException.ErrorCode.INVALID_ARGUMENT,
                        "jobmon.on_stop '" + stop + "' must be terminate or leave");
            }
        }
        return c;
    }

    static Duration duration(String name, String text) {
        return org.jobmon.api.Durations.parse(name, text);
    }

    /** How old a run's heartbeat may be before the run counts as dead. */
    public Duration workflowRunExpiry() {
        return workflowRunHeartbeat.multipliedBy(31).dividedBy(10);
    }

    /** How long an instance may go without a report before it is triaged. */
    public Duration instanceExpiry() {
        return instanceHeartbeat.multipliedBy(31).dividedBy(10);
    }

    public EngineConfig withWorkflowRunHeartbeat(Duration d) {
        return new EngineConfig(d, instanceHeartbeat, maxCycleWait, minCycleInterval, submitBatchSize, onStop, outageLimit, neverStarted);
    }

    public EngineConfig withInstanceHeartbeat(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, d, maxCycleWait, minCycleInterval, submitBatchSize, onStop, outageLimit, neverStarted);
    }

    public EngineConfig withMaxCycleWait(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, instanceHeartbeat, d, minCycleInterval, submitBatchSize, onStop, outageLimit, neverStarted);
    }

    public EngineConfig withMinCycleInterval(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, instanceHeartbeat, maxCycleWait, d, submitBatchSize, onStop, outageLimit, neverStarted);
    }

    /** How long a run rides out a database outage before it ends ERROR (zero: the run's expiry). */
    public java.util.Optional<Duration> databaseOutageLimit() {
        return outageLimit.isZero() ? java.util.Optional.empty() : java.util.Optional.of(outageLimit);
    }

    public EngineConfig withOutageLimit(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, instanceHeartbeat, maxCycleWait, minCycleInterval, submitBatchSize, onStop, d, neverStarted);
    }

    public EngineConfig withOnStop(StopAction action) {
        return new EngineConfig(workflowRunHeartbeat, instanceHeartbeat, maxCycleWait, minCycleInterval, submitBatchSize, action, outageLimit, neverStarted);
    }

    /** How long a held instance may wait before it is deleted as never started. */
    public Duration neverStartedDeadline() {
        return neverStarted.isZero() ? instanceExpiry().multipliedBy(2) : neverStarted;
    }

    public EngineConfig withNeverStartedDeadline(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, instanceHeartbeat, maxCycleWait, minCycleInterval, submitBatchSize, onStop,
                outageLimit, d);
    }
}
