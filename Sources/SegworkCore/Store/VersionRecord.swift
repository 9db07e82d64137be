import Foundation
import SegworkData

/// One immutable segment version: everything a `seg run` of one definition produced and everything needed to
/// reproduce it. Stored in the workspace's version store (`.seg/store.sqlite`).
public struct VersionRecord: Sendable, Equatable {
    /// Sequential number within the workspace (1, 2, …); never reused.
    public var number: Int
    /// `v<number>`, what users type.
    public var id: String { "v\(number)" }
    /// When the version was stored, ISO 8601 UTC with seconds (`2026-11-25T17:09:00Z`).
    public var createdAt: String
    /// Definition name.
    public var definition: String
    /// The definition file's exact text.
    public var definitionText: String
    /// SHA-256 of `definitionText`.
    public var definitionSHA256: String
    /// The run id (hash of everything that decides the output; equal run ids mean equal outputs).
    public var runID: String
    /// Reference date, `YYYY-MM-DD`.
    public var asOf: String
    /// Segwork version that made it.
    public var segworkVersion: String
    /// `math.random` seed the plugins got.
    public var seed: Int64
    /// The frozen clock the plugins saw (`os.time()`), seconds since 1970.
    public var frozenTime: Int64
    /// Datasets read (name, file, sha256, rows).
    public var inputs: [InputInfo]
    /// Plugins used (name, kind, version, file, sha256, params after prepare).
    public var plugins: [PluginInfo]
    /// Customers in the population.
    public var customers: Int
    /// Segments with at least one customer (the unassigned group not counted).
    public var segments: Int
    /// Exactly the bytes of `profiles.json` of this run.
    public var profilesJSON: Data
    /// Exactly the bytes of `membership.csv` of this run (id, segment, scores).
    public var membershipCSV: Data

    /// Creates a record.
    public init(number: Int, createdAt: String, definition: String, definitionText: String, definitionSHA256: String,
                runID: String, asOf: String, segworkVersion: String, seed: Int64, frozenTime: Int64,
                inputs: [InputInfo], plugins: [PluginInfo], customers: Int, segments: Int,
                profilesJSON: Data, membershipCSV: Data) {
        self.number = number; self.createdAt = createdAt; self.definition = definition
        self.definitionText = definitionText; self.definitionSHA256 = definitionSHA256; self.runID = runID
        self.asOf = asOf; self.segworkVersion = segworkVersion; self.seed = seed; self.frozenTime = frozenTime
        self.inputs = inputs; self.plugins = plugins; self.customers = customers; self.segments = segments
        self.profilesJSON = profilesJSON; self.membershipCSV = membershipCSV
    }
}
