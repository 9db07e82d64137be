import Foundation
import SegworkData

// The profile model. Every Double is already rounded to 12 significant digits (see `ProfileMath.round`)
// and is finite; an undefined statistic is nil and is written as JSON `null` (keys are never omitted).

/// The profile of one group of customers: a segment, the unassigned group, or the whole population.
public struct SegmentProfile: Codable, Sendable, Equatable {
    /// The segment label, `"(unassigned)"` for the unassigned group, `"(all)"` for the population.
    public var label: String
    /// True only for the unassigned group.
    public var unassigned: Bool
    /// Customers in the group.
    public var count: Int
    /// `count` / all customers; nil when there are no customers at all.
    public var share: Double?
    /// Sum of the monetary column over the group (missing values add nothing); nil when no monetary column is set.
    public var revenue: Double?
    /// `revenue` / total revenue; nil when no monetary column is set or the total is 0.
    public var revenueShare: Double?
    /// One entry per numeric column, in the order the options list them.
    public var numeric: [NumericSummary]
    /// One entry per categorical column, in the order the options list them.
    public var categorical: [CategoricalSummary]
    /// True when the group has fewer customers than the workspace's `min_group_size`: its revenue and every
    /// statistic are suppressed (see ``Suppression``). nil (and absent from JSON) otherwise.
    public var suppressed: Bool?
    /// What the segment's customers have in common, from the criteria's `descriptions` (docs/PLUGINS.md, "Labels");
    /// nil (and absent from JSON) when no criterion describes its label, and for the population and unassigned group.
    public var description: String?
    /// The columns and values that most set the group apart from all customers, largest standardized difference
    /// first (``SegmentDrivers``); nil (and absent from JSON) for the population, empty and suppressed groups, and in
    /// reports written before Segwork 0.4.0.
    public var drivers: [SegmentDriver]?

    /// Creates a profile.
    public init(label: String, unassigned: Bool, count: Int, share: Double?, revenue: Double?,
                revenueShare: Double?, numeric: [NumericSummary], categorical: [CategoricalSummary],
                suppressed: Bool? = nil) {
        self.label = label; self.unassigned = unassigned; self.count = count; self.share = share
        self.revenue = revenue; self.revenueShare = revenueShare
        self.numeric = numeric; self.categorical = categorical; self.suppressed = suppressed
    }

    /// The numeric summary of `column`, if it was profiled.
    public func numeric(_ column: String) -> NumericSummary? { numeric.first { $0.column == column } }

    /// The categorical summary of `column`, if it was profiled.
    public func categorical(_ column: String) -> CategoricalSummary? { categorical.first { $0.column == column } }

    /// Writes every key, undefined values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label); try c.encode(unassigned, forKey: .unassigned)
        try c.encode(count, forKey: .count); try c.encode(share, forKey: .share)
        try c.encode(revenue, forKey: .revenue); try c.encode(revenueShare, forKey: .revenueShare)
        try c.encode(numeric, forKey: .numeric); try c.encode(categorical, forKey: .categorical)
        try c.encodeIfPresent(suppressed, forKey: .suppressed)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(drivers, forKey: .drivers)
    }
}

/// Numeric statistics of one column within one group. Missing (and non-finite) values are left out;
/// quantiles are type 7 (linear interpolation, numpy's default). Dates are in days since 1970-01-01.
public struct NumericSummary: Codable, Sendable, Equatable {
    /// The column.
    public var column: String
    /// Customers in the group with a value.
    public var count: Int
    /// Customers in the group without a value.
    public var missing: Int
    /// Arithmetic mean; nil when `count` is 0.
    public var mean: Double?
    /// Median (type-7 quantile 0.5).
    public var median: Double?
    /// 25th percentile (type 7).
    public var p25: Double?
    /// 75th percentile (type 7).
    public var p75: Double?
    /// Smallest value.
    public var min: Double?
    /// Largest value.
    public var max: Double?
    /// Sample standard deviation (divisor n − 1, as pandas' `std()`); nil when `count` is below 2. In JSON since
    /// Segwork 0.4.0 (older reports decode with nil).
    public var sd: Double?
    /// Group mean / population mean × 100; nil when either mean is nil or the population mean is 0.
    /// Above 100: the group has more of this than customers overall.
    public var index: Double?
    /// True when the statistics are suppressed (computed over fewer than `min_group_size` customers); nil
    /// (and absent from JSON) otherwise.
    public var suppressed: Bool?

    /// Creates a summary.
    public init(column: String, count: Int, missing: Int, mean: Double?, median: Double?, p25: Double?,
                p75: Double?, min: Double?, max: Double?, index: Double?, sd: Double? = nil, suppressed: Bool? = nil) {
        self.column = column; self.count = count; self.missing = missing; self.mean = mean
        self.median = median; self.p25 = p25; self.p75 = p75; self.min = min; self.max = max; self.index = index
        self.sd = sd; self.suppressed = suppressed
    }

    /// Writes every key, undefined values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column); try c.encode(count, forKey: .count)
        try c.encode(missing, forKey: .missing); try c.encode(mean, forKey: .mean)
        try c.encode(median, forKey: .median); try c.encode(p25, forKey: .p25); try c.encode(p75, forKey: .p75)
        try c.encode(min, forKey: .min); try c.encode(max, forKey: .max); try c.encode(index, forKey: .index)
        try c.encode(sd, forKey: .sd)
        try c.encodeIfPresent(suppressed, forKey: .suppressed)
    }
}

/// The most frequent values of one column within one group. Shares are taken among **all** customers
/// of the group, so a missing value lowers every share; missing values are counted in `missing`
/// and never appear among the top values.
public struct CategoricalSummary: Codable, Sendable, Equatable {
    /// The column.
    public var column: String
    /// Customers in the group without a value.
    public var missing: Int
    /// `missing` / customers in the group; nil when the group is empty.
    public var missingShare: Double?
    /// Number of distinct (non-missing) values in the group.
    public var distinct: Int
    /// Up to `topN` values, by count descending, ties by value in byte order.
    public var top: [TopValue]
    /// True when every top value is suppressed (the group has fewer than `min_group_size` customers); nil (and
    /// absent from JSON) otherwise.
    public var suppressed: Bool?
    /// How many of the top values were left out because fewer than `min_group_size` customers hold them; nil
    /// (and absent from JSON) when none were.
    public var suppressedValues: Int?

    /// Creates a summary.
    public init(column: String, missing: Int, missingShare: Double?, distinct: Int, top: [TopValue],
                suppressed: Bool? = nil, suppressedValues: Int? = nil) {
        self.column = column; self.missing = missing; self.missingShare = missingShare
        self.distinct = distinct; self.top = top
        self.suppressed = suppressed; self.suppressedValues = suppressedValues
    }

    /// Writes every key, undefined values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column); try c.encode(missing, forKey: .missing)
        try c.encode(missingShare, forKey: .missingShare); try c.encode(distinct, forKey: .distinct)
        try c.encode(top, forKey: .top)
        try c.encodeIfPresent(suppressed, forKey: .suppressed)
        try c.encodeIfPresent(suppressedValues, forKey: .suppressedValues)
    }
}

/// One of a group's most frequent values.
public struct TopValue: Codable, Sendable, Equatable {
    /// The value as text (dates `YYYY-MM-DD`, booleans `true`/`false`).
    public var value: String
    /// Customers in the group with this value.
    public var count: Int
    /// `count` / customers in the group.
    public var share: Double?
    /// `share` / the value's share in the whole population. Above 1: over-represented in the group.
    public var lift: Double?

    /// Creates a top value.
    public init(value: String, count: Int, share: Double?, lift: Double?) {
        self.value = value; self.count = count; self.share = share; self.lift = lift
    }

    /// Writes every key, undefined values as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value); try c.encode(count, forKey: .count)
        try c.encode(share, forKey: .share); try c.encode(lift, forKey: .lift)
    }
}

/// A profiled column and its type (so readers know that date statistics are days).
public struct ProfiledColumn: Codable, Sendable, Equatable {
    /// Column name.
    public var name: String
    /// Column type.
    public var type: ColumnType

    /// Creates a description.
    public init(name: String, type: ColumnType) { self.name = name; self.type = type }
}

/// Everything ``Profiler/profiles(table:assignment:options:)`` computes: the population, the
/// segments in report order (the unassigned group last), and what was profiled.
public struct ProfileSet: Sendable, Equatable {
    /// The whole population, label `"(all)"`.
    public var population: SegmentProfile
    /// Segments by count descending, ties by label in byte order, then the unassigned group.
    public var segments: [SegmentProfile]
    /// The numeric columns, in option order.
    public var numericColumns: [ProfiledColumn]
    /// The categorical columns, in option order.
    public var categoricalColumns: [ProfiledColumn]
    /// The monetary column, if any.
    public var monetary: String?

    /// Creates a set.
    public init(population: SegmentProfile, segments: [SegmentProfile], numericColumns: [ProfiledColumn],
                categoricalColumns: [ProfiledColumn], monetary: String?) {
        self.population = population; self.segments = segments; self.numericColumns = numericColumns
        self.categoricalColumns = categoricalColumns; self.monetary = monetary
    }
}
