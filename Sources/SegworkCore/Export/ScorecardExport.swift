import Foundation
import SegworkData

// The scorecard in the three profile formats: profiles.json carries `scorecard` as it is (ProfileReport), the
// Markdown gets a "Scorecard" section after the summary, and the tidy CSV gets rows with the column `(scorecard)`.

extension Scorecard {
    /// The statistics of `label`'s row as tidy CSV rows (numbers in `value`, text in `text`), and a `warning` row (its
    /// kind as text) per warning about it; none for a label without a row (the population, the unassigned group).
    func csvRows(for label: String, isPopulation: Bool) -> [(statistic: String, value: String, text: String)] {
        let warningRows = { (segment: String?) in
            warnings.filter { $0.segment == segment }.map { (statistic: "warning", value: "", text: $0.kind) }
        }
        if isPopulation {
            return [(statistic: "previous_version", value: "", text: previous.map(CSVText.text) ?? "")] + warningRows(nil)
        }
        var out: [(statistic: String, value: String, text: String)] = []
        if let s = segments.first(where: { $0.label == label }) {
            out = [("orders", CSVText.number(s.orders)), ("aov", CSVText.number(s.aov)),
                   ("value_per_customer", CSVText.number(s.valuePerCustomer)),
                   ("previous_count", s.previousCount.map(String.init) ?? ""), ("growth", CSVText.number(s.growth)),
                   ("revenue_growth", CSVText.number(s.revenueGrowth)), ("score", CSVText.number(s.score)),
                   ("rank", s.rank.map(String.init) ?? "")].map { (statistic: $0.0, value: $0.1, text: "") }
        }
        return out + warningRows(label)
    }

    /// The "Scorecard" section of profiles.md; the money columns only with a monetary column.
    func markdown(into md: inout MarkdownText, monetary: String?) {
        md.line("## Scorecard")
        md.line()
        let weights = ScorecardSpec.metrics.map { "\($0) \(formatDouble(self.weights[$0] ?? 0))" }.joined(separator: ", ")
        md.line("Score 0–100: each weighted metric scaled from the lowest segment (0) to the highest (100), then averaged with the weights \(md.escape(weights)). Growth is against \(md.escape(previous ?? "no earlier version")).")
        md.line()
        let money = monetary != nil
        var header = ["rank", "segment", "customers", "share"]
        if money { header += ["revenue share", "value per customer"] }
        if orders != nil { header += ["orders"] + (money ? ["avg order value"] : []) }
        header += ["growth", "score"]
        md.table(header, align: [.right, .left] + Array(repeating: .right, count: header.count - 2),
                 rows: segments.sorted { ($0.rank ?? .max, $0.count) < ($1.rank ?? .max, $1.count) }.map { s in
                     var row = [s.rank.map(String.init) ?? "-", s.label, MarkdownText.count(s.count), MarkdownText.percent(s.share)]
                     if money { row += [MarkdownText.percent(s.revenueShare), MarkdownText.money(s.valuePerCustomer)] }
                     if orders != nil { row += [MarkdownText.count(s.orders)] + (money ? [MarkdownText.money(s.aov)] : []) }
                     return row + [s.previousCount == nil ? (previous == nil ? "-" : "new") : Self.signedPercent(s.growth),
                                   MarkdownText.ratio(s.score)]
                 })
        if !vanished.isEmpty {
            md.line("Gone since \(md.escape(previous ?? "")): " + vanished.map { "\(md.escape($0.label)) (\(MarkdownText.count($0.previousCount)) customer\($0.previousCount == 1 ? "" : "s"))" }.joined(separator: ", "))
            md.line()
        }
        md.line("### Warnings")
        md.line()
        if warnings.isEmpty { md.line("_none_") }
        for w in warnings { md.line("- " + md.escape(w.message)) }
        md.line()
    }

    /// The run notes for the warnings: one line for all small segments, one per other warning.
    var notes: [String] {
        let small = warnings.filter { $0.kind == "small_segment" }
        var out = warnings.filter { $0.kind != "small_segment" }.map(\.message)
        if small.count > 1 {
            let list = segments.filter { s in small.contains { $0.segment == s.label } }.map { "'\($0.label)' (\($0.count))" }
            out.insert("\(small.count) segments are too small to act on or to profile reliably (see scorecard: min_size, min_share): \(list.joined(separator: ", ")); merge them into neighbouring segments, or lower the limits", at: 0)
        } else if let one = small.first {
            out.insert(one.message, at: 0)
        }
        return out
    }

    /// `+12.5%` / `-3.0%`, or `-` when undefined.
    static func signedPercent(_ d: Double?) -> String {
        guard let d else { return "-" }
        return (d > 0 ? "+" : "") + MarkdownText.percent(d)
    }
}
