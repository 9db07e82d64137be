import Foundation
import LuaHost
import SegworkData

extension Exporter {
    /// `profiles.md`: a readable report — title with the definition and run id, the inputs and plugins,
    /// a summary table (customers, share, revenue, mean of each numeric column per group), then a
    /// section per group with its numeric statistics and top values with lift. Shares are percentages
    /// with one decimal, money has two decimals, other numbers 6 significant digits, date statistics
    /// are dates. Text is escaped (`MarkdownText.escape`): no cell breaks, and no Markdown link or HTML is live.
    public static func markdown(_ r: ProfileReport) -> Data { markdown(r, cleaning: nil) }

    /// `profiles.md` as above; with a cleaning report, a "Cleaning" section follows the inputs (only then, so
    /// reports of definitions without `clean:` are unchanged).
    public static func markdown(_ r: ProfileReport, cleaning: CleaningReport?) -> Data {
        var md = MarkdownText()
        let run = r.run
        md.line("# Segment profile: \(md.escape(run.definition))")
        md.line()
        md.line("- run: \(md.escape(run.runID))")
        md.line("- as of: \(md.escape(run.asOf))")
        md.line("- customers: \(MarkdownText.count(run.customers))")
        md.line("- criteria combined by: \(md.escape(run.combine))")
        // This file is written in this Segwork's format, whichever format the version's profiles.json has.
        md.line("- Segwork \(md.escape(run.segworkVersion)), export format \(ProfileReport.currentFormatVersion)")
        if let p = run.privacy {
            var parts = ["personal (pii) columns, never profiled: " + (p.piiColumns.isEmpty ? "none" : p.piiColumns.joined(separator: ", "))]
            if p.hashedIDs { parts.append("customer ids in membership.csv are salted hashes") }
            if let k = p.minGroupSize { parts.append("statistics over fewer than \(k) customers are suppressed") }
            md.line("- privacy: " + md.escape(parts.joined(separator: "; ")))
        }
        md.line()

        md.line("## Inputs")
        md.line()
        md.table(["dataset", "file", "rows", "sha256"], align: [.left, .left, .right, .left],
                 rows: run.inputs.map { [$0.name, $0.file, MarkdownText.count($0.rows), $0.sha256] })
        cleaning?.markdown(into: &md)
        md.line("## Plugins")
        md.line()
        md.table(["plugin", "kind", "version", "file", "sha256", "params"],
                 align: [.left, .left, .left, .left, .left, .left],
                 rows: run.plugins.map {
                     [$0.name, $0.kind, $0.version, $0.file, $0.sha256,
                      $0.params.isEmpty ? "-" : MarkdownText.render(.object($0.params))]
                 })

        let groups = [r.population] + r.segments
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        md.line("## Summary")
        md.line()
        // The description column only when a criterion describes a segment: reports of others stay as they were.
        let described = r.segments.contains { $0.description != nil }
        // With many segments one line each stays short: no revenue amount and no means (the sections have them).
        let many = ProfileMarkdown.isMany(r)
        var header = ["segment"] + (described ? ["description"] : []) + ["customers", "share"]
        if r.monetary != nil { header += many ? ["revenue share"] : ["revenue", "revenue share"] }
        let means = many ? [] : r.numericColumns
        header += means.map { "mean \($0.name)" }
        md.table(header, align: [.left] + (described ? [.left] : []) + Array(repeating: .right, count: header.count - (described ? 2 : 1)), rows: groups.map { p in
            var row = [p.label] + (described ? [p.description ?? "-"] : []) + [MarkdownText.count(p.count), MarkdownText.percent(p.share)]
            if r.monetary != nil { row += (many ? [] : [MarkdownText.money(p.revenue)]) + [MarkdownText.percent(p.revenueShare)] }
            row += means.map { c in
                MarkdownText.statistic(p.numeric(c.name)?.mean, date: dates.contains(c.name))
            }
            return row
        })

        r.scorecard?.markdown(into: &md, monetary: r.monetary)
        ProfileMarkdown.segments(r, into: &md)
        if let clusters = r.clusters { ClusterExport.markdown(clusters, into: &md) }
        return md.data
    }
}

extension CleaningReport {
    /// Appends the "Cleaning" section of `profiles.md`.
    func markdown(into md: inout MarkdownText) {
        md.line("## Cleaning")
        md.line()
        md.table(["dataset", "rows in", "rows out", "rejects"], align: [.left, .right, .right, .right],
                 rows: datasets.map { d in
                     [d.dataset, MarkdownText.count(d.rowsIn), MarkdownText.count(d.rowsOut), MarkdownText.count(d.steps.reduce(0) { $0 + $1.rejects })]
                 })
        md.table(["dataset", "step", "what it did", "rows removed", "values changed", "values filled", "rejects"],
                 align: [.left, .right, .left, .right, .right, .right, .right],
                 rows: datasets.flatMap { d in
                     d.steps.map { s in
                         [d.dataset, String(s.step), s.description, MarkdownText.count(s.rowsRemoved), MarkdownText.count(s.valuesChanged),
                          MarkdownText.count(s.valuesFilled), MarkdownText.count(s.rejects)]
                     }
                 })
    }
}
