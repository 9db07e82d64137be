import Foundation
import LuaHost
import SegworkData

/// What a plugin did in one test case.
package enum PluginTestActual: Sendable {
    case label(String)
    case score(Double)
    case none
    case cleaned([String: PluginValue])
    case dropped
    case records([[String: PluginValue]])
    /// The plugin (or its `prepare`, or a parameter override) failed with this message.
    case error(String)
    /// The case itself is wrong for this plugin (a row field the plugin does not use, mixed types).
    case problem(String)

    var shown: String {
        switch self {
        case .label(let l): return "label " + PluginValue.string(l).testShown
        case .score(let s): return "score " + formatDouble(s)
        case .none: return "nil"
        case .cleaned(let row): return "cleaned row " + PluginValue.object(row).testShown
        case .dropped: return "row dropped"
        case .records(let r): return "\(r.count) record\(r.count == 1 ? "" : "s")"
        case .error(let m): return "error: " + m
        case .problem(let m): return "bad case: " + m
        }
    }
}

/// Compares what a case expects with what the plugin did.
package enum PluginTestVerdict {
    /// nil when `actual` meets `expected`; else the expected and actual lines to show.
    package static func compare(_ expected: PluginTestExpectation, _ actual: PluginTestActual)
        -> (expected: String, actual: String)? {
        if case .problem = actual { return (describe(expected), actual.shown) }
        switch (expected, actual) {
        case (.label(let e), .label(let a)) where e == a: return nil
        case (.none, .none), (.dropped, .dropped): return nil
        case (.score(let e, let tolerance), .score(let a)) where abs(e - a) <= tolerance: return nil
        case (.error(let text), .error(let message)) where message.contains(text): return nil
        case (.cleaned(let e), .cleaned(let a)):
            if let d = rowDifference(e, a) { return ("cleaned row " + PluginValue.object(e).testShown, "cleaned row " + PluginValue.object(a).testShown + " (\(d))") }
            return nil
        case (.records(let e), .records(let a)):
            return recordDifference(e, a)
        default:
            return (describe(expected), actual.shown)
        }
    }

    static func describe(_ e: PluginTestExpectation) -> String {
        switch e {
        case .label(let l): return "label " + PluginValue.string(l).testShown
        case .score(let s, let t): return "score " + formatDouble(s) + (t == 1e-9 ? "" : " ± " + formatDouble(t))
        case .cleaned(let row): return "cleaned row " + PluginValue.object(row).testShown
        case .dropped: return "row dropped"
        case .none: return "nil"
        case .records(let r): return "\(r.count) record\(r.count == 1 ? "" : "s")"
        case .error(let text): return "an error containing " + PluginValue.string(text).testShown
        case .invalid: return "a well-formed case"
        }
    }

    /// The first field whose value differs (a field left out is nil), or nil when the rows are equal.
    static func rowDifference(_ e: [String: PluginValue], _ a: [String: PluginValue]) -> String? {
        for key in Set(e.keys).union(a.keys).sorted() {
            let x = e[key] ?? .null, y = a[key] ?? .null
            if !x.testEquals(y) { return "\(key): expected \(x.testShown), got \(y.testShown)" }
        }
        return nil
    }

    /// The first difference between expected and emitted records: a record that differs, or a missing or extra one.
    static func recordDifference(_ e: [[String: PluginValue]], _ a: [[String: PluginValue]]) -> (expected: String, actual: String)? {
        for i in 0..<min(e.count, a.count) {
            if let unknown = e[i].keys.sorted().first(where: { a[i][$0] == nil }) {
                return ("record \(i + 1): \(PluginValue.object(e[i]).testShown)",
                        "the source declares no column '\(unknown)' (declared: \(a[i].keys.sorted().joined(separator: ", ")))")
            }
            let shownActual = a[i].filter { $0.value != .null }
            if let d = rowDifference(e[i], shownActual) {
                return ("record \(i + 1): \(PluginValue.object(e[i]).testShown)",
                        "record \(i + 1): \(PluginValue.object(shownActual).testShown) (\(d))")
            }
        }
        if e.count == a.count { return nil }
        let n = min(e.count, a.count)
        if a.count > n {
            return ("\(e.count) record\(e.count == 1 ? "" : "s")",
                    "\(a.count) records; record \(n + 1) is extra: \(PluginValue.object(a[n].filter { $0.value != .null }).testShown)")
        }
        return ("\(e.count) records; record \(n + 1): \(PluginValue.object(e[n]).testShown)",
                "\(a.count) record\(a.count == 1 ? "" : "s"); record \(n + 1) is missing")
    }
}
