import Foundation
import SegworkData

/// The "Segments" part of `profiles.md`: a section per group (docs/EXPORTS.md, "profiles.md").
enum ProfileMarkdown {
    /// Appends `## Segments`: the population, the segments, and the unassigned group when it has customers.
    static func segments(_ r: ProfileReport, into md: inout MarkdownText) {
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        md.line("## Segments")
        md.line()
        for p in [r.population] + r.segments.filter({ !$0.unassigned }) { section(p, r, dates: dates, into: &md) }
        // An empty unassigned group has nothing to show beyond its row in the summary.
        for p in r.segments where p.unassigned && p.count > 0 { section(p, r, dates: dates, into: &md) }
    }

    /// One group's section: heading, description, size and revenue, drivers, numeric statistics, top values.
    static func section(_ p: SegmentProfile, _ r: ProfileReport, dates: Set<String>, into md: inout MarkdownText) {
        let run = r.run
        md.line("### \(md.escape(p.label))")
        md.line()
        if let d = p.description {
            md.line("_\(md.escape(d))_")
            md.line()
        }
        var facts = "\(MarkdownText.count(p.count)) customers (\(MarkdownText.percent(p.share)))"
        if let m = r.monetary {
            facts += "; \(md.escape(m)): \(MarkdownText.money(p.revenue)) (\(MarkdownText.percent(p.revenueShare)) of revenue)"
        }
        if p.suppressed == true { facts += " " + MarkdownText.suppressed(run) }
        md.line(facts)
        md.line()
        if let drivers = driversLine(p, dates: dates) {
            md.line(drivers)
            md.line()
        }
        if !p.numeric.isEmpty {
            md.table(["column", "mean", "median", "p25", "p75", "min", "max", "sd", "missing", "index"],
                     align: [.left] + Array(repeating: .right, count: 9),
                     rows: p.numeric.map { s in
                         let d = dates.contains(s.column)
                         return [s.column] + [s.mean, s.median, s.p25, s.p75, s.min, s.max].map {
                             MarkdownText.statistic($0, date: d)
                         } + [MarkdownText.number(s.sd), MarkdownText.count(s.missing), MarkdownText.index(s.index)]
                     })
            let hidden = p.numeric.filter { $0.suppressed == true }.map(\.column)
            if !hidden.isEmpty, p.suppressed != true {
                md.line("Statistics of \(md.escape(hidden.joined(separator: ", "))) \(MarkdownText.suppressed(run))")
                md.line()
            }
        }
        for s in p.categorical {
            md.line("Top values of **\(md.escape(s.column))** (\(MarkdownText.count(s.distinct)) distinct; missing: \(MarkdownText.count(s.missing)), "
                    + "\(MarkdownText.percent(s.missingShare)))")
            md.line()
            md.table(["value", "customers", "share", "lift"], align: [.left, .right, .right, .right],
                     rows: s.top.map { [$0.value, MarkdownText.count($0.count), MarkdownText.percent($0.share),
                                        MarkdownText.ratio($0.lift)] })
            if s.suppressed == true {
                md.line("Top values \(MarkdownText.suppressed(run))")
                md.line()
            } else if let n = s.suppressedValues {
                md.line("\(MarkdownText.count(n)) more top \(n == 1 ? "value" : "values") \(MarkdownText.suppressed(run))")
                md.line()
            }
        }
    }

    /// `Sets it apart: higher monetary (2,410.06 vs 625.61, +1.80 sd), …`, or nil for a group without drivers. Text is
    /// escaped.
    static func driversLine(_ p: SegmentProfile, dates: Set<String>) -> String? {
        guard let drivers = p.drivers, !drivers.isEmpty else { return nil }
        return "Sets it apart: " + drivers.map { MarkdownText().escape(phrase($0, dates: dates)) }.joined(separator: ", ")
    }

    /// One driver in words: `higher monetary (2,410.06 vs 625.61, +1.80 sd)`, `later signup_date (…)`,
    /// `more plan = Annual (45.0% vs 20.0%, +0.95 sd)`, `fewer …`. Not escaped.
    static func phrase(_ d: SegmentDriver, dates: Set<String>) -> String {
        let up = d.difference > 0
        let sd = (up ? "+" : "") + MarkdownText.ratio(d.difference) + " sd"
        if let value = d.value {
            return "\(up ? "more" : "fewer") \(d.column) = \(value) (\(MarkdownText.percent(d.segmentValue)) vs "
                + "\(MarkdownText.percent(d.populationValue)), \(sd))"
        }
        let date = dates.contains(d.column)
        let word = date ? (up ? "later" : "earlier") : (up ? "higher" : "lower")
        return "\(word) \(d.column) (\(MarkdownText.statistic(d.segmentValue, date: date)) vs "
            + "\(MarkdownText.statistic(d.populationValue, date: date)), \(sd))"
    }
}
