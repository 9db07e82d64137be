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

    /// Creates run information.
    public init(definition: String, runID: String, asOf: String, segworkVersion: String,
                inputs: [InputInfo], plugins: [PluginInfo], combine: String, customers: Int,
                privacy: PrivacyInfo? = nil) {
        self.definition = definition; self.runID = runID; self.asOf = asOf
        self.segworkVersion = segworkVersion; self.inputs = inputs; self.plugins = plugins
        self.combine = combine; self.customers = customers; self.privacy = privacy
    }
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

    /// Creates input information.
    public init(name: String, file: String, sha256: String, rows: Int) {
        self.name = name; self.file = file; self.sha256 = sha256; self.rows = rows
    }
}

/// One plugin used by a run.
public struct PluginInfo: Codable, Sendable, Equatable {
    /// Plugin name.
    public var name: String
    /// `"source"`, `"criterion"` or `"scorer"`.
    public var kind: String
    /// The plugin's declared version.
    public var version: String
    /// Its file (workspace-relative).
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The effective parameters (defaults merged with the definition's overrides).
    public var params: [String: PluginValue]

    /// Creates plugin information.
    public init(name: String, kind: String, version: String, file: String, sha256: String,
                params: [String: PluginValue]) {
        self.name = name; self.kind = kind; self.version = version; self.file = file
        self.sha256 = sha256; self.params = params
    }
}
