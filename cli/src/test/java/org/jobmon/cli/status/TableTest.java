package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jobmon.cli.status.Table.Column;
import org.jobmon.cli.status.WorkflowStatusCommand.Summary;
import org.jobmon.persistence.dao.StatusDao.WorkflowRow;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreAlignedNumbersRightTextLeft() {
        List<String> lines = new Table(List.of(Column.right("ID"), Column.left("NAME"), Column.right("N")))
                .row(List.of("1", "alpha", "10")).row(List.of("200", "b", "7")).render(100).orElseThrow();
        assertThat(lines).containsExactly(
                " ID  NAME    N",
                "  1  alpha  10",
                "200  b       7");
    }

    @Test
    void aTooWideTableShrinksTheNameColumnAndMarksTheCut() {
        List<String> lines = new Table(List.of(Column.right("ID"), Column.shrinkable("NAME", 8), Column.left("STATUS")))
                .row(List.of("1", "n".repeat(200), "DONE")).render(40).orElseThrow();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        assertThat(lines.get(1)).contains("nnn...  DONE");
    }

    @Test
    void aTableThatCannotFitSaysSoAndPathsKeepTheirEnd() {
        Table t = new Table(List.of(Column.left("A".repeat(30)), Column.left("B".repeat(30))));
        assertThat(t.render(40)).isEmpty();
        assertThat(Table.cut("/very/long/path/to/the/file.o12", 15, true)).isEqualTo("...the/file.o12");
        assertThat(Table.cut("abcdefghij", 6, false)).isEqualTo("abc...");
        assertThat(Table.cut("abcdefghij", 6, true)).isEqualTo("...hij");
        assertThat(Table.cut("short", 6, false)).isEqualTo("short");
    }

    @Test
    void workflowStatusRowsFitOneHundredColumnsEvenWithMillionsOfTasks() {
        Map<Bucket, Long> counts = new EnumMap<>(Map.of(Bucket.PENDING, 1_250_000L, Bucket.RUNNING, 1_250_000L,
                Bucket.DONE, 1_250_000L, Bucket.FATAL, 1_250_000L));
        Summary big = new Summary(new WorkflowRow(12_345_678L, "a_very_long_workflow_name_".repeat(5), 'S',
                LocalDateTime.of(2025, 1, 2, 3, 4, 5)), counts, 5_000_000L, 9_999_999L);
        List<String> lines = WorkflowStatusCommand.table(List.of(big));
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(lines.get(1)).contains("SUSPENDED").contains("2025-01-02 03:04").contains("1250000");

        Map<Bucket, Long> small = new EnumMap<>(Map.of(Bucket.PENDING, 1L, Bucket.RUNNING, 2L, Bucket.DONE, 3L, Bucket.FATAL, 0L));
        List<String> usual = WorkflowStatusCommand.table(List.of(new Summary(new WorkflowRow(7, "three_phase", 'R',
                LocalDateTime.of(2025, 1, 2, 3, 4, 5)), small, 6, 1)));
        assertThat(usual.get(1)).contains("three_phase").contains("1 (16%)").contains("2 (33%)").contains("3 (50%)")
                .contains("0 (0%)");
        assertThat(usual).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void formatsForPeople() {
        assertThat(Formats.countWithPercent(999, 1000)).isEqualTo("999 (99%)");
        assertThat(Formats.countWithPercent(0, 0)).isEqualTo("0 (0%)");
        assertThat(Formats.usage(3.24, 5L * 1024 * 1024)).isEqualTo("3.2 s 5.0 MiB");
        assertThat(Formats.usage(3725.0, null)).isEqualTo("1:02:05 -");
        assertThat(Formats.lastLine("Traceback\n  File x\nValueError: bad\n\n")).isEqualTo("ValueError: bad");
    }

    @Test
    void bucketsCoverEveryCode() {
        assertThat("GQIRDEAF".chars().mapToObj(c -> Bucket.ofTask((char) c)).toList()).containsExactly(Bucket.PENDING,
                Bucket.PENDING, Bucket.PENDING, Bucket.RUNNING, Bucket.DONE, Bucket.PENDING, Bucket.PENDING, Bucket.FATAL);
        assertThat("IBRDEUWZKFXT".chars().mapToObj(c -> Bucket.ofInstance((char) c)).distinct().toList())
                .containsExactly(Bucket.PENDING, Bucket.RUNNING, Bucket.DONE, Bucket.FATAL);
        assertThat(Bucket.taskCodes(List.of(Bucket.PENDING))).containsExactly('G', 'Q', 'I', 'E', 'A');
        assertThat(Bucket.taskCodes(List.of(Bucket.values()))).isEmpty();
        assertThat(new Bucket.Converter().convert("fAtAl")).isEqualTo(Bucket.FATAL);
    }
}
