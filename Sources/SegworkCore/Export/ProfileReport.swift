import Foundation
import LuaHost
import SegworkData

/// The content of the profile exports (`profiles.json`, `profiles.csv`, `profiles.md`), format version 2 (docs/EXPORTS.md).
public struct ProfileReport: Codable, Sendable, Equatable {
    /// The export format version this code writes.
    public static let currentFormatVersion = 2

    /// Format version of this report (2; 1 before Segwork 0.4.0).
    public var formatVersion: Int
    /// The run.
    public var run: RunInfo
    /// The whole population, label `"(all)"`.
    public var population: SegmentProfile
    /// Segments by count descending, ties by label in byte order, then `"(unassigned)"`.
    public var segments: [SegmentProfile]
    /// The numeric columns profiled, in order.
    public var numericColumns: [ProfiledColumn]
    /// The categorical columns profiled, in order.
    public var categoricalColumns: [ProfiledColumn]
    /// The monetary column, if any.
    public var monetary: String?
    /// What `features.clusters` found (docs/CLUSTERING.md); absent when the definition does not cluster.
    public var clusters: ClusterReport?
    /// The attractiveness scorecard and segmentation warnings; nil in versions recorded before Segwork 0.3.0.
    public var scorecard: Scorecard?

    /// Creates a report.
    public init(formatVersion: Int = ProfileReport.currentFormatVersion, run: RunInfo,
                population: SegmentProfile, segments: [SegmentProfile], numericColumns: [ProfiledColumn],
                categoricalColumns: [ProfiledColumn], monetary: String?) {
        self.formatVersion = formatVersion; self.run = run; self.population = population
        self.segments = segments; self.numericColumns = numericColumns
        self.categoricalColumns = categoricalColumns; self.monetary = monetary
    }

    /// A report of `profiles` for `run`.
    public init(run: RunInfo, profiles: ProfileSet) {
        self.init(run: run, population: profiles.population, segments: profiles.segments,
                  numericColumns: profiles.numericColumns, categoricalColumns: profiles.categoricalColumns,
                  monetary: profiles.monetary)
    }

    /// Writes every key, `monetary` as `null` when not set.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion); try c.encode(run, forKey: .run)
        try c.encode(population, forKey: .population); try c.encode(segments, forKey: .segments)
        try c.encode(numericColumns, forKey: .numericColumns)
        try c.encode(categoricalColumns, forKey: .categoricalColumns)
        try c.encode(monetary, forKey: .monetary)
        try c.encodeIfPresent(clusters, forKey: .clusters)
        try c.encodeIfPresent(scorecard, forKey: .scorecard)
    }
}
