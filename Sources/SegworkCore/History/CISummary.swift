import Foundation
import LuaHost
import SegworkData

/// The JSON `seg run --ci` prints on stdout (or writes to `--summary FILE`): one object, keys sorted.
/// Shape (version 1): `{"formatVersion":1,"ok":bool,"status":0|1|2|3,"error":string|null,"runs":[…]}`, each run
/// `{"definition","version","runID","asOf","customers","exports","segments":[{"label","count","share"}],
/// "drift":number|null,"baseline":string|null,"unchanged":bool,"approved":bool,
/// "gates":[{"gate","segment","passed","actual","limit","message"}]}`. `drift` is measured against `baseline`.
public struct CISummary: Codable, Sendable {
    /// One definition's run.
    public struct Run: Codable, Sendable {
        /// Definition name.
        public var definition: String
        /// Stored version id (`v3`).
        public var version: String
        /// Run id.
        public var runID: String
        /// Reference date.
        public var asOf: String
        /// Customers.
        public var customers: Int
        /// Export folder, relative to the current directory when inside it.
        public var exports: String
        /// Segment sizes (the unassigned group included).
        public var segments: [Segment]
        /// Share of customers (in both) who changed segment since the baseline (nil without one).
        public var drift: Double?
        /// Every gate's result.
        public var gates: [GateResult]
        /// The version drift was measured against (the latest earlier one that passed its gates or was approved).
        public var baseline: String? = nil
        /// True when the run repeated the latest version (same run id): no new version was stored.
        public var unchanged = false
        /// True when the version was approved (`seg approve`): failed gates are accepted.
        public var approved = false
    }

    /// A segment's size.
    public struct Segment: Codable, Sendable {
        /// Label.
        public var label: String
        /// Customers.
        public var count: Int
        /// Share of all customers.
        public var share: Double?
    }

    /// 1.
    public var formatVersion = 1
    /// True when the status is 0.
    public var ok: Bool
    /// The exit status.
    public var status: Int32
    /// The error message when the run failed.
    public var error: String?
    /// The runs that completed.
    public var runs: [Run]

    /// Creates a summary.
    public init(status: Int32, error: String?, runs: [Run]) {
        // CI jobs print this field (`jq -r .error`): it goes through the terminal sanitiser like stderr does, so
        // decoding the JSON cannot bring back escape sequences or a `::error::` line from data or plugins.
        self.ok = status == 0; self.status = status; self.runs = runs
        self.error = error.map { TerminalText.escaped($0, limit: Int.max) }
    }

    /// Pretty JSON with sorted keys and a trailing newline.
    public func json() -> Data {
        JSONOutput.file(self, what: "CI summary")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion); try c.encode(ok, forKey: .ok)
        try c.encode(status, forKey: .status); try c.encode(error, forKey: .error); try c.encode(runs, forKey: .runs)
    }
}

extension CISummary.Run {
    /// The summary of a stored run.
    public init(version: VersionRecord, report: ProfileReport, exports: String, drift: Double?, gates: [GateResult],
                baseline: String? = nil, unchanged: Bool = false, approved: Bool = false) {
        self.init(definition: version.definition, version: version.id, runID: version.runID, asOf: version.asOf,
                  customers: version.customers, exports: exports,
                  segments: report.segments.map { CISummary.Segment(label: $0.label, count: $0.count, share: $0.share) },
                  drift: drift, gates: gates, baseline: baseline, unchanged: unchanged, approved: approved)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(definition, forKey: .definition); try c.encode(version, forKey: .version)
        try c.encode(runID, forKey: .runID); try c.encode(asOf, forKey: .asOf); try c.encode(customers, forKey: .customers)
        try c.encode(exports, forKey: .exports); try c.encode(segments, forKey: .segments)
        try c.encode(drift, forKey: .drift); try c.encode(gates, forKey: .gates)
        try c.encode(baseline, forKey: .baseline); try c.encode(unchanged, forKey: .unchanged)
        try c.encode(approved, forKey: .approved)
    }
}
