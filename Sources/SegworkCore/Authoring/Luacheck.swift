import Foundation
import SegworkData

/// Runs luacheck (Debian package `lua-check`) on plugin files with the sandbox's globals, and turns its plain
/// output into findings that name each file as the user knows it.
package enum Luacheck {
    /// The configuration `seg plugins lint` passes with `--config`: the sandbox's globals. `plugins/.luacheckrc` holds
    /// the same text (a test keeps them equal), so running `luacheck` by hand in the bundled library agrees.
    package static let configuration = #"""
-- luacheck configuration for Segwork plugins: the globals the plugin sandbox provides (docs/PLUGINS.md, "Sandbox";
-- Sources/CLuaSupport/sandbox.c). `seg plugins lint` passes this same configuration to luacheck; a test keeps the
-- two identical. Anything else (io, debug, package, os.execute, ...) is absent in the sandbox and flagged as an
-- undefined variable or field.
std = "segwork"
stds.segwork = {
  read_globals = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal", "rawget", "rawlen", "rawset",
    "select", "tonumber", "tostring", "type", "getmetatable", "setmetatable", "load", "print", "require",
    "_VERSION", "_G",
    string = { fields = { "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
                          "packsize", "rep", "reverse", "sub", "unpack", "upper" } },
    table = { fields = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" } },
    math = { fields = { "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
                        "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin",
                        "sqrt", "tan", "tointeger", "type", "ult" } },
    utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len", "offset" } },
    coroutine = { fields = { "close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield" } },
    os = { fields = { "clock", "date", "time" } },
    seg = { fields = { "api", "log", "split", "trim" } },
  },
}
-- W581 ('not (x > y)' can be replaced by 'x <= y'): plugins write 'not (x > y)' on purpose, so that NaN fails a check.
ignore = { "581" }
max_line_length = 120

"""#

    /// Codes that mean a global is written: an error (state that leaks from one customer to the next).
    static let globalWrites: Set<String> = ["W111", "W112", "W121", "W122"]
    /// Codes that mean a name the sandbox does not have: an error (it fails at run time).
    static let undefined: Set<String> = ["W113", "W143"]

    /// The `luacheck` executable on `PATH`, or nil.
    package static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        for dir in (environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent("luacheck")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Checks `files` (absolute path → how to show it). Returns nil when luacheck is not installed.
    package static func check(_ files: [(path: String, shown: String)]) throws -> [LintFinding]? {
        guard let exe = executable() else { return nil }
        guard !files.isEmpty else { return [] }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-luacheck-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false) } catch {
            throw PluginLintError("cannot make a temporary folder for luacheck in \(FileManager.default.temporaryDirectory.path) (\(String(cString: strerror(errno)))); set TMPDIR to a folder you can write to")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("luacheckrc")
        try configuration.write(to: config, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        let p = Process()
        p.executableURL = exe
        p.arguments = ["--formatter", "plain", "--codes", "--ranges", "--no-color", "--no-cache", "--config", config.path]
            + files.map(\.path)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // luacheck is a separate program: a run that never finishes must not hang lint.
        let deadline = Date().addingTimeInterval(Self.timeLimit)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            try? handle.close()
            throw PluginLintError("luacheck did not finish within \(Int(Self.timeLimit)) s and was stopped; run it on its own to see why (luacheck --config plugins/.luacheckrc FILE)")
        }
        try handle.close()
        let text = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
        let shown = Dictionary(files.map { ($0.path, $0.shown) }, uniquingKeysWith: { a, _ in a })
        var findings: [LintFinding] = []
        for line in text.split(separator: "\n").map(String.init) {
            guard let f = parse(line, shown: shown) else { continue }
            findings.append(f)
        }
        // Reading a global the plugin itself writes on that line (`n = (n or 0) + 1`) is the same problem, said once.
        let written = Set(findings.filter { $0.code == "global" }.map { "\($0.file):\($0.line ?? 0):\(quotedName($0.message))" })
        findings.removeAll { $0.code == "luacheck:W113" && written.contains("\($0.file):\($0.line ?? 0):\(quotedName($0.message))") }
        if p.terminationStatus > 2 && findings.isEmpty {
            throw PluginLintError("luacheck failed (status \(p.terminationStatus)): \(text.prefix(300))")
        }
        return findings
    }

    /// How long luacheck may run for one lint.
    static let timeLimit: TimeInterval = 120

    /// The first 'quoted' name in a luacheck message.
    static func quotedName(_ message: String) -> String {
        message.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
    }

    /// One line of `--formatter plain --codes --ranges` output: `path:line:col-col: (W211) message`.
    static func parse(_ line: String, shown: [String: String]) -> LintFinding? {
        guard let open = line.range(of: ": ("), let close = line.range(of: ") ", range: open.upperBound..<line.endIndex) else { return nil }
        let place = line[..<open.lowerBound].split(separator: ":").map(String.init)
        guard place.count >= 3, let lineNo = Int(place[place.count - 2]) else { return nil }
        let path = place.dropLast(2).joined(separator: ":")
        let code = String(line[open.upperBound..<close.lowerBound])
        let message = String(line[close.upperBound...])
        let severity: LintFinding.Severity = code.hasPrefix("E") || globalWrites.contains(code) || undefined.contains(code) ? .error : .warning
        let kind = globalWrites.contains(code) ? "global" : "luacheck:\(code)"
        let hint = globalWrites.contains(code) ? " (a plugin's globals live on from one customer to the next; use a local)"
            : undefined.contains(code) ? " (the plugin sandbox does not have it; see docs/PLUGINS.md, Sandbox)" : ""
        return LintFinding(severity, file: shown[path] ?? path, line: lineNo, code: kind, message + hint)
    }
}

/// A lint that could not run at all (not a finding).
package struct PluginLintError: SegworkError, CustomStringConvertible {
    /// What went wrong.
    package var description: String
    /// Exit status 1.
    package var exitStatus: ExitStatus { .runFailed }
    init(_ message: String) { description = message }
}
