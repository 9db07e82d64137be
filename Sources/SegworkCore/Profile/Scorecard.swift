import Foundation
import SegworkData

/// The attractiveness scorecard: for each segment its size, revenue, value per customer, average order value and
/// growth against the previous version, and one weighted score to rank segments by (docs/EXPORTS.md, "Scorecard").
///
/// Each metric with a weight is placed on a 0–100 scale across the segments (the smallest value 0, the largest 100,
/// linearly between; 50 for every segment when all are equal), and the score is the weighted mean of the scaled
/// metrics the segment has (a metric a segment lacks — no growth for a new segment, no revenue for a suppressed
/// one — is left out and the other weights count in full). The unassigned group and segments whose statistics are
/// suppressed (`min_group_size`) are not scored.
public struct Scorecard: Codable, Sendable, Equatable {
    /// The version growth is measured against (`v3`); nil for a definition's first version.
    public var previous: String?
    /// The orders column behind the average order value; nil when there is none.
    public var orders: String?
    /// The weights used, by metric (`size`, `revenue`, `value`, `aov`, `growth`).
    public var weights: [String: Double]
    /// One row per segment, in report order (the unassigned group is not included).
    public var segments: [SegmentScore]
    /// Segments of the previous version no customer is in now.
    public var vanished: [VanishedSegment]
    /// Over- and under-segmentation warnings.
    public var warnings: [SegmentWarning]
}

/// One segment's row of the scorecard. Statistics a suppressed segment hides (`min_group_size`) are nil.
public struct SegmentScore: Codable, Sendable, Equatable {
    /// The segment.
    public var label: String
    /// Customers.
    public var count: Int
    /// Share of all customers.
    public var share: Double?
    /// Revenue (the monetary column's sum); nil without a monetary column.
    public var revenue: Double?
    /// Share of all revenue.
    public var revenueShare: Double?
    /// Orders (the orders column's sum); nil without an orders column.
    public var orders: Double?
    /// Average order value: revenue / orders.
    public var aov: Double?
    /// Revenue per customer.
    public var valuePerCustomer: Double?
    /// Customers in the segment in the previous version; nil when it had none or there is none.
    public var previousCount: Int?
    /// (count − previousCount) / previousCount.
    public var growth: Double?
    /// (revenue − previous revenue) / previous revenue.
    public var revenueGrowth: Double?
    /// The weighted score, 0–100.
    public var score: Double?
    /// 1 for the best score; ties share the better rank. Nil without a score.
    public var rank: Int?

    /// Writes every key, undefined values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label); try c.encode(count, forKey: .count); try c.encode(share, forKey: .share)
        try c.encode(revenue, forKey: .revenue); try c.encode(revenueShare, forKey: .revenueShare)
        try c.encode(orders, forKey: .orders); try c.encode(aov, forKey: .aov)
        try c.encode(valuePerCustomer, forKey: .valuePerCustomer); try c.encode(previousCount, forKey: .previousCount)
        try c.encode(growth, forKey: .growth); try c.encode(revenueGrowth, forKey: .revenueGrowth)
        try c.encode(score, forKey: .score); try c.encode(rank, forKey: .rank)
    }
}

/// A segment of the previous version that no customer is in now.
public struct VanishedSegment: Codable, Sendable, Equatable {
    /// Its label.
    public var label: String
    /// Its customers then.
    public var previousCount: Int
}

/// An over- or under-segmentation warning.
public struct SegmentWarning: Codable, Sendable, Equatable {
    /// What kind: `small_segment`, `too_many_segments`, `dominant_segment` or `low_silhouette`.
    public var kind: String
    /// The segment it is about; nil for the segmentation as a whole.
    public var segment: String?
    /// What was found and what to do.
    public var message: String

    /// Creates a warning.
    public init(kind: String, segment: String?, message: String) {
        self.kind = kind; self.segment = segment; self.message = message
    }

    /// Writes every key, `segment` as `null` when not set.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind); try c.encode(segment, forKey: .segment); try c.encode(message, forKey: .message)
    }
}

extension Scorecard {
    /// The scorecard of `profiles`. `orders` is the orders column (its values summed per segment with
    /// `assignment`), `previous` the version growth is measured against.
    package static func make(_ profiles: ProfileSet, assignment: SegmentAssignment, orders: Column?,
                             previous: PriorVersion?, spec: ScorecardSpec) -> Scorecard {
        let sums = orders.map { orderSums($0, assignment) }
        let before = previous.map { Dictionary($0.report.segments.filter { !$0.unassigned }.map { ($0.label, $0) },
                                               uniquingKeysWith: { a, _ in a }) } ?? [:]
        var rows = profiles.segments.filter { !$0.unassigned && $0.count > 0 }.map { p -> SegmentScore in
            let hidden = p.suppressed == true
            let orderSum = hidden ? nil : assignment.labels.firstIndex(of: p.label).flatMap { sums?[$0] }
            let old = before[p.label]
            return SegmentScore(
                label: p.label, count: p.count, share: p.share, revenue: p.revenue, revenueShare: p.revenueShare,
                orders: ProfileMath.round(orderSum), aov: ProfileMath.round(ProfileMath.ratio(p.revenue, orderSum)),
                valuePerCustomer: ProfileMath.round(ProfileMath.ratio(p.revenue, p.revenue.map { _ in Double(p.count) })),
                previousCount: old.map(\.count), growth: ProfileMath.round(old.flatMap { growth(Double(p.count), Double($0.count)) }),
                revenueGrowth: ProfileMath.round(old.flatMap { o in p.revenue.flatMap { growth($0, o.revenue) } }),
                score: nil, rank: nil)
        }
        // A suppressed segment hides its money, so a score from what is left would rank it on another basis: none.
        let hidden = Set(profiles.segments.filter { $0.suppressed == true }.map(\.label))
        score(&rows, weights: spec.weights, skip: hidden)
        let now = Set(rows.map(\.label))
        let vanished = (previous?.report.segments ?? []).filter { !$0.unassigned && $0.count > 0 && !now.contains($0.label) }
            .map { VanishedSegment(label: $0.label, previousCount: $0.count) }
        return Scorecard(previous: previous?.reference.version, orders: orders?.name, weights: spec.weights,
                         segments: rows, vanished: vanished,
                         warnings: SegmentWarnings.find(profiles, spec: spec))
    }

    private static func growth(_ now: Double, _ then: Double?) -> Double? {
        guard let then, then != 0 else { return nil }
        return (now - then) / then
    }

    /// The orders column's sum per assignment code (missing and non-finite values add nothing).
    private static func orderSums(_ column: Column, _ assignment: SegmentAssignment) -> [Double] {
        var sums = [Double](repeating: 0, count: assignment.labels.count)
        for (i, code) in assignment.codes.enumerated() where code >= 0 {
            if let v = column.double(at: i), v.isFinite { sums[Int(code)] += v }
        }
        return sums
    }

    /// Fills in each row's score and rank (see ``Scorecard``).
    private static func score(_ rows: inout [SegmentScore], weights: [String: Double], skip: Set<String>) {
        let metrics: [(String, (SegmentScore) -> Double?)] = [
            ("size", { $0.share }), ("revenue", { $0.revenueShare }), ("value", { $0.valuePerCustomer }),
            ("aov", { $0.aov }), ("growth", { $0.growth })]
        var total = [Double](repeating: 0, count: rows.count)
        var weight = [Double](repeating: 0, count: rows.count)
        // Weights relative to the largest, so any finite weights (1e308 included) add up without overflow.
        let largest = weights.values.filter(\.isFinite).max() ?? 0
        guard largest > 0 else { return }
        for (name, value) in metrics {
            guard let given = weights[name], given > 0, given.isFinite else { continue }
            let w = given / largest
            let values = rows.map { skip.contains($0.label) ? nil : value($0) }
            let present = values.compactMap { $0 }
            guard let lo = present.min(), let hi = present.max() else { continue }
            for (i, v) in values.enumerated() {
                guard let v else { continue }
                total[i] += w * (hi > lo ? (v - lo) / (hi - lo) * 100 : 50)
                weight[i] += w
            }
        }
        for i in rows.indices where weight[i] > 0 { rows[i].score = ProfileMath.round(total[i] / weight[i]) }
        for i in rows.indices {
            guard let s = rows[i].score else { continue }
            rows[i].rank = 1 + rows.filter { ($0.score ?? -1) > s }.count
        }
    }
}
