import Foundation
import SegworkData

/// `report.html`: one self-contained page a stakeholder can read, made from a run's profiles and its report data
/// (docs/REPORTS.md). No script, no font, no image file and no network: the charts are inline SVG, the styles an
/// inline sheet, and a Content-Security-Policy forbids loading anything. The same inputs give the same bytes.
public enum HTMLReport {
    /// Segments drawn in the histograms beside the population (the largest ones).
    static let histogramSegments = 5
    /// Segments drawn in the history chart (the largest now).
    static let historySeries = 8
    /// Rows and columns a heatmap draws at most (see `CountGrid.folded`).
    static let heatmapLabels = 30
    /// Segments the bar charts, the index heatmap and the mix draw at most (the largest); their data tables list all.
    static let chartSegments = 40

    /// The page for `r`; without `data` (versions recorded before Segwork 0.4.0) the charts that need rows say so.
    public static func page(_ r: ProfileReport, data: ReportData?) -> Data {
        let e = ReportText.escape
        let run = r.run
        var sections: [(id: String, title: String, html: String)] = []
        func add(_ id: String, _ title: String, _ html: String) { sections.append((id, title, html)) }
        if r.population.count == 0 {
            add("empty", "No customers", "<p class=\"note\">No customer is in this run's population (after cleaning): there is nothing to draw.</p>\n")
        }
        let missing = "<p class=\"note\">Not available: this version was recorded before Segwork 0.4.0, which did not keep the chart data. Re-run the definition to get it.</p>\n"
        let groups = r.segments.filter { !$0.unassigned || $0.count > 0 }
        let criteriaCount = run.plugins.filter { $0.kind == "criterion" }.count
        let combined = criteriaCount > 1 ? " (\(criteriaCount) criteria combined by \(e(run.combine)))" : ""

        add("sizes", "Segment sizes", sizes(groups, r))
        if r.monetary != nil { add("value", "Customers and revenue", shares(groups)) }
        add("kpis", "Key figures per segment", kpis(r))
        if let grid = data?.rfmGrid { add("rfm", "Recency × frequency", rfm(grid)) }
        if !r.numericColumns.isEmpty {
            add("drivers", "What sets each segment apart", drivers(r))
            add("distributions", "Distributions", data.map { histograms($0, r) } ?? missing)
        }
        if !r.categoricalColumns.isEmpty { add("mix", "Categorical mix", data.map { mix($0) } ?? missing) }
        if let m = data?.criteria { add("criteria", "Criterion × criterion", criteria(m)) }
        add("history", "Segment size across versions", data.map { history($0.history) } ?? missing)
        add("migration", "Migration from the previous version", data.map { migration($0.migration) } ?? missing)

        var html = head("Segment report: \(run.definition)", generator: run.segworkVersion) + """
            <header>
            <h1>Segment report: \(e(run.definition))</h1>
            <ul class="meta">
            <li>run <code>\(e(run.runID))</code></li>
            <li>as of \(e(run.asOf))</li>
            <li>\(ReportText.count(run.customers)) customers</li>
            <li>\(ReportText.count(r.segments.filter { !$0.unassigned && $0.count > 0 }.count)) segments\(combined)</li>
            <li>\(run.previous.map { "compared with \(e($0.version))" } ?? "first version")</li>
            <li>Segwork \(e(run.segworkVersion))</li>
            </ul>
            </header>
            <nav aria-label="Contents"><ol>
            """
        html += "\n" + sections.map { "<li><a href=\"#s-\($0.id)\">\(e($0.title))</a></li>" }.joined(separator: "\n") + "\n</ol></nav>\n"
        for s in sections {
            html += "<section id=\"s-\(s.id)\">\n<h2>\(e(s.title))</h2>\n\(s.html)</section>\n"
        }
        html += "<footer>Made by Segwork \(e(run.segworkVersion)) from run \(e(run.runID)). The numbers behind every chart are in report-data.json and profiles.json beside this file.</footer>\n</main>\n</body>\n</html>\n"
        return Data(html.utf8)
    }

    // MARK: - Sections

    static func sizes(_ groups: [SegmentProfile], _ r: ProfileReport) -> String {
        var f = Figure(id: "sizes", title: "Customers per segment",
                       caption: "Bars are customers in each segment; the share of all customers follows." + cutNote(groups.count))
        SVGChart.bars(&f, groups.prefix(chartSegments).map { ($0.label, [Double($0.count)], "\(ReportText.count($0.count)) (\(ReportText.percent($0.share)))") }, series: [])
        f.rowAxis = "segment"; f.valueAxis = "customers"
        f.header = ["segment", "customers", "share"]
        f.rows = groups.map { [$0.label, ReportText.count($0.count), ReportText.percent($0.share)] }
        return f.html()
    }

    static func shares(_ groups: [SegmentProfile]) -> String {
        var f = Figure(id: "value", title: "Share of customers and of revenue",
                       caption: "A segment whose revenue bar is longer than its customer bar is worth more than its size." + cutNote(groups.count))
        SVGChart.bars(&f, groups.prefix(chartSegments).map { g in
            (g.label, [g.share ?? 0, g.revenueShare ?? 0], "\(ReportText.percent(g.share)) / \(ReportText.percent(g.revenueShare))")
        }, series: ["customers", "revenue"])
        f.rowAxis = "segment"; f.valueAxis = "share of all customers, share of all revenue"
        f.header = ["segment", "share of customers", "share of revenue"]
        f.rows = groups.map { [$0.label, ReportText.percent($0.share), ReportText.percent($0.revenueShare)] }
        return f.html()
    }

    static func kpis(_ r: ProfileReport) -> String {
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        let described = r.segments.contains { $0.description != nil }
        var header = ["segment"] + (described ? ["description"] : []) + ["customers", "share"]
        if r.monetary != nil { header += ["revenue", "revenue share", "value per customer"] }
        let orders = r.scorecard?.orders != nil
        if orders { header += ["orders", "avg order value"] }
        header += r.numericColumns.map { "median \($0.name)" }
        let scores = Dictionary(r.scorecard?.segments.map { ($0.label, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let rows = ([r.population] + r.segments).map { p -> [String] in
            var row = [p.label] + (described ? [p.description ?? ""] : []) + [ReportText.count(p.count), ReportText.percent(p.share)]
            if r.monetary != nil {
                row += [ReportText.money(p.revenue), ReportText.percent(p.revenueShare),
                        ReportText.money(p.revenue.flatMap { p.count > 0 ? $0 / Double(p.count) : nil })]
            }
            if orders {
                let s = scores[p.label]
                row += [ReportText.number(s?.orders ?? (p.label == r.population.label ? r.scorecard?.segments.compactMap(\.orders).reduce(0, +) : nil)),
                        ReportText.money(s?.aov)]
            }
            row += r.numericColumns.map { ReportText.number(p.numeric($0.name)?.median, date: dates.contains($0.name)) }
            return row
        }
        return "<div class=\"scroll\" id=\"kpis\" data-chart=\"kpis\" data-marks=\"\(rows.count)\">" + HTMLTable.html(header, rows, markRows: true, text: described ? [1] : []) + "</div>\n"
            + "<p class=\"note\">Medians per segment; money with two decimals. Full statistics are in profiles.md and profiles.json.</p>\n"
    }

    static func rfm(_ g: ReportData.RFMGrid) -> String {
        var out = ""
        var f = Figure(id: "rfm-count", title: "Customers by recency (rows) and frequency (columns)",
                       caption: g.source == "scores" ? "Rows are recency scores, most recent first; columns are frequency scores." : "Rows are days since the last order, most recent first; columns are orders, cut at their quintiles.")
        SVGChart.heatmap(&f, rows: g.recency, columns: g.frequency, values: g.count.map { $0.map { Double($0) } },
                         texts: g.count.map { $0.map(ReportText.count) })
        f.rowAxis = g.source == "scores" ? "recency score" : "days since the last order"
        f.valueAxis = g.source == "scores" ? "frequency score" : "orders"
        f.header = ["recency \\ frequency"] + g.frequency
        f.rows = zip(g.recency, g.count).map { [$0] + $1.map(ReportText.count) }
        out += f.html()
        if let revenue = g.revenue {
            var v = Figure(id: "rfm-revenue", title: "Revenue by recency and frequency", caption: "The monetary column's sum per cell.")
            SVGChart.heatmap(&v, rows: g.recency, columns: g.frequency, values: revenue.map { $0.map { $0 } },
                             texts: revenue.map { $0.map { ReportText.fixed($0, 0) } })
            v.rowAxis = f.rowAxis; v.valueAxis = f.valueAxis
            v.header = f.header
            v.rows = zip(g.recency, revenue).map { [$0] + $1.map(ReportText.money) }
            out += v.html()
        }
        if g.missing > 0 { out += "<p class=\"note\">\(ReportText.count(g.missing)) customers without orders are not in the grid.</p>\n" }
        return out
    }

    /// The segments × numeric columns heatmap of standardized differences ((segment mean − population mean) /
    /// population sd, as the drivers are ranked), or of the index for reports without sd (before Segwork 0.4.0); then
    /// each segment's description and its three drivers.
    static func drivers(_ r: ProfileReport) -> String {
        let all = r.segments.filter { !$0.unassigned && $0.count > 0 }
        let segments = Array(all.prefix(chartSegments))
        let columns = r.numericColumns.map(\.name)
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        let standardized = columns.contains { r.population.numeric($0)?.sd != nil }
        func value(_ s: SegmentProfile, _ c: String) -> Double? {
            guard let n = s.numeric(c), n.suppressed != true, let mean = n.mean else { return nil }
            if !standardized { return n.index.map { $0 - 100 } }
            guard let pop = r.population.numeric(c), let pm = pop.mean, let sd = pop.sd, sd > 0 else { return nil }
            return (mean - pm) / sd
        }
        let values = segments.map { s in columns.map { value(s, $0) } }
        let text: (Double?) -> String = { v in
            guard let v else { return "-" }
            return standardized ? (v > 0 ? "+" : "") + ReportText.fixed(v, 2) : ReportText.fixed(v + 100, 0)
        }
        var f = Figure(id: "drivers",
                       title: standardized ? "Segment mean against all customers (standardized difference, in sd)"
                                           : "Segment mean against all customers (index, 100 = average)",
                       caption: (standardized ? "(segment mean − mean of all customers) / their standard deviation. " : "Cells show the index. ")
                           + "Blue: the segment has more of it than customers overall; red: less." + cutNote(all.count))
        SVGChart.heatmap(&f, rows: segments.map(\.label), columns: columns, values: values,
                         texts: values.map { $0.map(text) }, diverging: true)
        f.rowAxis = "segment"; f.valueAxis = "numeric profile column"
        f.header = ["segment"] + columns
        f.rows = zip(segments, values).map { s, row in [s.label] + row.map(text) }
        var list = "<ul class=\"drivers\">\n"
        for s in segments {
            var parts: [String] = []
            if let d = s.description { parts.append("<em>\(ReportText.escape(d))</em>") }
            if let drivers = s.drivers, !drivers.isEmpty {
                parts.append("sets it apart: " + drivers.map { ReportText.escape(ProfileMarkdown.phrase($0, dates: dates)) }.joined(separator: ", "))
            } else if s.suppressed != true, !standardized {
                // Reports before Segwork 0.4.0 have no drivers: the columns whose index is furthest from 100.
                var ranked: [(column: String, index: Double)] = []
                for c in columns { if let i = s.numeric(c)?.index { ranked.append((c, i)) } }
                ranked.sort { a, b in
                    let x = abs(a.index - 100), y = abs(b.index - 100)
                    return x != y ? x > y : ByteOrder.less(a.column, b.column)
                }
                if !ranked.isEmpty {
                    let named = ranked.prefix(3).map { "\(ReportText.escape($0.column)) \(ReportText.fixed($0.index, 0))" }
                    parts.append("index furthest from 100: " + named.joined(separator: ", "))
                }
            }
            guard !parts.isEmpty else { continue }
            list += "<li><strong>\(ReportText.escape(s.label))</strong>: \(parts.joined(separator: "; "))</li>\n"
        }
        return f.html() + list + "</ul>\n"
    }

    static func histograms(_ data: ReportData, _ r: ProfileReport) -> String {
        var out = ""
        for h in data.histograms where h.edges.count > 1 {
            let date = h.type == .date
            let integral = h.type != .double && zip(h.edges, h.edges.dropFirst()).allSatisfy { $1 - $0 == 1 }
            func binText(_ b: Int) -> String {
                integral ? ReportText.number(h.edges[b], date: date)
                    : "\(ReportText.number(h.edges[b], date: date))–\(ReportText.number(h.edges[b + 1], date: date))"
            }
            let shown = [h.groups[0]] + h.groups.dropFirst().filter { $0.label != ReservedLabel.unassigned && $0.counts.reduce(0, +) > 0 }
                .prefix(histogramSegments)
            var f = Figure(id: "hist-\(slug(h.column))", title: "Distribution of \(h.column)",
                           caption: "Bar heights are each group's share of its customers per bin, on one scale for all panels (all customers in grey, then the largest segments)."
                               + (h.clipped > 0 ? " Values beyond the 1st and 99th percentiles (\(ReportText.count(h.clipped))) are counted in the end bins." : ""))
            SVGChart.histograms(&f, edges: h.edges, groups: shown.map { ($0.label, $0.counts) }, binText: binText)
            f.rowAxis = "group (bar height: share of its customers)"; f.valueAxis = h.column
            f.header = [h.column] + shown.map(\.label)
            f.rows = (0..<(h.edges.count - 1)).map { b in [binText(b)] + shown.map { ReportText.count($0.counts[b]) } }
            out += f.html()
        }
        return out.isEmpty ? "<p class=\"note\">No values to draw.</p>\n" : out
    }

    static func mix(_ data: ReportData) -> String {
        var out = ""
        for m in data.categoricalMix where !m.values.isEmpty {
            let groups = m.groups.filter { $0.counts.reduce(0, +) > 0 }
            var f = Figure(id: "mix-\(slug(m.column))", title: "\(m.column) per segment",
                           caption: "Each bar is 100 % of the group's customers with a value; the most frequent values overall are shown, the rest as (other)."
                               + cutNote(groups.count - 1))
            SVGChart.stacked(&f, groups.prefix(chartSegments + 1).map { ($0.label, $0.counts) }, parts: m.values)
            f.rowAxis = "segment"; f.valueAxis = "share of customers with a \(m.column)"
            f.header = ["segment"] + m.values + ["missing"]
            f.rows = m.groups.map { [$0.label] + $0.counts.map(ReportText.count) + [ReportText.count($0.missing)] }
            out += f.html()
        }
        return out.isEmpty ? "<p class=\"note\">No values to draw.</p>\n" : out
    }

    static func criteria(_ m: ReportData.CriteriaMatrix) -> String {
        var cells: [(row: Int, column: Int, count: Int)] = []
        for (i, row) in m.counts.enumerated() { for (j, n) in row.enumerated() where n > 0 { cells.append((i, j, n)) } }
        let grid = CountGrid(rows: m.rows, columns: m.columns, cells: cells).folded(limit: heatmapLabels)
        return countHeatmap(grid, id: "criteria", title: "Customers by \(m.criteria[0]) (rows) and \(m.criteria[1]) (columns)",
                            caption: "Each criterion's own label, before they are combined." + foldNote(m.rows.count, m.columns.count),
                            corner: "\(m.criteria[0]) \\ \(m.criteria[1])", axes: (m.criteria[0], m.criteria[1]))
    }

    /// A heatmap of a count grid with its data table; `corner` heads the row labels.
    static func countHeatmap(_ grid: CountGrid, id: String, title: String, caption: String, corner: String,
                             axes: (rows: String, columns: String)) -> String {
        let counts = grid.dense
        var f = Figure(id: id, title: title, caption: caption)
        f.rowAxis = axes.rows; f.valueAxis = axes.columns
        SVGChart.heatmap(&f, rows: grid.rows, columns: grid.columns, values: counts.map { $0.map { $0 > 0 ? Double($0) : nil } },
                         texts: counts.map { $0.map(ReportText.count) })
        f.header = [corner] + grid.columns
        f.rows = zip(grid.rows, counts).map { [$0] + $1.map(ReportText.count) }
        return f.html()
    }

    /// Said under a chart that draws only the largest `chartSegments` of `count` segments.
    static func cutNote(_ count: Int) -> String {
        count > chartSegments ? " The chart shows the \(chartSegments) largest of \(count) segments; the data table lists all." : ""
    }

    /// Said under a heatmap whose labels were folded.
    static func foldNote(_ rows: Int, _ columns: Int) -> String {
        max(rows, columns) > heatmapLabels
            ? " Beyond \(heatmapLabels) labels the smaller ones are summed into \"(N more)\"; report-data.json has every cell." : ""
    }

    static func history(_ points: [ReportData.HistoryPoint]) -> String {
        guard points.count >= 2, let now = points.last else {
            return "<p class=\"note\">This is the first version of this definition: there is nothing to compare yet.</p>\n"
        }
        let labels = now.segments.filter { $0.label != ReservedLabel.unassigned }.prefix(historySeries).map(\.label)
        let xLabels = points.map { $0.version ?? "this run" }
        let series = labels.map { l in (label: l, values: points.map { p in p.segments.first { $0.label == l }?.count }) }
        var f = Figure(id: "history", title: "Customers per segment across versions",
                       caption: "The largest segments of this run, in the versions this run descends from (each compared with the one before).")
        SVGChart.lines(&f, xLabels: xLabels, series: series)
        f.valueAxis = "customers per segment, version by version"; f.axisSplit = 70
        f.header = ["version", "as of"] + labels
        f.rows = zip(xLabels, points).map { x, p in [x, p.asOf] + series.map { s in s.values[xLabels.firstIndex(of: x)!].map(ReportText.count) ?? "-" } }
        return f.html()
    }

    static func migration(_ m: ReportData.Migration?, toName: String = "this run") -> String {
        guard let m else { return "<p class=\"note\">This is the first version of this definition: no customer has moved yet.</p>\n" }
        // (unassigned) and (absent) stay on the axis when it is folded.
        let grid = CountGrid(rows: m.labels, columns: m.labels, cells: m.cells.filter { $0.count == 3 }.map { ($0[0], $0[1], $0[2]) })
            .folded(limit: heatmapLabels, rowTail: 2, columnTail: 2)
        let matrix = countHeatmap(grid, id: "migration", title: "Customers from \(m.previous.version) (rows) to \(toName) (columns)",
                                  caption: "The diagonal stayed; (absent) is a customer not in that version's population."
                                      + foldNote(m.labels.count, m.labels.count), corner: "from \\ to",
                                  axes: ("segment in \(m.previous.version)", "segment in \(toName)"))
        var flows = Figure(id: "flows", title: "Largest moves", caption: "Customers who changed segment, largest flows first.")
        SVGChart.bars(&flows, m.flows.map { ("\($0.from) → \($0.to)", [Double($0.count)], ReportText.count($0.count)) }, series: [])
        flows.rowAxis = "previous → now"; flows.valueAxis = "customers"
        flows.header = ["from → to", "customers"]
        flows.rows = m.flows.map { ["\($0.from) → \($0.to)", ReportText.count($0.count)] }
        let summary = "<p>\(ReportText.count(m.stayed)) customers stayed, \(ReportText.count(m.moved)) moved, \(ReportText.count(m.entered)) entered and \(ReportText.count(m.left)) left.</p>\n"
        return summary + matrix + (m.flows.isEmpty ? "" : flows.html())
    }

    /// An id-safe form of a column name: letters and digits, the rest as `-`, plus a short hash for uniqueness.
    static func slug(_ s: String) -> String {
        let base = String(s.unicodeScalars.map { ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) ? Character($0) : "-" }.prefix(40))
        return base + "-" + String(SHA256.hex(s).prefix(6))
    }

    /// The page's head and the opening of its body: charset, viewport, the policy that nothing loads, the title and
    /// the style sheet.
    static func head(_ title: String, generator: String) -> String {
        let e = ReportText.escape
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="generator" content="Segwork \(e(generator))">
            <title>\(e(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>

            """
    }

    static let style = """
        :root{color-scheme:light;--ink:#1b1f24;--muted:#57606a;--line:#d0d7de}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
        main{max-width:980px;margin:0 auto;padding:16px}
        h1{font-size:1.6em;margin:.2em 0;overflow-wrap:anywhere}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
        .meta{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;list-style:none;color:var(--muted)}
        nav ol{columns:2;font-size:.95em}
        figure{margin:1em 0}svg{width:100%;height:auto;display:block}
        figcaption{color:var(--muted);font-size:.9em;overflow-wrap:anywhere}
        .lbl{font-size:12px;fill:var(--ink)}.val{font-size:11px;fill:var(--muted)}.cell{font-size:11px;fill:var(--ink)}.cell.on{fill:#fff}
        .axis{stroke:var(--line)}.axt{font-size:12px;font-style:italic;fill:var(--muted)}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
        th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
        .num{text-align:right;font-variant-numeric:tabular-nums}.txt{white-space:normal;min-width:14em;max-width:24em}
        .note{color:var(--muted);font-size:.9em}
        li{overflow-wrap:anywhere}
        footer{margin-top:2em;color:var(--muted);font-size:.85em}
        @media (max-width:600px){main{padding:8px}nav ol{columns:1}}
        @media print{details.data{display:block}details.data>summary{display:none}details.data>div{display:block}figure{break-inside:avoid}}
        """
}
