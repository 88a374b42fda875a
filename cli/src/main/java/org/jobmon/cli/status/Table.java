package org.jobmon.cli.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A plain-text table: a header row and aligned columns, at most a given width. Columns marked
 * shrinkable (names, hosts) give up width first, widest first, down to their minimum; a cell
 * longer than its column is cut with "..." (at the end, or at the start for paths, whose end is
 * the informative part). Columns are two spaces apart, one when two do not fit.
 */
final class Table {
    /** The widest line a table may have. */
    static final int MAX_WIDTH = 100;
    static final String ELLIPSIS = "...";

    enum Align {
        LEFT,
        RIGHT
    }

    /**
     * @param minWidth 0: never shrunk; otherwise the narrowest the column may become
     * @param keepTail cut the start instead of the end (paths)
     */
    record Column(String header, Align align, int minWidth, boolean keepTail) {
        static Column left(String header) {
            return new Column(header, Align.LEFT, 0, false);
        }

        static Column right(String header) {
            return new Column(header, Align.RIGHT, 0, false);
        }

        /** A left-aligned column that shrinks to {@code min} characters when the table is too wide. */
        static Column shrinkable(String header, int min) {
            return new Column(header, Align.LEFT, Math.max(min, header.length()), false);
        }
    }

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    Table row(List<String> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("a row has " + cells.size() + " cells for " + columns.size() + " columns");
        }
        rows.add(cells.stream().map(c -> c == null ? "-" : c.replaceAll("[\\r\\n\\t]+", " ")).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The lines, if the table fits {@code maxWidth} after shrinking what may shrink. */
    Optional<List<String>> render(int maxWidth) {
        for (int gap = 2; gap >= 1; gap--) {
            int[] widths = fit(gap, maxWidth);
            if (total(widths, gap) <= maxWidth) {
                return Optional.of(lines(widths, gap));
            }
        }
        return Optional.empty();
    }

    /** The lines at the narrowest this table can be, even if that is wider than {@code maxWidth}. */
    List<String> renderAnyway(int maxWidth) {
        return render(maxWidth).orElseGet(() -> lines(fit(1, maxWidth), 1));
    }

    private int[] fit(int gap, int maxWidth) {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).header().length();
            for (List<String> r : rows) {
                widths[c] = Math.max(widths[c], r.get(c).length());
            }
        }
        int excess = total(widths, gap) - maxWidth;
        while (excess > 0) {
            int widest = -1;
            for (int c = 0; c < widths.length; c++) {
                Column col = columns.get(c);
                if (col.minWidth() > 0 && widths[c] > col.minWidth() && (widest < 0 || widths[c] > widths[widest])) {
                    widest = c;
                }
            }
            if (widest < 0) {
                break;
            }
            widths[widest]--;
            excess--;
        }
        return widths;
    }

    private static int total(int[] widths, int gap) {
        int sum = gap * Math.max(0, widths.length - 1);
        for (int w : widths) {
            sum += w;
        }
        return sum;
    }

    private List<String> lines(int[] widths, int gap) {
        List<String> out = new ArrayList<>(rows.size() + 1);
        out.add(line(columns.stream().map(Column::header).toList(), widths, gap));
        for (List<String> r : rows) {
            out.add(line(r, widths, gap));
        }
        return out;
    }

    private String line(List<String> cells, int[] widths, int gap) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            Column col = columns.get(c);
            String text = cut(cells.get(c), widths[c], col.keepTail());
            if (c > 0) {
                b.append(" ".repeat(gap));
            }
            String pad = " ".repeat(widths[c] - text.length());
            if (col.align() == Align.RIGHT) {
                b.append(pad).append(text);
            } else {
                b.append(text);
                if (c < cells.size() - 1) {
                    b.append(pad);
                }
            }
        }
        return b.toString();
    }

    /** {@code text} in at most {@code width} characters, marked with "..." where it was cut. */
    static String cut(String text, int width, boolean keepTail) {
        if (text.length() <= width) {
            return text;
        }
        if (width <= ELLIPSIS.length()) {
            return keepTail ? text.substring(text.length() - width) : text.substring(0, width);
        }
        int keep = width - ELLIPSIS.length();
        return keepTail ? ELLIPSIS + text.substring(text.length() - keep) : text.substring(0, keep) + ELLIPSIS;
    }
}
