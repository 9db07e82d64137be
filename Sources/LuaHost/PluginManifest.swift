/// What a plugin is for. The kind decides which function the plugin must provide.
public enum PluginKind: String, Sendable, CaseIterable, Codable {
    /// Reads a dataset: provides `read(src, p)`.
    case source
    /// Gives a customer a segment label: provides `assign(row, p)`.
    case criterion
    /// Gives a customer a number: provides `score(row, p)`.
    case scorer
    /// Cleans a dataset row by row: provides `clean(row, p)`, which returns the cleaned row or nil to drop it.
    case cleaner

    /// The function a plugin of this kind must provide (`read`, `assign`, `score` or `clean`).
    public var mainFunction: String {
        switch self {
        case .source: return "read"
        case .criterion: return "assign"
        case .scorer: return "score"
        case .cleaner: return "clean"
        }
    }
}

/// The plain-data part of a plugin: the fields of the table its file returns, validated by the host
/// before any of the plugin's functions run.
public struct PluginManifest: Sendable, Equatable, Codable {
    /// Host API level the plugin targets (1 today). Levels only ever add; a plugin for level 1 keeps working.
    public var api: Int
    /// Which job the plugin does.
    public var kind: PluginKind
    /// Unique name, `[a-z][a-z0-9_]*`; definitions refer to the plugin by it.
    public var name: String
    /// The plugin's own version string (e.g. "1.2.0").
    public var version: String
    /// One line saying what it does.
    public var description: String
    /// The columns the plugin reads (criteria, scorers and cleaners; a cleaner may also change them). Only these
    /// are passed in `row`.
    public var uses: [String]
    /// Parameter defaults. A definition may override any of them, and only them.
    public var params: [String: PluginValue]
    /// For scorers: the name of the column the score is written to (defaults to `name`).
    public var output: String?
    /// For sources: the declared columns and their types (`integer`, `double`, `bool`, `date`, `string`), in order.
    public var columns: [SourceColumn]
    /// Whether the plugin has a `prepare(stats, p)` function.
    public var hasPrepare: Bool
    /// For criteria: the labels `assign` may return (`labels = { ... }`), nil when the plugin does not declare them.
    public var labels: [String]?
    /// For criteria: a short description of what a label's customers have in common, by label
    /// (`descriptions = { Champions = "Bought recently, often, and spend the most" }`); every key is one of `labels`.
    /// nil when the plugin declares none. Reports show them beside the segments (docs/PLUGINS.md, "Labels").
    public var descriptions: [String: String]?

    /// Creates a manifest; the host builds these when it loads a plugin.
    public init(api: Int, kind: PluginKind, name: String, version: String, description: String,
                uses: [String], params: [String: PluginValue], output: String?,
                columns: [SourceColumn], hasPrepare: Bool, labels: [String]? = nil,
                descriptions: [String: String]? = nil) {
        self.api = api; self.kind = kind; self.name = name; self.version = version
        self.description = description; self.uses = uses; self.params = params
        self.output = output; self.columns = columns; self.hasPrepare = hasPrepare
        self.labels = labels; self.descriptions = descriptions
    }
}

/// One column a source plugin declares it emits.
public struct SourceColumn: Sendable, Equatable, Codable {
    /// Column name.
    public var name: String
    /// Declared type name: `integer`, `double`, `bool`, `date` or `string`.
    public var type: String
    /// Creates a declared source column.
    public init(name: String, type: String) { self.name = name; self.type = type }
}
