import Foundation
import CLua
import CLuaSupport

/// Receives `seg.log` / `print` lines from C and hands them to the environment's log. Also holds what describes a
/// row for the watchdog (which finds the sink through the same C pointer).
final class LogSink: @unchecked Sendable {
    var pluginName: String
    let log: @Sendable (String, String) -> Void
    /// While true, `seg.log` / `print` lines are dropped (calls on made-up values, such as a rule-set sweep).
    var muted = false
    private let lock = NSLock()
    private var rowDescriptionValue: (@Sendable (Int) -> String)?
    /// Read on the watchdog thread, set on the plugin's: behind a lock.
    var rowDescription: (@Sendable (Int) -> String)? {
        get { lock.lock(); defer { lock.unlock() }; return rowDescriptionValue }
        set { lock.lock(); rowDescriptionValue = newValue; lock.unlock() }
    }
    init(pluginName: String, log: @escaping @Sendable (String, String) -> Void) {
        self.pluginName = pluginName; self.log = log
    }
}

private let logTrampoline: sw_log_fn = { context, message, length in
    guard let context, let message else { return 1 }
    let sink = Unmanaged<LogSink>.fromOpaque(context).takeUnretainedValue()
    if sink.muted { return 0 }
    // Escaped and cut here, from the raw bytes: a log closure never sees control characters, bytes that are not
    // UTF-8 or more than `TerminalText.messageLimit` bytes of one message.
    let bytes = UnsafeRawBufferPointer(start: message, count: length)
    sink.log(sink.pluginName, TerminalText.escaped(utf8: bytes, limit: TerminalText.messageLimit))
    return 0
}

/// What a call was, for error messages: the Lua function and what it must return.
struct CallSite {
    let function: String
    let expected: String
    let perRow: Bool
    static let load = CallSite(function: "the plugin file", expected: "a table", perRow: false)
    static let setup = CallSite(function: "setup", expected: "nothing", perRow: false)
    static let assign = CallSite(function: "assign", expected: "a string label or nil", perRow: true)
    static let score = CallSite(function: "score", expected: "a number or nil", perRow: true)
    static let prepare = CallSite(function: "prepare", expected: "a table (merged into p) or nil", perRow: false)
    static let read = CallSite(function: "read", expected: "nothing", perRow: false)
    static let clean = CallSite(function: "clean", expected: "a table (the cleaned row) or nil", perRow: true)
}

/// Owns one `sw_host` (one `lua_State`) and turns the status of every call into a `PluginError`.
final class PluginState {
    let host: OpaquePointer
    let sink: LogSink
    let file: String
    /// How messages name the file: the chunk name when one was given, else the path.
    let shownFile: String
    let limits: LuaLimits
    var pluginName: String { didSet { sink.pluginName = pluginName; sw_host_set_name(host, pluginName) } }

    /// The name Lua gives the plugin's chunk in messages and tracebacks (`plugins/x.lua`): never an absolute path,
    /// which a caught error message could otherwise carry into a label and an export.
    let chunkName: String

    /// `chunkName` when none is given: the path inside `fileRoot` (the workspace) when the file is there, else the
    /// file's name.
    static func defaultChunkName(file: String, fileRoot: String?) -> String {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        for root in [fileRoot, fileRoot.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }].compactMap({ $0 }) {
            let prefix = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return file.split(separator: "/").last.map(String.init) ?? file
    }

    init?(file: String, chunkName: String? = nil, environment: PluginEnvironment, watchdogSeconds: Double) {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        self.file = file
        self.shownFile = chunkName ?? file
        self.chunkName = chunkName ?? Self.defaultChunkName(file: file, fileRoot: environment.fileRoot)
        let chunk = self.chunkName
        self.limits = environment.limits
        self.pluginName = name
        self.sink = LogSink(pluginName: name, log: environment.log)
        let paths = environment.libraryPaths.map { strdup($0) }
        defer { paths.forEach { free($0) } }
        let labelTexts = environment.libraryLabels.count == environment.libraryPaths.count ? environment.libraryLabels : environment.libraryPaths
        let labels = labelTexts.map { strdup($0) }
        defer { labels.forEach { free($0) } }
        let limits = environment.limits
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        let labelPointers = labels.map { UnsafePointer($0) }
        let made: OpaquePointer? = paths.map { UnsafePointer($0) }.withUnsafeBufferPointer { pathPointers in
            file.withCString { filePointer in
              chunk.withCString { chunkPointer in
                Self.withOptionalCString(environment.fileRoot) { rootPointer in
                    var config = sw_config(
                        plugin_file: filePointer, instructions: Int64(limits.instructions),
                        memory_bytes: Int64(limits.memoryBytes), seconds: limits.seconds,
                        watchdog_seconds: watchdogSeconds, source_bytes: Int64(limits.sourceBytes),
                        random_seed: environment.randomSeed,
                        has_frozen_time: environment.frozenTime != nil, frozen_time: environment.frozenTime ?? 0,
                        library_paths: pathPointers.baseAddress, library_path_count: Int32(pathPointers.count),
                        file_root: rootPointer, log: logTrampoline, log_ud: sinkPointer, chunk_name: chunkPointer,
                        library_labels: nil)
                    return labelPointers.withUnsafeBufferPointer { labelBuffer in
                        config.library_labels = labelBuffer.baseAddress
                        return sw_host_new(&config)
                    }
                }
              }
            }
        }
        guard let made else { return nil }
        host = made
    }

    deinit { sw_host_free(host) }

    var lua: OpaquePointer { sw_host_state(host) }

    private static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }

    /// Throws the `PluginError` for `status` unless it is `SW_OK`.
    func check(_ status: Int32, _ call: CallSite) throws {
        guard status != Int32(SW_OK) else { return }
        throw error(for: status, call)
    }

    private func error(for status: Int32, _ call: CallSite) -> PluginError {
        // All of it: a NUL byte must not hide the rest (it is shown escaped, see `TerminalText`).
        let message = String(decoding: UnsafeRawBufferPointer(start: sw_error_message(host), count: sw_error_message_length(host)),
                             as: UTF8.self)
        let tracebackText = String(cString: sw_error_traceback(host))
        let traceback = tracebackText.isEmpty ? nil : tracebackText
        let rowIndex = sw_error_row(host)
        let row = call.perRow && rowIndex >= 0 ? Int(rowIndex) : nil
        let located = SourceLocation.split(message, pluginFile: chunkName)
        var line = located.line ?? traceback.flatMap { SourceLocation.line(inTraceback: $0, pluginFile: chunkName) }
        let reason: PluginError.Reason
        switch Int(status) {
        case SW_ERR_SYNTAX: reason = .syntax("syntax error: " + located.message)
        case SW_ERR_UNREADABLE: reason = .unreadable(message)
        case SW_ERR_MEMORY: reason = .memoryCap(limitBytes: limits.memoryBytes)
        case SW_ERR_BUDGET, SW_ERR_TIME, SW_ERR_SOURCE_CAP:
            let source = String(cString: sw_trip_source(host))
            if SourceLocation.isPluginFile(source, pluginFile: chunkName), sw_trip_line(host) > 0 {
                line = Int(sw_trip_line(host))
            }
            switch Int(status) {
            case SW_ERR_BUDGET: reason = .instructionBudget(limit: limits.instructions)
            case SW_ERR_TIME: reason = .timeLimit(seconds: limits.seconds)
            default: reason = .sourceDataCap(limitBytes: limits.sourceBytes)
            }
        case SW_ERR_BADRETURN:
            line = nil
            // A cleaner says what it got and what it expected, separated by U+001F.
            let parts = message.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            reason = parts.count == 2
                ? .badReturn(field: call.function, expected: String(parts[1]), got: String(parts[0]))
                : .badReturn(field: call.function, expected: call.expected, got: message)
        case SW_ERR_BAD_UTF8:
            line = nil
            reason = .badReturn(field: call.function, expected: "labels as valid UTF-8 text",
                                got: "label that is not valid UTF-8 (\(message))")
        case SW_ERR_FORBIDDEN: reason = .forbidden(located.message)
        case SW_ERR_RUNTIME: reason = .runtime(located.message)
        default: reason = .runtime("the plugin host failed: \(message)")
        }
        let isLoadError = status == Int32(SW_ERR_SYNTAX) || status == Int32(SW_ERR_UNREADABLE)
        var error = PluginError(plugin: pluginName, file: shownFile, line: isLoadError ? located.line : line, reason: reason,
                                row: row, traceback: traceback)
        // A source stopped by a limit: which record it was producing (a runaway emit loop, a record too large).
        if call.function == CallSite.read.function, [SW_ERR_BUDGET, SW_ERR_TIME, SW_ERR_SOURCE_CAP, SW_ERR_MEMORY].contains(Int(status)) {
            error.record = Int(sw_emitted_records(host))
        }
        return error
    }

    /// Reads a host slot (the manifest table, `p`, the labels) as a `LuaValue`.
    func readSlot(_ slot: Int32) -> LuaValue {
        let top = lua_gettop(lua)
        defer { lua_settop(lua, top) }
        guard sw_push_slot(host, slot) != 0 else { return .nil }
        var reader = LuaValueReader(state: lua)
        return reader.read(at: -1)
    }

    /// The labels interned by the last `assign` call, in code order.
    func labels() -> [String] {
        let count = Int(sw_label_count(host))
        let top = lua_gettop(lua)
        defer { lua_settop(lua, top) }
        guard count > 0, sw_push_slot(host, Int32(SW_SLOT_LABELS)) != 0, lua_checkstack(lua, 2) != 0 else { return [] }
        return (1...count).map { index in
            lua_rawgeti(lua, -1, lua_Integer(index))
            defer { lua_settop(lua, top + 1) }
            return LuaValueReader.string(lua, at: -1)
        }
    }
}

/// Finds `file:line:` in Lua messages and tracebacks. Lua shortens long chunk names to `...tail`,
/// so a source matches the plugin file when the file ends with that tail.
enum SourceLocation {
    static func isPluginFile(_ source: String, pluginFile: String) -> Bool {
        if source == pluginFile { return true }
        if source.hasPrefix("...") { return pluginFile.hasSuffix(source.dropFirst(3)) }
        return false
    }

    /// Splits `path:line: text`; when `path` is the plugin file returns its line and the bare text,
    /// otherwise the message unchanged (it names a module's file itself).
    static func split(_ message: String, pluginFile: String) -> (line: Int?, message: String) {
        guard let (source, line, rest) = parse(Substring(message)) else { return (nil, message) }
        guard isPluginFile(String(source), pluginFile: pluginFile) else { return (nil, message) }
        return (line, String(rest))
    }

    /// The first traceback frame in the plugin file.
    static func line(inTraceback traceback: String, pluginFile: String) -> Int? {
        for frame in traceback.split(separator: "\n") {
            let trimmed = frame.drop { $0 == "\t" || $0 == " " }
            if let (source, line, _) = parse(trimmed), isPluginFile(String(source), pluginFile: pluginFile) { return line }
        }
        return nil
    }

    private static func parse(_ text: Substring) -> (Substring, Int, Substring)? {
        var index = text.startIndex
        while let colon = text[index...].firstIndex(of: ":") {
            let digits = text[text.index(after: colon)...].prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.endIndex < text.endIndex, text[digits.endIndex] == ":", let line = Int(digits) {
                var rest = text[text.index(after: digits.endIndex)...]
                if rest.first == " " { rest = rest.dropFirst() }
                return (text[..<colon], line, rest)
            }
            index = text.index(after: colon)
        }
        return nil
    }
}

extension PluginState {
    /// The string keys of the table in host slot `slot` whose values are not light userdata (require's "loading"
    /// marker), sorted: the modules `require` has loaded (`SW_SLOT_REQUIRE`), the files `src:lines` opened
    /// (`SW_SLOT_READ_FILES`).
    func keys(ofSlot slot: Int32) -> [String] {
        let top = lua_gettop(lua)
        defer { lua_settop(lua, top) }
        guard sw_push_slot(host, slot) != 0, lua_type(lua, -1) == LUA_TTABLE, lua_checkstack(lua, 3) != 0 else { return [] }
        var names: [String] = []
        lua_pushnil(lua)
        while lua_next(lua, -2) != 0 {
            if lua_type(lua, -2) == LUA_TSTRING, lua_type(lua, -1) != LUA_TLIGHTUSERDATA, let s = lua_tolstring(lua, -2, nil) {
                names.append(String(cString: s))
            }
            lua_settop(lua, -2)
        }
        return names.sorted()
    }
}
