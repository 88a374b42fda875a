package org.jobmon.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.RunEngine;
import org.jobmon.cli.spec.KnownExecutors;
import org.jobmon.engine.EngineConfig;
import org.jobmon.executor.sge.SgeCell;
import org.jobmon.executor.slurm.SlurmCluster;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's three-phase sample for each batch scheduler, run with {@code jobmon run} as a
 * user would, on the real cluster: DONE, and each job's accounting record shows the name, queue
 * (partition), cores and runtime its task asked for.
 */
class ThreePhaseSampleIT {
    @TempDir
    Path dir;

    /** The sample folder (spec and scripts) copied where this test may write, as a user's checkout would be. */
    static Path sample(Path dir, String specName) throws Exception {
        Path from = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(from.resolve("samples/three_phase"))) {
            from = from.getParent();
        }
        Path source = from.resolve("samples/three_phase");
        Path target = dir.resolve("three_phase");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.filter(p -> !p.toString().contains("/out")).toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return target.resolve(specName);
    }

    private record Row(String task, String template, String executorId, int cores, String queue, long runtime, long memoryMib) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"sge", "slurm"})
    void theThreePhaseSampleRunsDoneAndEachJobsAccountingMatchesItsRequest(String executor) throws Exception {
        if (executor.equals("sge")) {
            SgeCell.require();
        } else {
            SlurmCluster.require();
        }
        Path spec = sample(dir, "three_phase_" + executor + ".yaml");
        String db = DatabaseUrls.embedded(dir.resolve("db"));
        RunEngine engine = RunEngine.jobmon(b -> b.workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(200))));
        CliContext context = new CliContext(engine, Clock.systemDefaultZone(), false, KnownExecutors.installed());

        CliResult r = CliResult.run(context, "run", spec.toString(), "--db", db, "-n").exits(ExitCodes.OK);
        assertThat(r.lastOutLine()).contains("\"status\":\"DONE\"").contains("\"done\":31");
        assertThat(Files.readString(spec.resolveSibling("out/summarize/summary_0.txt"))).isNotBlank();

        try (Database database = Database.open(db)) {
            List<Row> rows = database.jdbi().withHandle(h -> h.createQuery("SELECT t.name, tt.name, ti.executor_id, p.num_cores, "
                    + "p.queue, p.max_runtime_seconds, p.m_mem_free_mib FROM task_instance ti JOIN task t ON t.id = ti.task_id "
                    + "JOIN node n ON n.id = t.node_id JOIN task_template_version v ON v.id = n.task_template_version_id "
                    + "JOIN task_template tt ON tt.id = v.task_template_id "
                    + "JOIN executor_parameter_set p ON p.id = ti.executor_parameter_set_id ORDER BY ti.id")
                    .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7))).list());
            assertThat(rows).hasSize(31);
            for (Row row : rows) {
                if (executor.equals("sge")) {
                    String acct = SgeCell.qacct(row.executorId());
                    String name = row.executorId().contains(".") ? row.template() : row.task();
                    assertThat(acct).as(row.toString()).containsPattern("jobname\\s+" + name + "\\s")
                            .containsPattern("qname\\s+" + row.queue().replace(".", "\\.") + "\\s")
                            .containsPattern("slots\\s+" + row.cores() + "\\s").contains("h_rt=" + row.runtime())
                            .containsPattern("failed\\s+0\\s").containsPattern("exit_status\\s+0\\s");
                } else {
                    Map<String, String> acct = SlurmCluster.sacct(row.executorId());
                    String name = row.executorId().contains("_") ? row.template() : row.task();
                    // sacct shows --mem=1024M as 1G
                    assertThat(acct).as(row.toString()).containsEntry("JobName", name).containsEntry("Partition", row.queue())
                            .containsEntry("ReqCPUS", Integer.toString(row.cores())).containsEntry("ReqMem", row.memoryMib() % 1024 == 0 ? row.memoryMib() / 1024 + "G" : row.memoryMib() + "M")
                            .containsEntry("Timelimit", String.format("00:%02d:00", (row.runtime() + 59) / 60))
                            .containsEntry("State", "COMPLETED").containsEntry("ExitCode", "0:0");
                }
            }
        }
    }
}
