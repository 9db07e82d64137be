import Foundation
import LuaHost
import SegworkData

/// Plain-text tables for the terminal: columns padded to their widest cell (in display columns,
/// `TerminalColumns.width`, so wide characters line up), numbers right-aligned.
public enum TextTable {
    /// Renders rows (the first is the header) with two spaces between columns. Every cell is made safe to print
    /// first (`TerminalText.cell`: one line, control characters escaped, at most 200 characters).
    public static func render(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(TerminalText.cell) }
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { c in rows.map { c < $0.count ? TerminalColumns.width($0[c]) : 0 }.max() ?? 0 }
        func numeric(_ s: String) -> Bool { Double(s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: "")) != nil }
        return rows.map { row in
            row.enumerated().map { c, cell in
                numeric(cell) && c > 0 ? TerminalColumns.pad(cell, to: widths[c], leftAligned: false)
                    : (c == row.count - 1 ? cell : TerminalColumns.pad(cell, to: widths[c], leftAligned: true))
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}

/// The compact summary `seg run` prints after each definition.
public enum RunSummary {
    /// Header line, one row per segment (customers, share, revenue share, mean of each score), then notes.
    public static func text(_ r: RunResult, workspace: Workspace, version: String? = nil) -> String {
        text(report: r.report, scoreColumns: r.scoreColumns, version: version,
             destination: workspace.display(r.exportDirectory), notes: r.notes)
    }

    /// The same summary for any report (e.g. a stored version).
    public static func text(report: ProfileReport, scoreColumns: [String], version: String?, destination: String?,
                            notes: [String] = []) -> String {
        let run = report.run
        var head = "\(run.definition)  \(version.map { "\($0)  " } ?? "")run \(run.runID)  as of \(run.asOf)  \(run.customers) customers"
        if let destination { head += "  → \(destination)" }
        var lines = [head]
        var rows: [[String]] = [["segment", "customers", "share"] + (report.monetary != nil ? ["revenue"] : []) + scoreColumns]
        for s in report.segments {
            var row = [s.label, String(s.count), s.share.map(percent) ?? ""]
            if report.monetary != nil { row.append(s.revenueShare.map(percent) ?? "") }
            for name in scoreColumns { row.append(s.numeric(name)?.mean.map { String(format: "%.1f", $0) } ?? "") }
            rows.append(row)
        }
        lines.append(TextTable.render(rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        lines += notes.map { "  note: \($0)" }
        // Labels, notes and names can come from plugins and data files: nothing raw reaches the terminal.
        return TerminalText.escaped(lines.joined(separator: "\n"), limit: Int.max)
    }

    private static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
