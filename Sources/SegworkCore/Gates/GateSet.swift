import Yams
import SegworkData

/// The `gates:` section of a definition: checks every run must pass, evaluated after each run and by
/// `seg check` (see docs/GATES.md). Parsed by ``parse(_:_:)``; evaluated by ``GateEvaluator``.
public struct GateSet: Sendable, Equatable {
    /// The gates in the order the definition declares them (results come out in this order).
    public var gates: [Gate]

    /// Creates a gate set.
    public init(gates: [Gate] = []) { self.gates = gates }

    /// True when the definition declares no gate (`gates: {}` or an empty `gates:`).
    public var isEmpty: Bool { gates.isEmpty }

    /// The `max_drift` limit, if declared: callers compute drift against the previous version only when this is set.
    public var maxDrift: Double? {
        for case .maxDrift(let d) in gates { return d }
        return nil
    }
}

/// One declared gate. Sizes are customer counts; shares are fractions of all customers (0.01 = 1%).
public enum Gate: Sendable, Equatable {
    /// `min_segment_size`: every segment with customers (the unassigned group excluded) has at least this many.
    case minSegmentSize(Int)
    /// `max_segment_size`: every segment has at most this many customers.
    case maxSegmentSize(Int)
    /// `min_segment_share`: every segment with customers holds at least this share of all customers.
    case minSegmentShare(Double)
    /// `max_segment_share`: every segment holds at most this share of all customers.
    case maxSegmentShare(Double)
    /// `max_segments`: at most this many segments have customers (over-segmentation).
    case maxSegments(Int)
    /// `required_segments`: these segments exist and have customers.
    case requiredSegments([String])
    /// `max_unassigned_share`: at most this share of customers is unassigned.
    case maxUnassignedShare(Double)
    /// `max_drift`: at most this share of the customers present in both versions changed segment since the
    /// previous version of the definition.
    case maxDrift(Double)
    /// `segments`: per-segment limits that replace the global size and share limits for those segments.
    case segments([SegmentLimits])
    /// `profile`: bounds on profile statistics.
    case profile([ProfileBound])

    /// The key the gate has in the definition (`min_segment_size`, …).
    public var key: String {
        switch self {
        case .minSegmentSize: return "min_segment_size"
        case .maxSegmentSize: return "max_segment_size"
        case .minSegmentShare: return "min_segment_share"
        case .maxSegmentShare: return "max_segment_share"
        case .maxSegments: return "max_segments"
        case .requiredSegments: return "required_segments"
        case .maxUnassignedShare: return "max_unassigned_share"
        case .maxDrift: return "max_drift"
        case .segments: return "segments"
        case .profile: return "profile"
        }
    }
}

/// Size and share limits for one named segment (`gates.segments.<name>`). Each limit that is set replaces the
/// corresponding global gate (`min_size` replaces `min_segment_size`, …) for this segment only.
public struct SegmentLimits: Sendable, Equatable {
    /// The segment label.
    public var segment: String
    /// Minimum customers.
    public var minSize: Int?
    /// Maximum customers.
    public var maxSize: Int?
    /// Minimum share of all customers (fraction).
    public var minShare: Double?
    /// Maximum share of all customers (fraction).
    public var maxShare: Double?

    /// Creates limits.
    public init(segment: String, minSize: Int? = nil, maxSize: Int? = nil, minShare: Double? = nil,
                maxShare: Double? = nil) {
        self.segment = segment; self.minSize = minSize; self.maxSize = maxSize
        self.minShare = minShare; self.maxShare = maxShare
    }
}

/// A bound on one profile statistic (`gates.profile[i]`): the value must be within `min...max`
/// (either end may be open).
public struct ProfileBound: Sendable, Equatable {
    /// The segment label; `"*"` means every segment with customers (the unassigned group excluded);
    /// `"(unassigned)"` and `"(all)"` name the unassigned group and the whole population.
    public var segment: String
    /// The numeric column, for column statistics; nil for segment statistics.
    public var column: String?
    /// The statistic.
    public var statistic: ProfileStatistic
    /// Lower bound (inclusive).
    public var min: Double?
    /// Upper bound (inclusive).
    public var max: Double?

    /// The `segment` value that means every segment.
    public static let everySegment = "*"

    /// Creates a bound.
    public init(segment: String, column: String?, statistic: ProfileStatistic, min: Double?, max: Double?) {
        self.segment = segment; self.column = column; self.statistic = statistic; self.min = min; self.max = max
    }
}

/// A statistic a profile gate can bound (see docs/EXPORTS.md for their meaning).
public enum ProfileStatistic: String, Sendable, Equatable, CaseIterable {
    /// Mean of a numeric column.
    case mean
    /// Median of a numeric column.
    case median
    /// 25th percentile of a numeric column.
    case p25
    /// 75th percentile of a numeric column.
    case p75
    /// Smallest value of a numeric column.
    case min
    /// Largest value of a numeric column.
    case max
    /// Customers without a value in a column (numeric or categorical).
    case missing
    /// Segment mean / population mean × 100 of a numeric column.
    case index
    /// Customers in the segment.
    case count
    /// The segment's share of all customers (fraction).
    case share
    /// The segment's revenue (sum of the monetary column).
    case revenue
    /// The segment's share of all revenue (fraction).
    case revenueShare = "revenue_share"

    /// True for statistics of a column (`column:` required); false for statistics of the whole segment
    /// (`column:` must be omitted).
    public var needsColumn: Bool {
        switch self {
        case .count, .share, .revenue, .revenueShare: return false
        default: return true
        }
    }

    /// True for fractions (`share`, `revenue_share`): shown as percentages, bounds may be written as `"5%"`.
    public var isShare: Bool { self == .share || self == .revenueShare }
}
