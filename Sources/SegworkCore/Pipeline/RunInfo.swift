import Foundation
import LuaHost
import SegworkData

/// What the exports say about the run that produced them: enough to tell versions apart and to
/// reproduce them (definition, reference date, input and plugin hashes, parameters, tool version).
public struct RunInfo: Codable, Sendable, Equatable {
    /// The segmentation definition's name.
    public var definition: String
    /// The run (version) id.
    public var runID: String
    /// The reference date, `YYYY-MM-DD`.
    public var asOf: String
    /// The Segwork version that ran it.
    public var segworkVersion: String
    /// The datasets read, in the order the definition lists them.
    public var inputs: [InputInfo]
    /// The plugins used, in the order the definition lists them.
    public var plugins: [PluginInfo]
    /// How several criteria make one label: `"cross"` or `"first_match"`.
    public var combine: String
    /// Customers in the run.
    public var customers: Int
    /// What the run did for privacy (pii columns, hashed ids, suppression); nil, and absent from JSON, when it
    /// used none of it.
    public var privacy: PrivacyInfo?
    /// The hash of what the run read and ran (definition, datasets, plugins, reference date) without `previous`;
    /// nil in versions recorded before Segwork 0.3.0. Runs with the same `inputsID` compare with the same version.
    public var inputsID: String?
    /// The stored version this run compares with (the scorecard's growth, stable cluster ids), chosen by
    /// ``History`` (docs/STORE.md, "The previous version"); nil, and absent from JSON, for none.
    public var previous: PreviousRun?

    /// Creates run information.
    public init(definition: String, runID: String, asOf: String, segworkVersion: String,
                inputs: [InputInfo], plugins: [PluginInfo], combine: String, customers: Int,
                privacy: PrivacyInfo? = nil) {
        self.definition = definition; self.runID = runID; self.asOf = asOf
        self.segworkVersion = segworkVersion; self.inputs = inputs; self.plugins = plugins
        self.combine = combine; self.customers = customers; self.privacy = privacy
    }
}

/// The version a run compares itself with.
public struct PreviousRun: Codable, Sendable, Equatable {
    /// Its version id (`v3`).
    public var version: String
    /// Its run id.
    public var runID: String

    /// Creates a reference.
    public init(version: String, runID: String) { self.version = version; self.runID = runID }
}

/// One input dataset of a run.
public struct InputInfo: Codable, Sendable, Equatable {
    /// Dataset name.
    public var name: String
    /// The file it was read from (workspace-relative).
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// Rows read.
    public var rows: Int
    /// For a dataset a source plugin made (`file` is `plugin:<name>`, `sha256` the fingerprint of what it emitted):
    /// the files it read with `src:lines`, with their hashes, so a change to one can be named. Nil otherwise.
    public var reads: [FileRead]?
    /// For a PostgreSQL dataset (`file` is `postgres:<table or query>`, `sha256` the digest of the rows read, as
    /// CSV): the SQL that ran and the column types. Nil otherwise.
    public var postgres: PostgresInput?

    /// Creates input information.
    public init(name: String, file: String, sha256: String, rows: Int, reads: [FileRead]? = nil) {
        self.name = name; self.file = file; self.sha256 = sha256; self.rows = rows; self.reads = reads
    }
}

/// A file a source plugin read.
public struct FileRead: Codable, Sendable, Equatable {
    /// Its path inside the workspace, as the plugin gave it to `src:lines`.
    public var file: String
    /// SHA-256 of its bytes when the run read it, lowercase hex.
    public var sha256: String

    /// Creates a record of a file read.
    public init(file: String, sha256: String) { self.file = file; self.sha256 = sha256 }
}

/// One plugin used by a run.
public struct PluginInfo: Codable, Sendable, Equatable {
    /// Plugin name.
    public var name: String
    /// `"source"`, `"criterion"` or `"scorer"`.
    public var kind: String
    /// The plugin's declared version.
    public var version: String
    /// Its file, inside its library (`criteria/rfm.lua`).
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The effective parameters (defaults merged with the definition's overrides).
    public var params: [String: PluginValue]
    /// The library it came from (`segwork` for the bundled one, `workspace` for the workspace's own plugins); nil in
    /// versions recorded before libraries existed.
    public var library: String?
    /// The modules it requires (`require`), sorted by name; nil when none (and in versions recorded before modules
    /// were).
    public var modules: [ModuleInfo]?

    /// Creates plugin information.
    public init(name: String, kind: String, version: String, file: String, sha256: String,
                params: [String: PluginValue], library: String? = nil, modules: [ModuleInfo]? = nil) {
        self.name = name; self.kind = kind; self.version = version; self.file = file
        self.sha256 = sha256; self.params = params; self.library = library; self.modules = modules
    }
}
