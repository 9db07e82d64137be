import Foundation
import SegworkData

// The scorecard in the three profile formats: profiles.json carries `scorecard` as it is (ProfileReport), the
// Markdown gets a "Scorecard" section after the summary, and the tidy CSV gets rows with the column `(scorecard)`.

extension Scorecard {
    /// The statistics of `label`'s row as tidy CSV `(statistic, value)` pairs, and a `warning` pair per warning about
    /// it; none for a label without a row (the population, the unassigned group).
    func csvPairs(for label: String, isPopulation: Bool) -> [(String, String)] {
        if isPopulation {
            return [("previous_version", previous.map(CSVText.text) ?? "")] + warnings.filter { $0.segment == nil }.map { ("warning", $0.kind) }
        }
        var out: [(String, String)] = []
        if let s = segments.first(where: { $0.label == label }) {
            out = [("orders", CSVText.number(s.orders)), ("aov", CSVText.number(s.aov)),
                   ("value_per_customer", CSVText.number(s.valuePerCustomer)),
                   ("previous_count", s.previousCount.map(String.init) ?? ""), ("growth", CSVText.number(s.growth)),
                   ("revenue_growth", CSVText.number(s.revenueGrowth)), ("score", CSVText.number(s.score)),
                   ("rank", s.rank.map(String.init) ?? "")]
        }
        return out + warnings.filter { $0.segment == label }.map { ("warning", $0.kind) }
    }

    /// The "Scorecard" section of profiles.md.
    func markdown(into md: inout MarkdownText) {
        md.line("## Scorecard")
        md.line()
        let weights = ScorecardSpec.metrics.map { "\($0) \(formatDouble(self.weights[$0] ?? 0))" }.joined(separator: ", ")
        md.line("Score 0–100: each weighted metric scaled from the lowest segment (0) to the highest (100), then averaged with the weights \(md.escape(weights)). Growth is against \(md.escape(previous ?? "no earlier version")).")
        md.line()
        md.table(["rank", "segment", "customers", "share", "revenue share", "value per customer", "orders", "avg order value", "growth", "score"],
                 align: [.right, .left] + Array(repeating: .right, count: 8),
                 rows: segments.sorted { ($0.rank ?? .max, $0.count) < ($1.rank ?? .max, $1.count) }.map { s in
                     [s.rank.map(String.init) ?? "-", s.label, String(s.count), MarkdownText.percent(s.share),
                      MarkdownText.percent(s.revenueShare), MarkdownText.money(s.valuePerCustomer),
                      MarkdownText.statistic(s.orders, date: false), MarkdownText.money(s.aov),
                      s.previousCount == nil ? (previous == nil ? "-" : "new") : Self.signedPercent(s.growth),
                      MarkdownText.fixed(s.score, decimals: 1)]
                 })
        if !vanished.isEmpty {
            md.line("Gone since \(md.escape(previous ?? "")): " + vanished.map { "\(md.escape($0.label)) (\($0.previousCount) customers)" }.joined(separator: ", "))
            md.line()
        }
        md.line("### Warnings")
        md.line()
        if warnings.isEmpty { md.line("_none_") }
        for w in warnings { md.line("- " + md.escape(w.message)) }
        md.line()
    }

    /// `+12.5%` / `-3.0%`, or `-` when undefined.
    static func signedPercent(_ d: Double?) -> String {
        guard let d else { return "-" }
        return (d > 0 ? "+" : "") + MarkdownText.percent(d)
    }
}
