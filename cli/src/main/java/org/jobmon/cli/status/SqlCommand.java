package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.persistence.Database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon sql "SELECT ..." [-n]}: a query on the database every other command uses (the same
 * {@code --db}, {@code JOBMON_DB_URL} or config, the same account), as a table or JSON, so that the
 * seed's SQL works without knowing the URL. Queries only: it changes nothing.
 */
@Command(name = "sql", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run a query (SELECT, WITH, SHOW, EXPLAIN) on the Jobmon database the other commands use.",
            "Example: jobmon sql \"SELECT id, name, status FROM workflow ORDER BY id DESC LIMIT 5\""})
public final class SqlCommand implements Callable<Integer> {
    private static final Set<String> QUERIES = Set.of("SELECT", "WITH", "SHOW", "EXPLAIN", "VALUES", "TABLE", "DESCRIBE", "DESC");

    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "the query, quoted as one argument")
    private String query;

    @Option(names = {"-n", "--json"}, description = "print a JSON array of objects instead of the table")
    private boolean json;

    @Override
    public Integer call() {
        String first = query.strip().split("[\\s(]+", 2)[0].toUpperCase(Locale.ROOT);
        if (!QUERIES.contains(first)) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "jobmon sql runs queries only, and '" + first
                    + "' is not one: start with SELECT (or WITH, SHOW, EXPLAIN); to change tasks use jobmon update_task_status");
        }
        List<Map<String, Object>> rows;
        List<String> columns = new ArrayList<>();
        try (Database db = StatusSupport.open(cli)) {
            rows = db.jdbi().withHandle(h -> h.createQuery(query).map((rs, ctx) -> {
                var meta = rs.getMetaData();
                if (columns.isEmpty()) {
                    // a name that comes again (ids from both sides of a join) gets _2, _3...: every column keeps its value
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        String label = meta.getColumnLabel(c).toLowerCase(Locale.ROOT);
                        String name = label;
                        for (int k = 2; columns.contains(name); k++) {
                            name = label + "_" + k;
                        }
                        columns.add(name);
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    Object v = rs.getObject(c);
                    row.put(columns.get(c - 1), v instanceof Number || v instanceof Boolean || v == null ? v : v.toString());
                }
                return row;
            }).list());
        } catch (org.jdbi.v3.core.statement.StatementException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the database refused the query: "
                    + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Formats.printJson(out, rows);
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println("(no rows)");
            out.flush();
            return ExitCodes.OK;
        }
        Table table = new Table(columns.stream().map(c -> Table.Column.shrinkable(c.toUpperCase(Locale.ROOT), 8)).toList());
        for (Map<String, Object> row : rows) {
            table.row(row.values().stream().map(v -> v == null ? null : String.valueOf(v)).toList());
        }
        table.renderAnyway(Table.MAX_WIDTH * 2).forEach(out::println);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
        out.flush();
        return ExitCodes.OK;
    }
}
