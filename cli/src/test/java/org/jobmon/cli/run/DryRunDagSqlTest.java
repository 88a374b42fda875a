package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code run --dry-run}, {@code dag} and {@code sql} on the three-phase spec and an embedded database. */
@Tag("engine")
class DryRunDagSqlTest {
    @TempDir
    Path dir;

    private String db;
    private CliContext context;
    private Path spec;

    @BeforeEach
    void setUp() throws Exception {
        db = DatabaseUrls.embedded(dir.resolve("db"));
        context = CliTestSupport.realEngine(dir);
        spec = Files.writeString(Files.createDirectories(dir.resolve("spec")).resolve("spec.yaml"), RunCommandEngineTest.THREE_PHASE_SH);
    }

    private CliResult jobmon(String... args) {
        return CliResult.run(context, args);
    }

    @Test
    void aDryRunListsTheExpandedTasksAndWritesNothing() {
        CliResult r = jobmon("run", "--dry-run", spec.toString(), "--db", db).exits(ExitCodes.OK);
        assertThat(r.out()).contains("transform_3_2  [transform]\n  command:    sh -c 'echo 3 2 > t_3_2.txt'\n  upstreams:  (none)\n"
                + "  resources:  1 core, 100M memory, 60 s runtime, 3 attempts at most")
                .contains("aggregate_3  [aggregate]\n  command:    sh -c 'cat t_3_*.txt > a_3.txt'\n  upstreams:  transform_3_1, transform_3_2\n")
                .contains("summarize  [summarize]").contains("upstreams:  aggregate_1, aggregate_10, aggregate_2, aggregate_3, aggregate_4 and 5 more")
                .contains("31 tasks of 3 templates on the multiprocess executor; a dry run: nothing was run or written");
        assertThat(dir.resolve("db.mv.db")).as("no database was even created").doesNotExist();
        assertThat(spec.resolveSibling("summary.txt")).doesNotExist();
    }

    @Test
    void dagDrawsTemplatesWithCountsFromASpecAndFromTheDatabase() throws Exception {
        String fromSpec = jobmon("dag", spec.toString()).exits(ExitCodes.OK).out();
        assertThat(fromSpec).startsWith("digraph jobmon {").contains("\"transform\" [label=\"transform\\n20 tasks\"];")
                .contains("\"transform\" -> \"aggregate\" [label=\"20\"];").contains("\"aggregate\" -> \"summarize\" [label=\"10\"];")
                .endsWith("}\n");
        assertThat(fromSpec.lines().filter(l -> l.contains("->"))).hasSize(2);

        jobmon("run", spec.toString(), "--db", db).exits(ExitCodes.OK);
        String fromDb = jobmon("dag", "-w", "1", "--db", db).exits(ExitCodes.OK).out();
        assertThat(fromDb).contains("\"transform\" [label=\"transform\\n20 tasks\\n20 done\"];")
                .contains("\"transform\" -> \"aggregate\" [label=\"20\"];");
        String tasks = jobmon("dag", "-w", "1", "--tasks", "--db", db).exits(ExitCodes.OK).out();
        assertThat(tasks.lines().filter(l -> l.contains("->"))).hasSize(30);
        assertThat(tasks).contains("\"transform_1_2\" -> \"aggregate_1\";");

        assertThat(jobmon("dag", "--db", db).exits(ExitCodes.USAGE).err()).contains("give a spec file or -w WORKFLOW_ID");
        assertThat(jobmon("dag", "-w", "99", "--db", db).exits(ExitCodes.FAILED).err()).contains("no workflow 99");
    }

    @Test
    void sqlRunsTheSeedsQueriesOnTheSameDatabaseAsATableOrJson() throws Exception {
        jobmon("run", spec.toString(), "--db", db).exits(ExitCodes.OK);
        CliResult table = jobmon("sql", "SELECT status, count(*) AS n FROM task WHERE workflow_id = 1 GROUP BY status", "--db", db)
                .exits(ExitCodes.OK);
        assertThat(table.out().lines().toList()).containsExactly("STATUS  N", "D       31", "1 row");

        JsonNode json = new ObjectMapper().readTree(jobmon("sql", "SELECT id, name FROM workflow", "-n", "--db", db).exits(ExitCodes.OK).out());
        assertThat(json.get(0).get("name").asText()).isEqualTo("three_phase");
        assertThat(json.get(0).get("id").asLong()).isEqualTo(1);

        assertThat(jobmon("sql", "DELETE FROM task", "--db", db).exits(ExitCodes.USAGE).err())
                .contains("jobmon sql runs queries only, and 'DELETE' is not one");
        assertThat(jobmon("sql", "SELECT nosuch FROM task", "--db", db).exits(ExitCodes.USAGE).err())
                .contains("the database refused the query").doesNotContain("\tat ");
        assertThat(jobmon("sql", "SELECT count(*) AS n FROM task", "--db", db).exits(ExitCodes.OK).out()).contains("31");

        // two columns of one name (a join's ids): both kept, the second one renamed
        String twice = "SELECT n.task_template_version_id, n.task_template_version_id FROM node n WHERE n.id = 1";
        assertThat(jobmon("sql", twice, "--db", db).exits(ExitCodes.OK).out().lines().findFirst().orElseThrow().split(" +"))
                .containsExactly("TASK_TEMPLATE_VERSION_ID", "TASK_TEMPLATE_VERSION_ID_2");
        JsonNode both = new ObjectMapper().readTree(jobmon("sql", twice, "-n", "--db", db).exits(ExitCodes.OK).out()).get(0);
        assertThat(both.get("task_template_version_id").asLong()).isEqualTo(both.get("task_template_version_id_2").asLong());
    }
}
