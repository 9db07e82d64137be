import Foundation
import CLua
import CLuaSupport

/// A loaded plugin: its own sandboxed Lua state, its validated manifest and its functions.
/// Not thread-safe: use one `Plugin` per thread (load the same file again for another thread).
///
/// Lifecycle: `load` → `configure(overrides:)` → optional `prepare(stats:)` → any number of
/// `assign`, `score`, `clean` or `read` calls (by kind; `clean` is in PluginClean.swift).
///
/// **Sandbox.** The plugin file and every module it requires run with one environment table as `_ENV`:
/// - base: `assert error ipairs next pairs pcall xpcall rawequal rawget rawlen rawset select tonumber
///   tostring type getmetatable _VERSION _G` (the sandbox itself), plus
///   `setmetatable` (refuses a metatable with a `__gc` field), `load` (text chunks only; the default
///   environment is the sandbox), `print` (same as `seg.log`) and `require`;
/// - libraries `string` (without `string.dump`), `table`, `math` (`math.random` seeded with
///   `PluginEnvironment.randomSeed`), `utf8`, `coroutine`, and `os` with only `time`, `date`, `clock`
///   (with `frozenTime` set: `os.time()` returns it, `os.date(fmt)` formats it, `os.clock()` returns 0).
///   Plugin time is UTC whatever the process's `TZ`: `os.date` formats as if its format started with
///   `!`, and `os.time(table)` reads the table as UTC (normalizing its fields as Lua does);
/// - absent: `io`, `debug`, `package`, `dofile`, `loadfile`, `collectgarbage`, `string.dump`, and every
///   other `os` function (`execute`, `exit`, `remove`, `rename`, `getenv`, `tmpname`, `setlocale`).
///
/// `require "a.b"` accepts names of letters, digits, `_` and single dots, looks for `<dir>/a/b.lua` in
/// each of `PluginEnvironment.libraryPaths`, runs it in the same sandbox and caches what it returns;
/// any other name fails with `module 'x' not found in the plugin library (searched: …)`.
///
/// **Host API** (`seg`, API level 1): `seg.api` (= 1); `seg.log(...)` (arguments `tostring`'d, joined
/// by spaces, sent to `PluginEnvironment.log`); `seg.split(s, sep)` (plain separator, keeps empty
/// fields, returns an array); `seg.trim(s)` (removes ASCII white space at both ends).
/// Sources also get `src:emit(record)` and `src:lines(path)` (see `read()`).
///
/// **Budgets.** Each call (one row, one `prepare`, a source's `read` between two records) may run
/// `limits.instructions` instructions and `limits.seconds` seconds, and the state may hold
/// `limits.memoryBytes` beyond what the host put there; a source's whole `read` may emit
/// `limits.sourceBytes`. A plugin cannot catch a budget error for long: once tripped, every
/// instruction raises again. A single library call that runs longer than the watchdog limit without
/// progress ends the process (see `watchdogHandler`).
///
/// **Text.** Labels, emitted strings, and strings in `params` or in what `prepare` leaves in `p` must be
/// valid UTF-8; anything else is an error (never replaced by U+FFFD, which would make different labels
/// equal).
public final class Plugin {
    /// The validated manifest.
    public let manifest: PluginManifest
    /// The file it was loaded from.
    public let path: String
    /// How messages name the file: the `chunkName` it was loaded with (workspace-relative, `bundled:criteria/rfm.lua`),
    /// else `path`. Never an absolute path when a chunk name was given, so a message used as a label cannot
    /// export one.
    public var shownFile: String { state.shownFile }
    let state: PluginState

    /// Loads and validates the plugin in `path` in a fresh sandbox. Throws `PluginError` naming the file
    /// and the field when the file does not return a valid plugin table. `chunkName` is how Lua names the file in
    /// messages and tracebacks (default: its path inside `environment.fileRoot`, else its file name; never absolute).
    public static func load(path: String, environment: PluginEnvironment = PluginEnvironment(),
                            chunkName: String? = nil) throws -> Plugin {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PluginError(plugin: fileName, file: path, reason: .unreadable("no such file"))
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw PluginError(plugin: fileName, file: path,
                              reason: .unreadable(isDirectory.boolValue ? "it is a folder" : "permission denied"))
        }
        if let line = FileManager.default.contents(atPath: path).flatMap(Self.firstNonUTF8Line) {
            throw PluginError(plugin: fileName, file: chunkName ?? fileName, line: line, reason: .syntax(
                "is not UTF-8 text (the first byte that is not is on this line); save the file as UTF-8: plugins are stored and compared as UTF-8 text"))
        }
        guard let state = PluginState(file: path, chunkName: chunkName, environment: environment,
                                      watchdogSeconds: watchdogLimit(for: environment.limits)) else {
            throw PluginError(plugin: fileName, file: path, reason: .runtime("could not create a Lua state (out of memory)"))
        }
        try state.check(sw_load_chunk(state.host), .load)
        let manifest = try ManifestValidator(file: state.shownFile).validate(state.readSlot(Int32(SW_SLOT_MANIFEST)))
        state.pluginName = manifest.name
        try state.check(sw_capture_functions(state.host, manifest.kind.mainFunction), .setup)
        let plugin = Plugin(manifest: manifest, path: path, state: state)
        try plugin.configure(overrides: [:])
        return plugin
    }

    /// Merges `overrides` over the manifest's `params` defaults and makes the result the `p` table for all
    /// later calls. An override the plugin does not declare, or whose type differs from its default's,
    /// throws `.badParam`. (An integer override for a float default is accepted.)
    public func configure(overrides: [String: PluginValue]) throws {
        var merged = manifest.params
        for name in overrides.keys.sorted() {
            let value = overrides[name]!
            guard let defaultValue = manifest.params[name] else {
                let declared = manifest.params.keys.sorted()
                let close = declared.filter { editDistance($0, name) <= max(1, name.count / 4) }
                    .min { editDistance($0, name) < editDistance($1, name) }
                throw paramError(name, "is not declared by the plugin; " + (close.map { "did you mean '\($0)'? " } ?? "")
                    + (declared.isEmpty ? "it declares no parameters" : "declared parameters: \(declared.joined(separator: ", "))"))
            }
            let expected = Self.category(of: defaultValue), got = Self.category(of: value)
            guard expected == got else {
                throw paramError(name, "must be a \(expected) like its default (got a \(got))")
            }
            merged[name] = value
        }
        var buffer = NodeBuffer()
        buffer.addObject(merged)
        let host = state.host
        try state.check(buffer.withPointers { sw_configure(host, $0, $1, $2) }, .setup)
    }

    /// Calls `prepare(stats, p)` once, if the plugin has it. If it returns a table, its fields are merged
    /// into `p`.
    public func prepare(stats: [String: ColumnStatistics]) throws {
        guard manifest.hasPrepare else { return }
        var buffer = NodeBuffer()
        buffer.addStatistics(stats)
        let host = state.host
        try state.check(buffer.withPointers { sw_prepare(host, $0, $1, $2) }, .prepare)
    }

    /// The `p` table as it stands now (defaults, overrides, and whatever `prepare` added), as plain data.
    public func effectiveParams() throws -> [String: PluginValue] {
        guard case .table(let entries) = state.readSlot(Int32(SW_SLOT_P)) else { return [:] }
        var out: [String: PluginValue] = [:]
        for (key, value) in entries {
            if case .invalidString(let shown) = key {
                throw paramError(shown, "is a key in p that is not valid UTF-8; p may only hold named plain values")
            }
            guard case .string(let name) = key else {
                throw paramError("\(key)", "is a \(key.typeName) key in p; p may only hold named plain values")
            }
            do { out[name] = try value.plainValue(path: name) } catch let problem as PlainDataProblem {
                throw paramError(problem.path, "\(problem.problem); p may only hold plain data "
                    + "(booleans, numbers, strings and tables of those)")
            }
        }
        return out
    }

    /// Calls `assign(row, p)` for each of `rowCount` rows. `row` holds exactly the fields in `columns`
    /// (a missing value is nil). A return that is neither a string nor nil, or a label that is not valid
    /// UTF-8, throws `.badReturn` with the row. Labels come back in NFC and checked by `LabelRules` (no control
    /// characters, at most 200 characters, at most `LuaLimits.segments` distinct labels).
    public func assign(columns: [ColumnInput], rowCount: Int) throws -> LabelAssignment {
        try requireKind(.criterion, "assign")
        ColumnBridge.checkLengths(columns, rowCount: rowCount)
        var codes = [Int32](repeating: -1, count: rowCount)
        let host = state.host
        let status = ColumnBridge.withDescriptors(columns) { descriptors in
            codes.withUnsafeMutableBufferPointer { out in
                sw_run_rows(host, Int32(SW_MODE_ASSIGN), descriptors, Int32(descriptors.count), Int64(rowCount),
                            out.baseAddress, nil, nil)
            }
        }
        try state.check(status, .assign)
        return try LabelRules.apply(LabelAssignment(codes: codes, labels: state.labels()), plugin: manifest.name,
                                    file: shownFile, maxSegments: state.limits.segments)
    }

    /// Calls `score(row, p)` for each of `rowCount` rows. A return that is neither a number nor nil throws
    /// `.badReturn` with the row.
    public func score(columns: [ColumnInput], rowCount: Int) throws -> ScoreColumn {
        try requireKind(.scorer, "score")
        ColumnBridge.checkLengths(columns, rowCount: rowCount)
        var values = [Double](repeating: 0, count: rowCount)
        var valid = [Bool](repeating: false, count: rowCount)
        let host = state.host
        let status = ColumnBridge.withDescriptors(columns) { descriptors in
            values.withUnsafeMutableBufferPointer { v in
                valid.withUnsafeMutableBufferPointer { ok in
                    sw_run_rows(host, Int32(SW_MODE_SCORE), descriptors, Int32(descriptors.count), Int64(rowCount),
                                nil, v.baseAddress, ok.baseAddress)
                }
            }
        }
        try state.check(status, .score)
        return ScoreColumn(values: values, valid: valid)
    }

    /// Calls a source's `read(src, p)` and collects what it emits. `src:emit(record)` takes a table of
    /// declared column names to nil, booleans, numbers or strings (anything else, or an undeclared name,
    /// is an error); `src:lines(path)` iterates the lines (without `\n` / `\r\n`) of a file inside
    /// `PluginEnvironment.fileRoot`: absolute paths, `..` and symbolic links leading outside are
    /// `.forbidden`, as is any file when no root is set. A string that is not valid UTF-8 is a `.runtime`
    /// error at the emit. The instruction budget restarts at each record; what the whole read emits is
    /// capped by `LuaLimits.sourceBytes` (`.sourceDataCap`).
    public func read() throws -> SourceOutput {
        try requireKind(.source, "read")
        let names = manifest.columns.map(\.name)
        let copies = names.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let host = state.host
        let status = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer {
            sw_read_source(host, $0.baseAddress, Int32(names.count))
        }
        defer { sw_release_emitted(host) }
        try state.check(status, .read)
        let records = Int(sw_emitted_records(host))
        let values: [[PluginValue]] = (0..<names.count).map { column in
            (0..<records).map { record in Self.value(of: sw_emitted_cell(host, Int64(record), Int32(column))) }
        }
        return SourceOutput(names: names, values: values)
    }

    /// The 1-based line of the first byte that is not part of valid UTF-8 in `data`, nil when it is all UTF-8.
    public static func firstNonUTF8Line(_ data: Data) -> Int? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { return nil }
            var i = 0, line = 1
            while i < bytes.count {
                if bytes[i] < 0x80 { if bytes[i] == 10 { line += 1 }; i += 1; continue }
                let n = utf8SequenceLength(base, i, bytes.count)
                if n < 0 { return line }
                i += n
            }
            return nil
        }
    }

    private init(manifest: PluginManifest, path: String, state: PluginState) {
        self.manifest = manifest; self.path = path; self.state = state
    }

    private func paramError(_ name: String, _ problem: String) -> PluginError {
        PluginError(plugin: manifest.name, file: shownFile, reason: .badParam(name: name, problem: problem))
    }

    func requireKind(_ kind: PluginKind, _ function: String) throws {
        guard manifest.kind != kind else { return }
        throw PluginError(plugin: manifest.name, file: shownFile, reason: .runtime(
            "is a \(manifest.kind.rawValue) plugin and has no \(function) function; use it as a \(manifest.kind.rawValue)"))
    }

    private static func category(of value: PluginValue) -> String {
        switch value {
        case .array, .object: return "table"
        default: return value.typeName
        }
    }

    private static func value(of cell: sw_cell) -> PluginValue {
        switch Int(cell.tag) {
        case SW_NODE_BOOL: return .bool(cell.i != 0)
        case SW_NODE_INT: return .int(cell.i)
        case SW_NODE_DOUBLE: return .double(cell.d)
        case SW_NODE_STRING:
            return .string(String(decoding: UnsafeRawBufferPointer(start: cell.s, count: cell.len), as: UTF8.self))
        default: return .null
        }
    }
}
