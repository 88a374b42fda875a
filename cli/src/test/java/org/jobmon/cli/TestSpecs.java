package org.jobmon.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.jobmon.cli.spec.KnownExecutors;

/** Spec files and contexts for tests. */
public final class TestSpecs {
    /** A spec of one {@code true} task on the sequential executor, for tool and workflow {@code name}. */
    public static String oneTrueTask(String name) {
        return """
                tool: %1$s
                workflow: {name: %1$s, executor: sequential}
                task_templates:
                  t: {command_template: "true"}
                tasks:
                  - {template: t, name: only}
                """.formatted(name);
    }

    /**
     * The seed's three-phase example: transform per location and sex (10 x 2), aggregate per
     * location, one summarize: 31 tasks.
     */
    public static final String THREE_PHASE = """
            tool: demo_tool
            workflow:
              name: three_phase
              workflow_args: three_phase_demo
              executor: multiprocess
              executor_config: {stdout: out/, stderr: err/}
              default_executor_parameters: {num_cores: 1, m_mem_free: 1G, max_runtime_seconds: 600, queue: all.q}
            task_templates:
              transform:
                command_template: "{python} {script} --location_id {location_id} --sex_id {sex_id} --out {out}"
                node_args: [location_id, sex_id]
                task_args: [out]
                op_args: [python, script]
                default_executor_parameters: {m_mem_free: 2G}
              aggregate:
                command_template: "{python} {script} --location_id {location_id} --out {out}"
                node_args: [location_id]
                task_args: [out]
                op_args: [python, script]
              summarize:
                command_template: "{python} {script} --location_hierarchy_id {location_hierarchy_id} --out {out}"
                task_args: [location_hierarchy_id, out]
                op_args: [python, script]
            tasks:
              - template: transform
                name: "transform_{location_id}_{sex_id}"
                foreach: {location_id: {from: 1, to: 10}, sex_id: [1, 2]}
                args: {python: python3, script: scripts/transform.py, out: "out/t_{location_id}_{sex_id}"}
                max_attempts: 3
                executor_parameters: {max_runtime_seconds: 60}
                attributes: {release_id: 3}
              - template: aggregate
                name: "aggregate_{location_id}"
                foreach: {location_id: {from: 1, to: 10}}
                args: {python: python3, script: scripts/aggregate.py, out: "out/a_{location_id}"}
                upstreams: ["transform_{location_id}_*"]
              - template: summarize
                name: "summarize_{location_hierarchy_id}"
                args: {python: python3, script: scripts/summarize.py, location_hierarchy_id: 0, out: out/summary}
                max_attempts: 1
                upstreams: ["aggregate_*"]
            """;

    private TestSpecs() {
    }

    public static Path write(Path dir, String fileName, String text) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(fileName), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KnownExecutors executors() {
        return KnownExecutors.of(List.of("sequential", "multiprocess", "sge"));
    }

    /** A context with this engine, a fixed clock, no terminal and the built-in executors. */
    public static CliContext context(RunEngine engine) {
        return new CliContext(engine, MutableClock.at("2025-01-01T12:00:00Z"), false, executors());
    }
}
