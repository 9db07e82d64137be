import Foundation
import SegworkData

/// One imported version of a dataset: a content-addressed snapshot of a file's bytes at import time.
public struct DatasetVersion: Sendable, Equatable {
    /// The dataset's name (as given to `seg import`).
    public var name: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The original path as given at import.
    public var file: String
    /// Where the snapshot lives, relative to `.seg/` (`datasets/<sha256>.csv`).
    public var snapshot: String
    /// Data rows when the file could be read as CSV/TSV/JSON Lines; nil otherwise (a source plugin may read it).
    public var rows: Int?
    /// Size in bytes.
    public var bytes: Int
    /// Column names (CSV header or JSON Lines keys, in file order); empty when the file could not be read as data.
    public var columns: [String]
    /// When it was imported, ISO 8601 UTC (`2026-11-25T17:09:00Z`).
    public var importedAt: String

    /// Creates a dataset version.
    public init(name: String, sha256: String, file: String, snapshot: String, rows: Int?, bytes: Int,
                columns: [String], importedAt: String) {
        self.name = name; self.sha256 = sha256; self.file = file; self.snapshot = snapshot
        self.rows = rows; self.bytes = bytes; self.columns = columns; self.importedAt = importedAt
    }
}

/// A version without its two blobs (`profiles.json`, `membership.csv`): what listings need, read without loading
/// or hashing the blobs. Its metadata is still checked against the stored record checksum.
public struct VersionSummary: Sendable, Equatable {
    /// Sequential number.
    public var number: Int
    /// `v<number>`.
    public var id: String { "v\(number)" }
    /// When the version was stored (ISO 8601 UTC).
    public var createdAt: String
    /// Definition name.
    public var definition: String
    /// SHA-256 of the definition text.
    public var definitionSHA256: String
    /// The run id.
    public var runID: String
    /// Reference date.
    public var asOf: String
    /// Segwork version that made it.
    public var segworkVersion: String
    /// Datasets read.
    public var inputs: [InputInfo]
    /// Plugins used.
    public var plugins: [PluginInfo]
    /// Customers in the population.
    public var customers: Int
    /// Non-empty segments.
    public var segments: Int
    /// SHA-256 of `profiles.json`.
    public var profilesSHA256: String
    /// SHA-256 of `membership.csv`.
    public var membershipSHA256: String
}

/// What `VersionStore.verifyIntegrity()` looked at (it throws at the first problem, so a report means all is well).
public struct IntegrityReport: Sendable, Equatable {
    /// Versions whose blobs and metadata matched their checksums.
    public var versions: Int
    /// Dataset versions checked.
    public var datasets: Int
    /// Snapshot files present and hashing to their names' SHA-256.
    public var snapshots: Int
    /// Stored plugin sources hashing right.
    public var pluginSources: Int
}

extension VersionRecord {
    /// SHA-256 of `profilesJSON`, as stored with the version.
    public var profilesSHA256: String { SHA256.hex(profilesJSON) }
    /// SHA-256 of `membershipCSV`, as stored with the version.
    public var membershipSHA256: String { SHA256.hex(membershipCSV) }
}
