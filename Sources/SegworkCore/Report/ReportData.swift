import Foundation
import SegworkData

/// What `report.html` shows beyond `profiles.json`: the chart data a run computes from its rows (histograms,
/// categorical mix, the recency × frequency grid, the criterion × criterion counts) and from the store (segment
/// sizes across the chain of previous versions, the migration from the previous version).
///
/// Written as `report-data.json` beside the report (so analysts can restyle every chart) and kept in the store with
/// the version (`VersionStore.files(of:)`), so `seg export` and `seg report` rebuild the report byte for byte.
/// Everything in it is decided by the run id (docs/REPORTS.md, "Reproducible"): counts, sums rounded to 12
/// significant digits, and versions reached through `RunInfo.previous`, never a creation time.
public struct ReportData: Codable, Sendable, Equatable {
    /// The format version this code writes.
    public static let currentFormatVersion = 1

    /// Format version of this file (1).
    public var formatVersion: Int = ReportData.currentFormatVersion
    /// One histogram per numeric profile column, in profile order.
    public var histograms: [Histogram] = []
    /// One mix per categorical profile column, in profile order.
    public var categoricalMix: [CategoryMix] = []
    /// Customers and revenue by recency × frequency bin; nil without RFM features.
    public var rfmGrid: RFMGrid?
    /// Customers by the labels of the first two criteria; nil with fewer than two criteria.
    public var criteria: CriteriaMatrix?
    /// Segment sizes of the previous versions (oldest first, at most `HistoryPoint.limit`), then this run.
    public var history: [HistoryPoint] = []
    /// Customers moving from the previous version's segments to this run's; nil without a previous version.
    public var migration: Migration?
    /// The workspace's `privacy.min_group_size`, when set: every count of 1 to k − 1 customers (a bin, a cell, a flow)
    /// is written as 0 (and its revenue as 0), and a segment of fewer than k customers has no histogram or mix
    /// (`GroupCounts.suppressed`). nil otherwise.
    public var suppressedBelow: Int?

    /// Creates empty report data.
    public init() {}

    /// `report-data.json`: pretty-printed JSON with sorted keys and a trailing newline.
    public var json: Data { JSONOutput.file(self, what: "report data") }

    /// What is inconsistent in this data (arrays whose lengths do not match their axes, indices outside them), or
    /// nil when the report can be drawn from it. A file Segwork wrote is always consistent; stored bytes edited by
    /// hand may not be, and are then reported as damage instead of being drawn.
    public var inconsistency: String? {
        for h in histograms {
            if h.groups.isEmpty || h.groups.contains(where: { $0.counts.count != max(h.edges.count - 1, 0) }) {
                return "the histogram of '\(h.column)' has groups whose counts do not match its \(h.edges.count) edges"
            }
            if zip(h.edges, h.edges.dropFirst()).contains(where: { !($0 < $1) }) { return "the histogram of '\(h.column)' has edges out of order" }
        }
        for m in categoricalMix where m.groups.isEmpty || m.groups.contains(where: { $0.counts.count != m.values.count }) {
            return "the mix of '\(m.column)' has groups whose counts do not match its \(m.values.count) values"
        }
        if let g = rfmGrid, g.count.count != g.recency.count || g.count.contains(where: { $0.count != g.frequency.count })
            || (g.revenue.map { r in r.count != g.recency.count || r.contains { $0.count != g.frequency.count } } ?? false) {
            return "the recency × frequency grid does not match its axes"
        }
        if let c = criteria, c.criteria.count != 2 || c.counts.count != c.rows.count || c.counts.contains(where: { $0.count != c.columns.count }) {
            return "the criterion × criterion counts do not match their axes"
        }
        if let m = migration, m.cells.contains(where: { $0.count != 3 || $0[0] < 0 || $0[1] < 0 || $0[0] >= m.labels.count || $0[1] >= m.labels.count }) {
            return "a migration cell lies outside its \(m.labels.count) labels"
        }
        var counts: [Int] = histograms.flatMap { $0.groups.flatMap(\.counts) }
        counts += categoricalMix.flatMap { $0.groups.flatMap(\.counts) }
        counts += Array((rfmGrid?.count ?? []).joined())
        counts += Array((criteria?.counts ?? []).joined())
        counts += (migration?.cells ?? []).map { $0[2] }
        if counts.contains(where: { $0 < 0 }) { return "a count is negative" }
        return nil
    }

    /// Counts per group over shared bins.
    public struct Histogram: Codable, Sendable, Equatable {
        /// The column.
        public var column: String
        /// Its type (`integer`, `double` or `date`; date edges are days since 1970-01-01).
        public var type: ColumnType
        /// Bin edges, ascending, one more than the bins. Bin i holds edges[i] ≤ x < edges[i+1]; the last bin also
        /// holds its upper edge. Values below the first edge or above the last are counted in the end bins.
        public var edges: [Double]
        /// Values outside the edges that were counted in an end bin (the edges span the 1st to 99th percentile).
        public var clipped: Int
        /// The population `(all)` first, then the segments in report order (`(unassigned)` last).
        public var groups: [GroupCounts]
    }

    /// One group's counts, in the order of the axis they belong to.
    public struct GroupCounts: Codable, Sendable, Equatable {
        /// The group's label.
        public var label: String
        /// Customers per bin or per value.
        public var counts: [Int]
        /// Customers without a value.
        public var missing: Int
        /// True when the group has fewer than `suppressedBelow` customers: its counts are all 0. nil otherwise.
        public var suppressed: Bool?
    }

    /// The values of one categorical column per group.
    public struct CategoryMix: Codable, Sendable, Equatable {
        /// The column.
        public var column: String
        /// The population's most frequent values (at most `CategoryMix.limit`, by count then byte order), then
        /// `(other)` when more values exist.
        public var values: [String]
        /// The population first, then the segments in report order.
        public var groups: [GroupCounts]
        /// Values shown per column before the rest become `(other)`.
        public static let limit = 8
    }

    /// Customers and revenue by recency bin (rows) × frequency bin (columns).
    public struct RFMGrid: Codable, Sendable, Equatable {
        /// Where the bins come from: `scores` (the r_score and f_score columns) or `quantiles` (recency_days and
        /// frequency cut at their quintiles).
        public var source: String
        /// Row labels, most recent first.
        public var recency: [String]
        /// Column labels, least frequent first.
        public var frequency: [String]
        /// Customers per cell, `count[r][f]`.
        public var count: [[Int]]
        /// Revenue per cell (the monetary column's sum); nil without a monetary column.
        public var revenue: [[Double]]?
        /// Customers without recency or frequency (no orders).
        public var missing: Int
    }

    /// Customers by the labels of two criteria.
    public struct CriteriaMatrix: Codable, Sendable, Equatable {
        /// The two criteria (plugin names), rows then columns.
        public var criteria: [String]
        /// The first criterion's labels by customers, descending, then `(unassigned)` when some customers got none.
        public var rows: [String]
        /// The second criterion's labels, likewise.
        public var columns: [String]
        /// Customers per cell, `counts[r][c]`.
        public var counts: [[Int]]
    }

    /// The segment sizes of one version.
    public struct HistoryPoint: Codable, Sendable, Equatable {
        /// Its version id; nil for the run itself (its id is given when it is stored).
        public var version: String?
        /// Its run id.
        public var runID: String
        /// Its reference date.
        public var asOf: String
        /// Its customers.
        public var customers: Int
        /// Customers per segment, in that version's report order (`(unassigned)` last).
        public var segments: [LabelCount]
        /// Previous versions a report shows at most.
        public static let limit = 11
    }

    /// A label and a count.
    public struct LabelCount: Codable, Sendable, Equatable {
        /// The label.
        public var label: String
        /// Customers.
        public var count: Int
    }

    /// The migration matrix from the previous version (docs/DIFF.md), with its largest flows.
    public struct Migration: Codable, Sendable, Equatable {
        /// The previous version and its run id.
        public var previous: PreviousRun
        /// The axis: the previous version's segments, new ones, `(unassigned)`, `(absent)`.
        public var labels: [String]
        /// Non-empty cells as `[row, column, customers]`, by row then column.
        public var cells: [[Int]]
        /// Customers in both versions whose segment changed.
        public var moved: Int
        /// Customers in both versions whose segment did not change.
        public var stayed: Int
        /// Customers new in this run.
        public var entered: Int
        /// Customers of the previous version no longer in the population.
        public var left: Int
        /// The largest off-diagonal cells (at most `Migration.topFlows`), largest first, ties by axis position.
        public var flows: [Flow]
        /// Flows listed at most.
        public static let topFlows = 10
    }

    /// Customers moving from one segment to another.
    public struct Flow: Codable, Sendable, Equatable {
        /// The segment in the previous version.
        public var from: String
        /// The segment in this run.
        public var to: String
        /// Customers.
        public var count: Int
    }
}
