import Foundation
import SegworkData

/// The "Segments" part of `profiles.md`: a section per group, with only the largest segments in detail when there
/// are many (docs/EXPORTS.md, "profiles.md").
enum ProfileMarkdown {
    /// More segments than this (the unassigned group not counted), and only the `detailed` largest get a section of
    /// their own; the rest share one "Other segments" section. 12 fits a 4 × 3 cross in full.
    static let detailLimit = 12
    /// Segments given a section of their own when there are more than `detailLimit`: the largest by customers.
    static let detailed = 10
    /// Top values per categorical column in the compact sections of a report with many segments.
    static let compactTop = 3

    /// Whether `r` has more than `detailLimit` segments: then the summary leaves out the means, only the `detailed`
    /// largest segments get a (compact) section, and the rest share "Other segments".
    static func isMany(_ r: ProfileReport) -> Bool { r.segments.filter { !$0.unassigned }.count > detailLimit }

    /// Appends `## Segments`: the population, the segments (the largest `detailed` of them when there are more than
    /// `detailLimit`, then "Other segments"), and the unassigned group when it has customers.
    static func segments(_ r: ProfileReport, into md: inout MarkdownText) {
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        md.line("## Segments")
        md.line()
        let segments = r.segments.filter { !$0.unassigned }
        // Report order is by customers, descending: the first ones are the largest.
        let many = isMany(r)
        let shown = many ? Array(segments.prefix(detailed)) : segments
        section(r.population, r, dates: dates, into: &md)
        for p in shown { section(p, r, dates: dates, compact: many, into: &md) }
        if shown.count < segments.count { others(Array(segments.dropFirst(shown.count)), r, into: &md) }
        // An empty unassigned group has nothing to show beyond its row in the summary.
        for p in r.segments where p.unassigned && p.count > 0 { section(p, r, dates: dates, compact: many, into: &md) }
    }

    /// One group's section: heading, description, size and revenue, drivers, numeric statistics, top values. A
    /// `compact` section (a report with many segments) shows mean, median, sd and index of each numeric column and
    /// the `compactTop` most frequent values of each categorical column on one row.
    static func section(_ p: SegmentProfile, _ r: ProfileReport, dates: Set<String>, compact: Bool = false,
                        into md: inout MarkdownText) {
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
        if compact {
            compactTables(p, r, dates: dates, into: &md)
            return
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

    /// The statistics of a compact section: `column | mean | median | sd | index`, then
    /// `column | most frequent (share, lift)` with the `compactTop` values of each categorical column.
    static func compactTables(_ p: SegmentProfile, _ r: ProfileReport, dates: Set<String>, into md: inout MarkdownText) {
        let hidden = "(suppressed)"
        if !p.numeric.isEmpty {
            md.table(["column", "mean", "median", "sd", "index"], align: [.left, .right, .right, .right, .right],
                     rows: p.numeric.map { s in
                         let d = dates.contains(s.column)
                         return [s.column, MarkdownText.statistic(s.mean, date: d), MarkdownText.statistic(s.median, date: d),
                                 MarkdownText.number(s.sd), MarkdownText.index(s.index)]
                     })
        }
        if !p.categorical.isEmpty {
            md.table(["column", "most frequent (share, lift)"], align: [.left, .left], rows: p.categorical.map { s in
                let top = s.top.prefix(compactTop).map {
                    "\($0.value) \(MarkdownText.percent($0.share)) (\(MarkdownText.ratio($0.lift)))"
                }
                return [s.column, s.suppressed == true ? hidden : (top.isEmpty ? "-" : top.joined(separator: ", "))]
            })
        }
        if p.suppressed == true || p.numeric.contains(where: { $0.suppressed == true })
            || p.categorical.contains(where: { $0.suppressedValues != nil }) {
            md.line("Some statistics \(MarkdownText.suppressed(r.run))")
            md.line()
        }
    }

    /// The "Other segments" section: how many there are and their customers and revenue together, then one row each
    /// with what sets it apart most.
    static func others(_ rest: [SegmentProfile], _ r: ProfileReport, into md: inout MarkdownText) {
        md.line("### Other segments")
        md.line()
        let customers = rest.reduce(0) { $0 + $1.count }
        var facts = "\(MarkdownText.count(rest.count)) smaller segments, \(MarkdownText.count(customers)) customers "
            + "(\(MarkdownText.percent(r.population.count > 0 ? Double(customers) / Double(r.population.count) : nil)))"
        if r.monetary != nil {
            let shares = rest.compactMap(\.revenueShare)
            // A suppressed segment's revenue is hidden; summing the others would understate the total: then "-".
            let total = shares.count == rest.count ? shares.reduce(0, +) : nil
            facts += "; \(MarkdownText.percent(total)) of revenue"
        }
        md.line(facts + ". Each has a row in the summary above; profiles.json and profiles.csv hold their statistics.")
        md.line()
        let dates = Set(r.numericColumns.filter { $0.type == .date }.map(\.name))
        var header = ["segment", "customers", "share"]
        if r.monetary != nil { header += ["revenue share"] }
        header += ["sets it apart most"]
        md.table(header, align: [.left] + Array(repeating: .right, count: header.count - 2) + [.left], rows: rest.map { p in
            var row = [p.label, MarkdownText.count(p.count), MarkdownText.percent(p.share)]
            if r.monetary != nil { row.append(MarkdownText.percent(p.revenueShare)) }
            return row + [p.drivers?.first.map { phrase($0, dates: dates) } ?? "-"]
        })
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
