/// Why a plugin could not be loaded or a call into it failed. Every case names the plugin and,
/// where known, the file and line, so the message says where to look.
public struct PluginError: Error, Sendable, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The file could not be read.
        case unreadable(String)
        /// The file is not valid Lua text (syntax error), or is a binary chunk.
        case syntax(String)
        /// The returned table is missing a field or a field has the wrong type or value.
        case badManifest(field: String, problem: String)
        /// A Lua error raised while the plugin ran.
        case runtime(String)
        /// The call ran past its instruction budget.
        case instructionBudget(limit: Int)
        /// The call asked for more memory than its cap.
        case memoryCap(limitBytes: Int)
        /// The call ran past its wall-clock limit.
        case timeLimit(seconds: Double)
        /// A source's `read` emitted more data than `LuaLimits.sourceBytes` (counted as described there).
        case sourceDataCap(limitBytes: Int)
        /// The plugin returned a value of the wrong type (e.g. a number where a label is expected), or a
        /// label that is not valid UTF-8 (`got` then says so and shows the bytes).
        case badReturn(field: String, expected: String, got: String)
        /// A parameter override the plugin does not declare, or of the wrong type.
        case badParam(name: String, problem: String)
        /// A criterion gave more distinct labels than `LuaLimits.segments`; `label` is the first one over the limit.
        case tooManyLabels(limit: Int, label: String)
        /// The plugin tried something the sandbox forbids (reading outside the workspace, …).
        case forbidden(String)
    }

    /// The plugin's name (or its file name when the name is not known yet).
    public var plugin: String
    /// The plugin's file.
    public var file: String
    /// The line in `file` (or in a required module, named in the message) where it happened, when known.
    public var line: Int?
    /// What went wrong.
    public var reason: Reason
    /// The 0-based row of the call that failed, for per-row calls.
    public var row: Int?
    /// The customer id of that row, filled in by the caller that knows it (never when the id is personal).
    public var customerID: String?
    /// Where that row came from (`data/customers.csv, line 4`), filled in by the caller that knows it.
    public var place: String?
    /// A Lua traceback, when one was available.
    public var traceback: String?
    /// For a source's `read` stopped by a limit (instructions, memory, time, emitted data): the 0-based record it
    /// was producing, i.e. how many records it had emitted.
    public var record: Int?

    /// Creates an error.
    public init(plugin: String, file: String, line: Int? = nil, reason: Reason, row: Int? = nil,
                customerID: String? = nil, traceback: String? = nil) {
        self.plugin = plugin; self.file = file; self.line = line; self.reason = reason
        self.row = row; self.customerID = customerID; self.traceback = traceback
    }
}
