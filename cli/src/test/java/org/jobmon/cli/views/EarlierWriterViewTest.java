package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jobmon.persistence.Database;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow as an earlier Jobmon sharing the database writes it: its tasks keep no copy of their
 * template version and its DAG no template pairs. The views count and draw it the same, through its
 * nodes and edges.
 */
@Tag("engine")
class EarlierWriterViewTest {
    @TempDir
    Path dir;

    @Test
    void tasksWithoutTheirTemplateVersionAndADagWithoutTemplatePairsAreCountedAndDrawnThroughTheirNodes() throws Exception {
        ReportFixture fixture = ReportFixture.run(dir);
        try (Database db = Database.open(fixture.db())) {
            db.jdbi().useHandle(h -> {
                // as written before: two tasks without the copy, the DAG without its pairs
                h.execute("UPDATE task SET task_template_version_id = NULL WHERE workflow_id = ? AND id IN (SELECT MIN(id) FROM task "
                        + "WHERE workflow_id = ? UNION SELECT MAX(id) FROM task WHERE workflow_id = ?)", fixture.workflowId(),
                        fixture.workflowId(), fixture.workflowId());
                h.execute("DELETE FROM dag_template_edge");
                assertThat(h.createQuery("SELECT COUNT(*) FROM task WHERE task_template_version_id IS NULL").mapTo(Long.class).one())
                        .isEqualTo(2);
            });
        }
        Path file = dir.resolve("report.html");
        fixture.jobmon("report", "-w", Long.toString(fixture.workflowId()), "-o", file.toString()).exits(0);
        String html = Files.readString(file);
        ReportFixture.assertCountsAndTemplateDag(html);
    }
}
