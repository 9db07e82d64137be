import Foundation
import SegworkData

/// One of the things that most set a group apart from all customers (docs/EXPORTS.md, "Drivers"): a numeric column
/// whose mean differs, or a top value the group holds more often, measured as a standardized difference.
public struct SegmentDriver: Codable, Sendable, Equatable {
    /// The column.
    public var column: String
    /// For a categorical driver, the value; nil (and absent from JSON) for a numeric one.
    public var value: String?
    /// `numeric` or `categorical`.
    public var kind: String
    /// The standardized difference: numeric (segment mean − population mean) / population sd; categorical
    /// (p_seg − p_pop) / √(p_pop (1 − p_pop)) with the value's shares. Positive: the group has more of it.
    public var difference: Double
    /// Numeric: the group's mean; categorical: the value's share in the group.
    public var segmentValue: Double
    /// Numeric: the population's mean; categorical: the value's share among all customers.
    public var populationValue: Double

    /// Creates a driver.
    public init(column: String, value: String?, kind: String, difference: Double, segmentValue: Double,
                populationValue: Double) {
        self.column = column; self.value = value; self.kind = kind; self.difference = difference
        self.segmentValue = segmentValue; self.populationValue = populationValue
    }

    /// Writes every key, `value` only for a categorical driver.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column); try c.encodeIfPresent(value, forKey: .value)
        try c.encode(kind, forKey: .kind); try c.encode(difference, forKey: .difference)
        try c.encode(segmentValue, forKey: .segmentValue); try c.encode(populationValue, forKey: .populationValue)
    }
}

/// Finds each group's drivers from its profile and the population's (docs/EXPORTS.md, "Drivers").
enum SegmentDrivers {
    /// Drivers kept per group: the largest |difference| first.
    static let count = 3

    /// `set` with `drivers` filled in for every segment and the unassigned group that has customers and is not
    /// suppressed; the population and suppressed or empty groups get none (nil).
    static func attach(_ set: ProfileSet) -> ProfileSet {
        var out = set
        out.population.drivers = nil
        out.segments = set.segments.map { p in
            var p = p
            p.drivers = p.count == 0 || p.suppressed == true ? nil : drivers(of: p, population: set.population)
            return p
        }
        return out
    }

    /// The `count` largest standardized differences of `p` against `population`: every numeric column with both
    /// means and a population sd above 0, and every top value of `p` with a population share strictly between 0 and
    /// 1 (the population's listed share, else its share / lift to 10 significant digits). Differences of exactly 0 set nothing apart and are left out. Ties: numeric before
    /// categorical, then column and value in byte order.
    static func drivers(of p: SegmentProfile, population: SegmentProfile) -> [SegmentDriver] {
        var found: [SegmentDriver] = []
        for s in p.numeric where s.suppressed != true {
            guard let mean = s.mean, let all = population.numeric(s.column), let popMean = all.mean,
                  let sd = all.sd, sd > 0, let d = ProfileMath.round((mean - popMean) / sd), d != 0 else { continue }
            found.append(SegmentDriver(column: s.column, value: nil, kind: "numeric", difference: d,
                                       segmentValue: mean, populationValue: popMean))
        }
        for s in p.categorical where s.suppressed != true {
            for t in s.top {
                // The population's own share when it lists the value; else share / lift, whose last digits are the
                // noise of two rounded numbers (0.0974999999998 for 0.0975): 10 significant digits drop it.
                let listed = population.categorical(s.column)?.top.first { $0.value == t.value }?.share
                guard let share = t.share, let lift = t.lift, lift > 0,
                      let popShare = listed ?? ProfileMath.round(share / lift, significant: 10), popShare > 0, popShare < 1,
                      let d = ProfileMath.round((share - popShare) / (popShare * (1 - popShare)).squareRoot()),
                      d != 0 else { continue }
                found.append(SegmentDriver(column: s.column, value: t.value, kind: "categorical", difference: d,
                                           segmentValue: share, populationValue: popShare))
            }
        }
        found.sort { a, b in
            if abs(a.difference) != abs(b.difference) { return abs(a.difference) > abs(b.difference) }
            if a.kind != b.kind { return a.kind == "numeric" }
            if a.column != b.column { return ByteOrder.less(a.column, b.column) }
            return ByteOrder.less(a.value ?? "", b.value ?? "")
        }
        return Array(found.prefix(count))
    }
}
