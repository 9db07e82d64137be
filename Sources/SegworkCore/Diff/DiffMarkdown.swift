import Foundation
import LuaHost
import SegworkData

/// The Markdown diff report (`DiffExporter.markdown`); layout documented in docs/DIFF.md.
enum DiffMarkdown {
    static func render(_ d: VersionDiff) -> Data {
        var md = MarkdownText()
        md.line("# Segment diff: \(md.escape(d.definition)), \(md.escape(d.from.id)) → \(md.escape(d.to.id))")
        md.line()
        md.line("- from: \(md.escape(DiffWording.version(d.from)))")
        md.line("- to: \(md.escape(DiffWording.version(d.to)))")
        md.line("- entered: \(d.entered), left: \(d.left), moved: \(d.moved), stayed: \(d.stayed)")
        md.line("- \(DiffWording.drift(d))")
        md.line("- diff format \(d.formatVersion)")
        md.line()

        md.line("## What changed in the inputs")
        md.line()
        if d.inputChanges.isEmpty {
            md.line("Nothing: same definition, reference date, Segwork version, datasets, plugins and parameters.")
            md.line()
        } else {
            md.table(["input", "before", "after"], align: [.left, .left, .left], rows: d.inputChanges.map {
                [DiffWording.subject($0), DiffWording.value($0.before), DiffWording.value($0.after)]
            })
        }

        md.line("## Segments")
        md.line()
        let from = d.from.id, to = d.to.id
        md.table(["segment", from, to, "change", "share \(from)", "share \(to)", "share change", "stayed",
                  "moved in", "moved out", "entered", "left"],
                 align: [.left] + Array(repeating: .right, count: 11),
                 rows: d.segments.map { s in
                     [s.label + note(s), String(s.before), String(s.after), DiffWording.signed(s.delta),
                      MarkdownText.percent(s.shareBefore), MarkdownText.percent(s.shareAfter),
                      DiffWording.points(s.shareDelta), String(s.stayed), String(s.movedIn), String(s.movedOut),
                      String(s.entered), String(s.left)]
                 })

        md.line("## Migration matrix")
        md.line()
        md.line("Customers by segment in \(md.escape(from)) (rows) and in \(md.escape(to)) (columns). "
                + "The `(absent)` row holds customers who entered the population, the `(absent)` column those who left.")
        md.line()
        if d.matrix.isSmall {
            md.table(["\(from) → \(to)"] + d.labels, align: [.left] + d.labels.map { _ in .right },
                     rows: d.matrix.rows().enumerated().map { i, row in [d.labels[i]] + row.map { String($0) } })
        } else {
            md.line("\(d.labels.count) labels are too many for a table; the \(d.matrix.cells.count) cells that hold "
                    + "customers, by \(md.escape(from)) then \(md.escape(to)):")
            md.line()
            md.table([from, to, "customers"], align: [.left, .left, .right],
                     rows: d.matrix.cells.map { [d.labels[$0.from], d.labels[$0.to], String($0.count)] })
        }

        if let movers = d.movers {
            md.line("## Customers who moved")
            md.line()
            if movers.count > DiffExporter.markdownMoverLimit {
                md.line("Showing the first \(DiffExporter.markdownMoverLimit) of \(movers.count); the JSON and "
                        + "CSV exports list all of them.")
                md.line()
            }
            md.table(["customer", from, to], align: [.left, .left, .left],
                     rows: movers.prefix(DiffExporter.markdownMoverLimit).map { [$0.customerID, $0.from, $0.to] })
        }
        return md.data
    }

    /// ` (new)` for a segment only the newer version has, ` (gone)` for one it lost.
    private static func note(_ s: SegmentChange) -> String {
        if s.label == VersionDiff.unassignedLabel { return "" }
        if s.before == 0 { return " (new)" }
        if s.after == 0 { return " (gone)" }
        return ""
    }
}
