import Foundation
import SegworkData

/// `diff.html`: the comparison of two versions (`seg diff`) as one self-contained page: the size change of every
/// segment, the migration matrix with its largest flows, and what changed in the inputs. Same rules as
/// `report.html` (no script, nothing loaded, the same diff gives the same bytes).
public enum DiffHTML {
    /// The page for `d`.
    public static func page(_ d: VersionDiff) -> Data {
        let e = ReportText.escape
        let title = "Segment diff: \(d.definition), \(d.from.id) → \(d.to.id)"
        var html = HTMLReport.head(title, generator: segworkVersion) + """
            <header>
            <h1>\(e(title))</h1>
            <ul class="meta">
            <li>\(e(d.from.id)): run <code>\(e(d.from.runID))</code>, as of \(e(d.from.asOf)), \(ReportText.count(d.from.customers)) customers</li>
            <li>\(e(d.to.id)): run <code>\(e(d.to.runID))</code>, as of \(e(d.to.asOf)), \(ReportText.count(d.to.customers)) customers</li>
            <li>drift \(ReportText.percent(d.drift))</li>
            </ul>
            </header>

            """
        html += "<section id=\"s-sizes\">\n<h2>Segment sizes</h2>\n" + sizes(d) + "</section>\n"
        html += "<section id=\"s-migration\">\n<h2>Migration</h2>\n"
            + HTMLReport.migration(ReportData.Migration(d, previous: PreviousRun(version: d.from.id, runID: d.from.runID)), toName: d.to.id)
            + "</section>\n"
        html += "<section id=\"s-inputs\">\n<h2>What changed in the inputs</h2>\n" + inputs(d) + "</section>\n"
        html += "<footer>Made by Segwork. The full matrix and every number are in diff.json and diff.csv beside this file.</footer>\n</main>\n</body>\n</html>\n"
        return Data(html.utf8)
    }

    static func sizes(_ d: VersionDiff) -> String {
        let segments = d.segments.filter { $0.before > 0 || $0.after > 0 }
        var f = Figure(id: "sizes", title: "Customers per segment, \(d.from.id) and \(d.to.id)",
                       caption: "Each segment's customers in the older version (first bar) and the newer one.")
        SVGChart.bars(&f, segments.map { s in
            (s.label, [Double(s.before), Double(s.after)],
             "\(ReportText.count(s.before)) → \(ReportText.count(s.after)) (\(s.delta >= 0 ? "+" : "")\(ReportText.count(s.delta)))")
        }, series: [d.from.id, d.to.id])
        f.rowAxis = "segment"; f.valueAxis = "customers"
        f.header = ["segment", d.from.id, d.to.id, "change", "share before", "share after", "stayed", "moved in", "moved out", "entered", "left"]
        f.rows = segments.map { s in
            [s.label, ReportText.count(s.before), ReportText.count(s.after), ReportText.count(s.delta), ReportText.percent(s.shareBefore),
             ReportText.percent(s.shareAfter), ReportText.count(s.stayed), ReportText.count(s.movedIn), ReportText.count(s.movedOut),
             ReportText.count(s.entered), ReportText.count(s.left)]
        }
        return f.html()
    }

    static func inputs(_ d: VersionDiff) -> String {
        guard !d.inputChanges.isEmpty else { return "<p class=\"note\">Nothing: the same definition, reference date, data and plugins.</p>\n" }
        let rows = d.inputChanges.map { c in
            ["\(c.kind.rawValue) \(c.name)", c.field + (c.param.map { " \($0)" } ?? ""), c.before ?? "-", c.after ?? "-"]
        }
        return "<div class=\"scroll\">" + HTMLTable.html(["what", "field", "before", "after"], rows, text: [1, 2, 3]) + "</div>\n"
    }
}
