import Foundation
import LuaHost

/// One cell of the migration matrix off its diagonal: customers who were in `from` in the older version and are in
/// `to` in the newer one. `from` is `(absent)` for customers who entered the population, `to` for those who left.
public struct Flow: Sendable, Equatable {
    /// Label in the older version (a segment, `(unassigned)` or `(absent)`).
    public var from: String
    /// Label in the newer version (a segment, `(unassigned)` or `(absent)`).
    public var to: String
    /// Customers who took this way (more than 0).
    public var count: Int
    /// Creates a flow.
    public init(from: String, to: String, count: Int) { self.from = from; self.to = to; self.count = count }
}

extension DiffExporter {
    /// Flows listed by the terminal summary at most.
    public static let topFlowLimit = 10
    /// Narrowest width the terminal summary lays itself out for; a smaller width counts as this one.
    public static let minimumWidth = 40

    /// The `limit` largest flows off the diagonal of the matrix, largest first; ties by from-label, then
    /// to-label, in byte order. Entered (`(absent)` → segment) and left (segment → `(absent)`) count as flows,
    /// as do moves to and from `(unassigned)`: they are all off the diagonal, like the movers.
    public static func topFlows(_ d: VersionDiff, limit: Int = topFlowLimit) -> [Flow] {
        d.matrix.cells.filter { $0.from != $0.to }
            .map { Flow(from: d.labels[$0.from], to: d.labels[$0.to], count: $0.count) }
            .sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.from != b.from { return a.from.utf8.lexicographicallyPrecedes(b.from.utf8) }
                return a.to.utf8.lexicographicallyPrecedes(b.to.utf8)
            }
            .prefix(max(0, limit)).map { $0 }
    }

    /// The first `shown` movers as terminal lines (`  id: from → to`), each at most `width` columns, after a line
    /// saying how many there are. Empty when movers were not asked for or there are none.
    public static func moverLines(_ d: VersionDiff, shown: Int = 20, width: Int = TerminalColumns.defaultWidth) -> [String] {
        guard let movers = d.movers, !movers.isEmpty else { return [] }
        let w = max(width, minimumWidth), first = movers.prefix(shown)
        let t = TerminalText.cell
        return TerminalColumns.wrap("first \(first.count) of \(movers.count) (all are in the files):", to: w)
            + first.map { TerminalColumns.truncate("  \(t($0.customerID)): \(t($0.from)) → \(t($0.to))", to: w) }
    }
}

/// The terminal summary (`DiffExporter.text`), laid out for a terminal `width` columns wide (docs/DIFF.md,
/// "On the terminal"): every line fits; matrix columns that do not are left out and named by "…".
enum DiffText {
    /// Columns a matrix column header (a label) takes at most; longer labels end in "…".
    static let headerLimit = 12
    /// Cells a large matrix (beyond `MigrationMatrix.fullLimit` labels) lists on the terminal at most.
    static let largeCells = 40

    static func render(_ d: VersionDiff, width requested: Int) -> String {
        let width = max(requested, DiffExporter.minimumWidth)
        var lines: [String] = []
        // Prose is escaped first, then wrapped, so the wrapped lines are what the terminal shows.
        func prose(_ s: String) { lines += TerminalColumns.wrap(TerminalText.escaped(s, limit: Int.max, keepNewlines: false), to: width) }
        prose("diff of \(d.definition): \(d.from.id) → \(d.to.id)")
        prose("  from \(DiffWording.version(d.from))")
        prose("  to   \(DiffWording.version(d.to))")
        prose("customers: entered \(d.entered), left \(d.left), moved \(d.moved), stayed \(d.stayed); " + DiffWording.drift(d))
        if d.inputChanges.isEmpty {
            lines.append("inputs: unchanged")
        } else {
            lines.append("inputs:")
            for c in d.inputChanges { prose("  \(DiffWording.subject(c)): \(short(c.before)) → \(short(c.after))") }
        }
        lines.append("")
        let sizes = [d.from.id, d.to.id, "change", "share " + d.from.id, "share " + d.to.id, "change"]
        let sizeRows = d.segments.map { s in
            [String(s.before), String(s.after), DiffWording.signed(s.delta), MarkdownText.percent(s.shareBefore),
             MarkdownText.percent(s.shareAfter), DiffWording.points(s.shareDelta)]
        }
        // The label column gets what the numbers leave.
        let numbers = sizes.indices.map { c in ([sizes] + sizeRows).map { TerminalColumns.width($0[c]) }.max() ?? 0 }
        let labelRoom = max(8, width - numbers.reduce(0) { $0 + $1 + 2 })
        lines += table([Column(header: "segment", cells: d.segments.map { oneLine($0.label) }, limit: labelRoom, left: true)]
                       + sizes.indices.map { c in Column(header: sizes[c], cells: sizeRows.map { $0[c] }) })
        lines.append("")
        prose("migration (rows \(d.from.id), columns \(d.to.id)):")
        if d.matrix.isSmall { lines += matrix(d, width: width) } else {
            // A terminal is no place for thousands of cells: the largest ones, the rest in the files.
            let cells = d.matrix.cells.count <= Self.largeCells ? d.matrix.cells
                : Array(d.matrix.cells.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to) }
                    .prefix(Self.largeCells))
            prose(cells.count == d.matrix.cells.count
                  ? "  (\(d.labels.count) labels: only the \(d.matrix.cells.count) cells that hold customers)"
                  : "  (\(d.labels.count) labels: the \(cells.count) largest of the \(d.matrix.cells.count) cells that hold customers; diff.csv, diff.md and diff.json list all)")
            let counts = cells.map { String($0.count) }
            let room = max(8, (width - 4 - max(9, counts.map(\.count).max() ?? 0)) / 2)
            lines += table([Column(header: d.from.id, cells: cells.map { oneLine(d.labels[$0.from]) }, limit: room, left: true),
                            Column(header: d.to.id, cells: cells.map { oneLine(d.labels[$0.to]) }, limit: room, left: true),
                            Column(header: "customers", cells: counts)])
        }
        lines.append("")
        lines += flows(d, width: width)
        if let movers = d.movers {
            lines.append("")
            prose("\(movers.count) customers off the diagonal (diff.json and diff.csv hold the full list)")
        }
        // Labels and parameter values come from plugins: nothing raw reaches the terminal. Escaping can lengthen a
        // line (a `::` a wrap put at a line's start), so every line is fitted once more after it.
        let safe = TerminalText.escaped(lines.joined(separator: "\n"), limit: Int.max)
        return safe.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalColumns.truncate(String($0), to: width) }.joined(separator: "\n") + "\n"
    }

    /// The matrix with as many columns as fit in `width`; when some do not, the last shown column is "…" and a
    /// note says how many labels have no column.
    private static func matrix(_ d: VersionDiff, width: Int) -> [String] {
        let rows = d.matrix.rows(), n = d.labels.count
        let labels = d.labels.map(oneLine)
        let rowRoom = min(labels.map(TerminalColumns.width).max() ?? 0, max(12, min(28, width / 3)))
        func columnWidths(_ headers: [String]) -> [Int] {
            (0..<n).map { j in max(TerminalColumns.width(headers[j]), rows.map { String($0[j]).count }.max() ?? 0) }
        }
        // Whole labels as headers when every column fits so; else labels cut to `headerLimit`, and as many columns
        // as fit.
        var headers = labels, widths = columnWidths(labels)
        if rowRoom + widths.reduce(0, { $0 + 2 + $1 }) > width {
            headers = labels.map { TerminalColumns.truncate($0, to: headerLimit) }
            widths = columnWidths(headers)
        }
        var shown = 0, used = rowRoom
        while shown < n, used + 2 + widths[shown] <= width { used += 2 + widths[shown]; shown += 1 }
        let dropped = shown < n
        if dropped {
            // Room for the "…" column: give up shown columns until it fits.
            while shown > 0, used + 3 > width { shown -= 1; used -= 2 + widths[shown] }
        }
        var columns = [Column(header: "", cells: labels, limit: rowRoom, left: true)]
        for j in 0..<shown { columns.append(Column(header: headers[j], cells: rows.map { String($0[j]) })) }
        if dropped { columns.append(Column(header: "…", cells: rows.map { _ in "…" })) }
        var out = table(columns)
        if dropped {
            let hidden = n - shown
            out += TerminalColumns.wrap("  … \(hidden) of the \(n) columns (\(hidden == 1 ? "segment" : "segments"), "
                                        + "(unassigned) and (absent) included) are not shown: too wide for \(width) "
                                        + "columns; diff.csv, diff.md and diff.json hold the full matrix", to: width)
        }
        return out
    }

    /// The largest flows off the diagonal (`DiffExporter.topFlows`), labels cut to fit.
    private static func flows(_ d: VersionDiff, width: Int) -> [String] {
        let top = DiffExporter.topFlows(d)
        guard !top.isEmpty else { return ["top flows: none (no customer changed segment, entered or left)"] }
        var lines = TerminalColumns.wrap("top flows off the diagonal, largest first (entered and left included):", to: width)
        for f in top {
            let count = String(f.count)
            let from = oneLine(f.from), to = oneLine(f.to)
            // "  " + from + " → " + to + ": " + count: the labels share what is left, a short one giving its rest.
            let room = max(2, width - 2 - 3 - 2 - count.count)
            let (wf, wt) = (TerminalColumns.width(from), TerminalColumns.width(to))
            let fromRoom = wf + wt <= room ? wf : max(room / 2, room - wt)
            let a = TerminalColumns.truncate(from, to: fromRoom)
            let b = TerminalColumns.truncate(to, to: room - TerminalColumns.width(a))
            lines.append("  \(a) → \(b): \(count)")
        }
        return lines
    }

    /// One column of a terminal table: cells cut to `limit` columns, left- or right-aligned.
    private struct Column {
        var header: String
        var cells: [String]
        var limit = Int.max
        var left = false
    }

    /// Columns side by side, two spaces apart, trailing spaces trimmed.
    private static func table(_ columns: [Column]) -> [String] {
        let cut = columns.map { c in ([c.header] + c.cells).map { TerminalColumns.truncate($0, to: c.limit) } }
        let widths = cut.map { $0.map(TerminalColumns.width).max() ?? 0 }
        let height = cut.first?.count ?? 0
        return (0..<height).map { r in
            var line = columns.indices.map { c in
                TerminalColumns.pad(cut[c][r], to: widths[c], leftAligned: columns[c].left)
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// A label or value on one line, safe to print (`TerminalText.cell`).
    private static func oneLine(_ s: String) -> String { TerminalText.cell(s) }

    /// A hash shortened to 12 characters; other values as they are, `-` when absent.
    private static func short(_ s: String?) -> String {
        guard let s else { return "-" }
        if s.count == 64, s.allSatisfy(\.isHexDigit) { return String(s.prefix(12)) + "…" }
        return oneLine(s)
    }
}
