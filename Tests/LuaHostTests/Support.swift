import Foundation
import XCTest
@testable import LuaHost

/// A temporary folder for plugin files, removed when the test ends.
final class PluginFolder {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("luahost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` (creating folders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Writes a plugin file and loads it.
    func load(_ name: String, _ text: String, environment: PluginEnvironment = PluginEnvironment()) throws -> Plugin {
        try Plugin.load(path: write(name, text), environment: environment)
    }
}

/// A criterion whose assign body is `body` (a Lua statement list over `row` and `p`).
func criterion(_ name: String, uses: [String] = ["x"], params: String = "{}", body: String, extra: String = "") -> String {
    let usesList = uses.map { "\"\($0)\"" }.joined(separator: ", ")
    return """
    \(extra)
    return {
      api = 1, kind = "criterion", name = "\(name)", version = "1.0.0", description = "test",
      uses = { \(usesList) }, params = \(params),
      assign = function(row, p)
        \(body)
      end,
    }
    """
}

/// A scorer whose score body is `body`.
func scorer(_ name: String, uses: [String] = ["x"], params: String = "{}", body: String, prepare: String? = nil) -> String {
    let usesList = uses.map { "\"\($0)\"" }.joined(separator: ", ")
    let prepareField = prepare.map { "prepare = function(stats, p) \($0) end," } ?? ""
    return """
    return {
      api = 1, kind = "scorer", name = "\(name)", version = "1.0.0", description = "test",
      uses = { \(usesList) }, params = \(params), \(prepareField)
      score = function(row, p)
        \(body)
      end,
    }
    """
}

/// One integer column `x` with the given values.
func intColumn(_ values: [Int64], name: String = "x", validity: [UInt64]? = nil) -> ColumnInput {
    ColumnInput(name: name, values: .integer(values), validity: validity)
}

/// Runs `assign` and returns the PluginError it throws (failing the test when it does not throw one).
func assignError(_ plugin: Plugin, columns: [ColumnInput]? = nil, rows: Int = 1,
                 file: StaticString = #filePath, line: UInt = #line) -> PluginError? {
    do {
        _ = try plugin.assign(columns: columns ?? [intColumn([Int64](repeating: 1, count: rows))], rowCount: rows)
        XCTFail("expected a PluginError", file: file, line: line)
    } catch let error as PluginError {
        return error
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return nil
}

/// Collects seg.log lines.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return items }
    var log: @Sendable (String, String) -> Void {
        { [self] plugin, message in lock.lock(); items.append("\(plugin): \(message)"); lock.unlock() }
    }
}
