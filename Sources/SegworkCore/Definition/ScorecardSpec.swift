import Yams

/// How a definition judges its segments (`scorecard:`): the attractiveness scorecard's weights and the limits of
/// the over- and under-segmentation warnings. Every field has a default, so a definition without `scorecard:`
/// still gets a scorecard (docs/DEFINITIONS.md, "Scorecard").
public struct ScorecardSpec: Sendable, Equatable {
    /// The metrics a weight may be given to, in report order.
    public static let metrics = ["size", "revenue", "value", "aov", "growth"]

    /// Column with each customer's number of orders, for the average order value; nil uses `frequency` when the
    /// RFM feature is on, else the scorecard has no order value.
    public var orders: String?
    /// Weight per metric (`size`: share of customers, `revenue`: share of revenue, `value`: revenue per customer,
    /// `aov`: average order value, `growth`: customers against the previous version). Default 1 each.
    public var weights: [String: Double] = Dictionary(uniqueKeysWithValues: metrics.map { ($0, 1.0) })
    /// A segment with fewer customers than this is flagged as too small. Default 30.
    public var minSize = 30
    /// A segment with a smaller share of customers than this is flagged as too small. Default 0.01.
    public var minShare = 0.01
    /// A segment holding a larger share of customers than this is flagged as dominant. Default 0.5.
    public var maxShare = 0.5

    /// The defaults.
    public init() {}
}

extension Definition {
    /// Every key of `scorecard:`.
    package static let scorecardKeys = ["orders", "weights", "min_size", "min_share", "max_share"]

    static func parseScorecard(_ node: Node, _ y: YAMLFields, lines: inout [String: Int]) throws -> ScorecardSpec {
        var s = ScorecardSpec()
        for (k, v) in try y.mapping(node, "scorecard", known: scorecardKeys) {
            let path = "scorecard.\(k)"
            lines[path] = v.mark?.line
            switch k {
            case "orders": s.orders = try y.string(v, path)
            case "weights":
                for (metric, w) in try y.mapping(v, path, known: ScorecardSpec.metrics) {
                    let weight = try y.double(w, "\(path).\(metric)")
                    guard weight >= 0, weight.isFinite else { throw y.error(w, "'\(path).\(metric)' must be a number 0 or more (got \(weight))") }
                    s.weights[metric] = weight
                }
                if !ScorecardSpec.metrics.contains(where: { (s.weights[$0] ?? 0) > 0 }) {
                    throw y.error(v, "'\(path)' gives every metric weight 0; give at least one a weight above 0")
                }
            case "min_size":
                s.minSize = try y.int(v, path)
                guard s.minSize >= 1 else { throw y.error(v, "'\(path)' must be 1 or more (got \(s.minSize))") }
            case "min_share", "max_share":
                let share = try y.double(v, path)
                guard share > 0, share <= 1 else { throw y.error(v, "'\(path)' must be a share above 0 and at most 1 (got \(share))") }
                if k == "min_share" { s.minShare = share } else { s.maxShare = share }
            default: break
            }
        }
        return s
    }

    /// `membership:` — extra columns for membership.csv: `membership: { columns: [recency_days, frequency] }`.
    static func parseMembership(_ node: Node, _ y: YAMLFields, lines: inout [String: Int]) throws -> [String] {
        var columns: [String] = []
        for (k, v) in try y.mapping(node, "membership", known: ["columns"]) {
            columns = try y.strings(v, "membership.\(k)")
            lines["membership.columns"] = v.mark?.line
            for (i, item) in (v.sequence.map(Array.init) ?? []).enumerated() { lines["membership.columns[\(i)]"] = item.mark?.line }
        }
        if let twice = columns.enumerated().first(where: { i, c in columns[..<i].contains(c) })?.element {
            throw DefinitionError(file: y.file, line: lines["membership.columns"], "membership.columns lists '\(twice)' twice")
        }
        return columns
    }
}
