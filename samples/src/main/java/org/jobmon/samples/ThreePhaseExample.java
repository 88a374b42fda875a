package org.jobmon.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;

/**
 * The quickstart's tool and task template example ("Nodes, TaskTemplates, and Tools",
 * {@code tool_template_example}): a workflow in three phases.
 * <ol>
 * <li><b>transform</b>: one task per location and sex (10 x 2 = 20 tasks). Location and sex are
 * node args: they are what makes each task a different node of the DAG.
 * <li><b>aggregate</b>: one task per location (10 tasks), each waiting for that location's two
 * transforms.
 * <li><b>summarize</b>: one task for the whole location hierarchy, waiting for every aggregate.
 * The hierarchy is a task arg, not a node arg, so there is one summarize node however many
 * hierarchies there are.
 * </ol>
 * 31 tasks in all. The tasks run the real scripts in {@code samples/three_phase/scripts/}:
 * transform writes a number per location and sex, aggregate adds a location's two numbers,
 * summarize adds up every location; a script fails if an input it needs is missing, so a task run
 * before its upstreams would fail the workflow. The same workflow as a spec file for
 * {@code jobmon run} is {@code samples/three_phase/three_phase.yaml}.
 *
 * <p>To run it from the repository (or from {@code samples/}):
 * {@code java -cp <classpath> org.jobmon.samples.ThreePhaseExample [THREE_PHASE_DIR [OUTPUT_DIR]]}.
 * THREE_PHASE_DIR defaults to {@code samples/three_phase}, found from the current folder or one
 * of its parents; OUTPUT_DIR defaults to its {@code out/} folder. The total ends up in
 * {@code OUTPUT_DIR/summarize/summary_0.txt}.
 */
public final class ThreePhaseExample {
    /** The locations: 1 to 10. */
    public static final List<Integer> LOCATIONS = IntStream.rangeClosed(1, 10).boxed().toList();
    /** The sexes: 1 and 2. */
    public static final List<Integer> SEXES = List.of(1, 2);
    /** The one location hierarchy summarized. */
    public static final int LOCATION_HIERARCHY_ID = 0;

    private ThreePhaseExample() {
    }

    /**
     * The 31-task workflow, ready to run.
     *
     * @param threePhaseDir the {@code samples/three_phase} folder (its {@code scripts/} are run)
     * @param outputDir where the phases write their results and logs; created if missing, and the
     *     folder the commands run in
     */
    public static Workflow build(Path threePhaseDir, Path outputDir) {
        Path scripts = threePhaseDir.resolve("scripts").toAbsolutePath();
        Path out = createFolder(outputDir.toAbsolutePath());
        Path transformDir = out.resolve("transform");
        Path aggregateDir = out.resolve("aggregate");
        Path summarizeDir = out.resolve("summarize");

        // A tool and a workflow. The seed says: call tool.createNewVersion() only after an
        // overhaul of the workflow, not on every run.
        Tool tool = Tool.create("jobmon_testing_tool");
        Workflow workflow = tool.createWorkflow("jobmon_workflow")
                .setExecutor(ExecutorSettings.of(ExecutorNames.MULTIPROCESS)
                        .withStdout(out.resolve("logs")).withStderr(out.resolve("logs")).withWorkingDir(out));

        // Templates: node args place a task in the DAG, task args make its command unique, op
        // args (interpreter, script location) are neither.
        TaskTemplate transformTemplate = tool.getTaskTemplate("transform",
                "{interpreter} {script} --location_id {location_id} --sex_id {sex_id}"
                        + " --output_file_path {output_file_path}",
                List.of("location_id", "sex_id"), List.of("output_file_path"), List.of("interpreter", "script"));
        TaskTemplate aggregateTemplate = tool.getTaskTemplate("aggregate",
                "{interpreter} {script} --location_id {location_id} --transform_dir {transform_dir}"
                        + " --output_file_path {output_file_path}",
                List.of("location_id"), List.of("transform_dir", "output_file_path"), List.of("interpreter", "script"));
        TaskTemplate summarizeTemplate = tool.getTaskTemplate("summarize",
                "{interpreter} {script} --location_hierarchy_id {location_hierarchy_id} --location_ids {location_ids}"
                        + " --aggregate_dir {aggregate_dir} --output_file_path {output_file_path}",
                List.of(), List.of("location_hierarchy_id", "location_ids", "aggregate_dir", "output_file_path"),
                List.of("interpreter", "script"));

        // Executor parameters per phase.
        ExecutorParameters transformParameters = ExecutorParameters.builder()
                .mMemFree("1G").numCores(1).queue("all.q").maxRuntimeSeconds(60).build();
        ExecutorParameters aggregateParameters = ExecutorParameters.builder()
                .mMemFree("2G").numCores(2).queue("long.q").maxRuntimeSeconds(120).build();
        ExecutorParameters summarizeParameters = ExecutorParameters.builder()
                .mMemFree("3G").numCores(3).queue("all.q").maxRuntimeSeconds(180).build();

        // Phase 1: transform, one task per location and sex.
        List<Task> all = new ArrayList<>();
        Map<Integer, List<Task>> transformsByLocation = new LinkedHashMap<>();
        for (int locationId : LOCATIONS) {
            List<Task> ofLocation = new ArrayList<>();
            for (int sexId : SEXES) {
                Task task = transformTemplate.createTask()
                        .name("transform_" + locationId + "_" + sexId)
                        .executorParameters(transformParameters)
                        .maxAttempts(3)
                        .arg("interpreter", "sh")
                        .arg("script", scripts.resolve("transform.sh"))
                        .arg("location_id", locationId)
                        .arg("sex_id", sexId)
                        .arg("output_file_path", transformDir)
                        .attribute("release_id", 3)
                        .build();
                ofLocation.add(task);
                all.add(task);
            }
            transformsByLocation.put(locationId, ofLocation);
        }

        // Phase 2: aggregate, one task per location after that location's transforms.
        List<Task> aggregates = new ArrayList<>();
        for (int locationId : LOCATIONS) {
            Task task = aggregateTemplate.createTask()
                    .name("aggregate_" + locationId)
                    .executorParameters(aggregateParameters)
                    .upstreams(transformsByLocation.get(locationId))
                    .maxAttempts(3)
                    .arg("interpreter", "sh")
                    .arg("script", scripts.resolve("aggregate.sh"))
                    .arg("location_id", locationId)
                    .arg("transform_dir", transformDir)
                    .arg("output_file_path", aggregateDir)
                    .attribute("location_set_version_id", 35)
                    .build();
            aggregates.add(task);
            all.add(task);
        }

        // Phase 3: one summarize after every aggregate.
        all.add(summarizeTemplate.createTask()
                .name("summarize_" + LOCATION_HIERARCHY_ID)
                .executorParameters(summarizeParameters)
                .upstreams(aggregates)
                .maxAttempts(1)
                .arg("interpreter", "sh")
                .arg("script", scripts.resolve("summarize.sh"))
                .arg("location_hierarchy_id", LOCATION_HIERARCHY_ID)
                .arg("location_ids", LOCATIONS.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .arg("aggregate_dir", aggregateDir)
                .arg("output_file_path", summarizeDir)
                .build());

        return workflow.addTasks(all);
    }

    /** The file the summarize task writes its total to, under the output folder given to {@link #build}. */
    public static Path summaryFile(Path outputDir) {
        return outputDir.resolve("summarize").resolve("summary_" + LOCATION_HIERARCHY_ID + ".txt");
    }

    /**
     * The {@code samples/three_phase} folder: looked for as {@code samples/three_phase} or
     * {@code three_phase} in the current folder and each of its parents.
     *
     * @throws IllegalStateException when there is none
     */
    public static Path findThreePhaseFolder() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("samples").resolve("three_phase"), dir.resolve("three_phase"))) {
                if (Files.isRegularFile(candidate.resolve("three_phase.yaml"))
                        && Files.isDirectory(candidate.resolve("scripts"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no samples/three_phase folder in " + start
                + " or its parents: run from the repository, or give the folder as the first argument");
    }

    /** Builds and runs the workflow; exits 0 when it ends DONE. Arguments: [THREE_PHASE_DIR [OUTPUT_DIR]]. */
    public static void main(String[] args) {
        Path threePhaseDir = args.length > 0 ? Path.of(args[0]) : findThreePhaseFolder();
        Path outputDir = args.length > 1 ? Path.of(args[1]) : threePhaseDir.resolve("out");
        ExampleScripts.exit(build(threePhaseDir, outputDir).run());
    }

    private static Path createFolder(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + dir, e);
        }
    }
}
