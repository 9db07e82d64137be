import CLuaSupport

/// The limits every call into a plugin runs under. Set per workspace in `workspace.yaml` (`limits:`).
public struct LuaLimits: Sendable, Equatable {
    /// Lua VM instructions allowed for one call into a plugin (one `assign` or `score` for one row,
    /// one `prepare`, or a source's `read` between two records it emits). Default 100 million.
    /// From 10 million up, only the instructions a call runs after its first 10–15 ms are counted (the
    /// counting hook slows Lua down, so calls start without it); below 10 million every instruction is
    /// counted, exactly. See docs/PLUGINS.md, "Limits".
    public var instructions: Int
    /// Bytes the plugin's own Lua state may hold on top of what the host put there. Default 64 MiB.
    public var memoryBytes: Int
    /// Wall-clock seconds one call may take, checked as Lua runs (from 10 ms into the call on, unless
    /// `instructions` is below 10 million). Time spent inside a single library call
    /// (where no check can run, e.g. a pattern match on a long string) is caught by a watchdog after
    /// `max(5 × seconds, Plugin.watchdogMinimumSeconds)` (10 s by default). Default 2 s.
    public var seconds: Double
    /// Data one source `read` may emit, in bytes: every emitted value (each declared column of each record,
    /// missing or not) counts `LuaLimits.bytesPerEmittedValue` (16) bytes, plus the bytes of its string
    /// when it is one. This is what stops a source that emits forever: its instruction budget and time
    /// limit restart at each record. The host's own memory for the records is a small multiple of this
    /// count. `workspace.yaml`: `limits.source_mb`. Zero or less: no cap. Default 1 GiB.
    public var sourceBytes: Int

    /// Distinct labels one criterion may give (after NFC normalisation), and distinct segments a run may have
    /// after `combine`. More is an error naming the plugin: a criterion that gives (nearly) every customer its
    /// own label is a bug, not a segmentation. `workspace.yaml`: `limits.segments`. Default 1,000.
    public var segments: Int

    /// What each emitted value counts towards `sourceBytes`, on top of the bytes of a string.
    public static let bytesPerEmittedValue = Int(SW_EMIT_VALUE_BYTES)

    /// Creates limits.
    public init(instructions: Int = 100_000_000, memoryBytes: Int = 64 << 20, seconds: Double = 2,
                sourceBytes: Int = 1 << 30, segments: Int = 1000) {
        self.instructions = instructions; self.memoryBytes = memoryBytes; self.seconds = seconds
        self.sourceBytes = sourceBytes; self.segments = segments
    }

    /// The defaults: stop `while true do end` or a runaway `string.rep` in about a second, and a source
    /// that emits forever after 1 GiB of data.
    public static let `default` = LuaLimits()
}

/// Options for loading plugins: limits, where `require` may look, which files a source may read,
/// and what the deterministic parts of the sandbox see.
public struct PluginEnvironment: Sendable {
    /// Per-call limits.
    public var limits: LuaLimits
    /// Folders `require "name"` searches (as `<folder>/name.lua`, dots becoming slashes). Nothing else is reachable.
    public var libraryPaths: [String]
    /// How messages name each of `libraryPaths` (`require`'s "searched:" list), in the same order: a path as the user
    /// sees it, or `bundled:lib` for Segwork's own; empty: the paths themselves.
    public var libraryLabels: [String] = []
    /// The only folder source plugins may read files from (the workspace); paths are resolved inside it.
    public var fileRoot: String?
    /// Seed for `math.random`, so runs repeat exactly.
    public var randomSeed: Int64
    /// When set, `os.time()` with no argument returns this (seconds since 1970) and `os.clock()` returns 0,
    /// so runs repeat exactly. When nil, the real clock is used.
    public var frozenTime: Int64?
    /// Where `seg.log` lines go (default: standard error, prefixed with the plugin name). The message arrives
    /// escaped and cut to `TerminalText.messageLimit` bytes; it may still hold line feeds.
    public var log: @Sendable (_ plugin: String, _ message: String) -> Void

    /// Creates an environment.
    public init(limits: LuaLimits = .default, libraryPaths: [String] = [], fileRoot: String? = nil,
                randomSeed: Int64 = 0, frozenTime: Int64? = nil,
                log: @escaping @Sendable (String, String) -> Void = PluginEnvironment.standardErrorLog) {
        self.limits = limits; self.libraryPaths = libraryPaths; self.fileRoot = fileRoot
        self.randomSeed = randomSeed; self.frozenTime = frozenTime; self.log = log
    }

    /// Writes `[plugin] message` to standard error, `[plugin] ` in front of every line of the message (the host
    /// hands the log messages already escaped and cut; see `TerminalText`).
    public static let standardErrorLog: @Sendable (String, String) -> Void = { plugin, message in
        FileHandleStandardError.write(TerminalText.pluginLines(message, plugin: plugin) + "\n")
    }
}
