import Foundation
import XCTest
import LuaHost

/// Shared helpers for the bundled-plugin tests: where the library is, how to load a plugin, and how to
/// build column inputs and statistics by hand.
enum PluginFixture {
    /// The repository root: three levels up from this file (Tests/PluginTests/<file>).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<root>/plugins`.
    static let pluginsDir: URL = repoRoot.appendingPathComponent("plugins")

    /// Loads `plugins/<relativePath>` with the library folder on the `require` path and, for sources,
    /// `fileRoot` as the workspace; then applies `overrides`.
    static func load(_ relativePath: String, fileRoot: String? = nil,
                     overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let env = PluginEnvironment(libraryPaths: [pluginsDir.appendingPathComponent("lib").path],
                                    fileRoot: fileRoot, randomSeed: 1, frozenTime: 0,
                                    log: { _, _ in })
        let plugin = try Plugin.load(path: pluginsDir.appendingPathComponent(relativePath).path,
                                     environment: env)
        try plugin.configure(overrides: overrides)
        return plugin
    }

    /// Validity words for optional values (nil when nothing is missing).
    static func validity<T>(_ values: [T?]) -> [UInt64]? {
        guard values.contains(where: { $0 == nil }) else { return nil }
        var words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
        for (i, v) in values.enumerated() where v != nil { words[i / 64] |= 1 << UInt64(i % 64) }
        return words
    }

    /// An integer column; nil entries are missing.
    static func ints(_ name: String, _ values: [Int64?]) -> ColumnInput {
        ColumnInput(name: name, values: .integer(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// A double column; nil entries are missing.
    static func doubles(_ name: String, _ values: [Double?]) -> ColumnInput {
        ColumnInput(name: name, values: .double(values.map { $0 ?? 0 }), validity: validity(values))
    }

    /// Statistics whose percentile k is exactly `k * scale`, so the quintile breakpoints are
    /// 20, 40, 60 and 80 times `scale`.
    static func linearStats(scale: Double) -> ColumnStatistics {
        let p = (0...100).map { Double($0) * scale }
        return ColumnStatistics(count: 101, missing: 0, min: 0, max: 100 * scale, mean: 50 * scale,
                                sum: 5050 * scale, percentiles: p)
    }

    /// Statistics computed from `values` the way the host does: percentiles by linear interpolation
    /// between closest ranks (numpy's default).
    static func numericStats(_ values: [Double?]) -> ColumnStatistics {
        let xs = values.compactMap { $0 }.sorted()
        let missing = values.count - xs.count
        guard !xs.isEmpty else { return ColumnStatistics(count: 0, missing: missing) }
        let percentiles: [Double] = (0...100).map { k in
            let h = Double(xs.count - 1) * Double(k) / 100
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, xs.count - 1)
            return xs[lo] + (xs[hi] - xs[lo]) * (h - Double(lo))
        }
        let sum = xs.reduce(0, +)
        return ColumnStatistics(count: xs.count, missing: missing, min: xs.first, max: xs.last,
                                mean: sum / Double(xs.count), sum: sum, percentiles: percentiles)
    }

    /// The label of each row, nil where unassigned.
    static func labels(_ assignment: LabelAssignment) -> [String?] {
        assignment.codes.map { $0 < 0 ? nil : assignment.labels[Int($0)] }
    }

    /// The score of each row, nil where the scorer gave none.
    static func scores(_ column: ScoreColumn) -> [Double?] {
        zip(column.values, column.valid).map { $1 ? $0 : nil }
    }

    /// A numeric array parameter as doubles (whatever integer/float form the host chose).
    static func numbers(_ value: PluginValue?) -> [Double]? {
        guard case .array(let items)? = value else { return nil }
        let ds = items.compactMap(\.doubleValue)
        return ds.count == items.count ? ds : nil
    }

    /// A string array parameter.
    static func strings(_ value: PluginValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        let ss = items.compactMap(\.stringValue)
        return ss.count == items.count ? ss : nil
    }

    /// Asserts that `body` throws a `PluginError` raised by the plugin's own Lua code whose message
    /// contains `fragment`.
    static func assertRuntimeError<T>(_ body: @autoclosure () throws -> T, contains fragment: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let pluginError = error as? PluginError else {
                return XCTFail("expected a PluginError, got \(error)", file: file, line: line)
            }
            guard case .runtime(let message) = pluginError.reason else {
                return XCTFail("expected a runtime error, got \(pluginError.reason)", file: file, line: line)
            }
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" does not contain \"\(fragment)\"",
                          file: file, line: line)
        }
    }
}
