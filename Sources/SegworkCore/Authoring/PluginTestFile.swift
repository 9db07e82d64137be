import Foundation
import LuaHost
import SegworkData

/// What one test case expects a plugin to do.
package enum PluginTestExpectation: Equatable, Sendable {
    /// A criterion returns this label.
    case label(String)
    /// A scorer returns this number, within `tolerance`.
    case score(Double, tolerance: Double)
    /// A cleaner returns this row (fields it leaves out are expected missing).
    case cleaned([String: PluginValue])
    /// A cleaner drops the row (`clean` returns nil).
    case dropped
    /// A criterion or scorer returns nil: no label, no score.
    case none
    /// A source emits these records, all of them, in order.
    case records([[String: PluginValue]])
    /// The case fails with an error whose message contains this text (plain text, not a pattern).
    case error(String)
    /// The case itself is malformed (this says how): it fails without running, and the file's other cases still run.
    case invalid(String)
}

/// One case of a plugin's test file.
package struct PluginTestCase: Sendable {
    /// The case's `name`, or `#n` (its position) when it has none.
    package var name: String
    /// The row given to `assign`, `score` or `clean` (missing fields are nil); sources have none.
    package var row: [String: PluginValue]
    /// Parameter overrides: the file's `params`, then the case's over them.
    package var params: [String: PluginValue]
    /// Rows whose statistics `prepare` sees: the case's `fixture`, else the file's, else the rows of every case.
    package var fixture: [[String: PluginValue]]
    /// Which fixture that is — -1: every case's rows, 0: the file's, n: case n's own — so the runner types it and
    /// builds its statistics once, not once per case.
    package var fixtureKey = -1
    /// What the plugin must do.
    package var expect: PluginTestExpectation
    /// The reference date as seconds since 1970 (`as_of = "YYYY-MM-DD"`): what `os.time()` returns, as in a run
    /// with `--as-of`; nil leaves the clock running, as in a run without one.
    package var asOf: Int64? = nil
}

/// A problem in a test file: names the file and the case, and says what to write instead.
package struct PluginTestFileError: Error, CustomStringConvertible, Sendable {
    package var file: String
    package var message: String
    package var description: String { "\(file): \(message)" }
}

/// Reads the plain data a `*.test.lua` file returns into cases for a plugin of a given kind.
///
/// Format: either a list of cases, or a table `{ params = {…}, fixture = {…}, cases = {…} }` (shared
/// parameter overrides and fixture rows for every case). A case is a table with an optional `name`, `row`
/// (not for sources), optional `params` and `fixture`, and exactly one expectation:
/// `label = "…"` (criterion), `score = n` with optional `tolerance` (scorer), `cleaned = {…}` or
/// `dropped = true` (cleaner), `none = true` (criterion or scorer: nil), `records = {…}` (source) or
/// `error = "text"` (any kind: the message contains the text).
package struct PluginTestFileParser {
    /// How the test file is named in messages (`criteria/nps.test.lua`).
    package let file: String
    /// The kind of the plugin under test; decides which expectations are allowed.
    package let kind: PluginKind

    static let caseKeys = ["name", "row", "params", "fixture", "as_of", "label", "score", "tolerance", "cleaned",
                           "dropped", "none", "records", "error"]
    static let fileKeys = ["params", "fixture", "as_of", "cases"]

    package init(file: String, kind: PluginKind) { self.file = file; self.kind = kind }

    /// The cases in `value` (what the file returned).
    package func cases(from value: PluginValue) throws -> [PluginTestCase] {
        var shared: [String: PluginValue] = [:]
        var sharedFixture: [[String: PluginValue]]?
        var sharedAsOf: Int64?
        let items: [PluginValue]
        switch value {
        case .array(let list): items = list
        case .object(let fields):
            try checkKeys(fields, Self.fileKeys, "the returned table")
            guard case .array(let list)? = fields["cases"] else {
                throw fail("the returned table needs 'cases = { … }', a list of cases (or return the list itself)")
            }
            items = list
            if let p = fields["params"] { shared = try object(p, "params") }
            if let f = fields["fixture"] { sharedFixture = try rows(f, "fixture") }
            if let a = fields["as_of"] { sharedAsOf = try date(a, "as_of") }
        default:
            throw fail("must return a list of cases, e.g. return { { row = {…}, label = \"…\" } }; got a \(value.typeName)")
        }
        guard !items.isEmpty else { throw fail("has no cases; add at least one") }
        var parsed: [(PluginTestCase, [[String: PluginValue]]?)] = []
        for (index, item) in items.enumerated() {
            do {
                parsed.append(try testCase(item, index: index + 1, shared: shared))
            } catch let error as PluginTestFileError {
                // One malformed case fails alone; the others still run.
                var name = "#\(index + 1)"
                if case .object(let f) = item, case .string(let n)? = f["name"], !n.isEmpty { name = n }
                parsed.append((PluginTestCase(name: name, row: [:], params: [:], fixture: [], expect: .invalid(error.description)), nil))
            }
        }
        let allRows = parsed.filter { if case .invalid = $0.0.expect { return false }; return true }.map(\.0.row)
        return parsed.enumerated().map { index, item in
            var (c, own) = item
            c.fixture = own ?? sharedFixture ?? allRows
            c.fixtureKey = own != nil ? index + 1 : sharedFixture != nil ? 0 : -1
            c.asOf = c.asOf ?? sharedAsOf
            return c
        }
    }

    private func testCase(_ value: PluginValue, index: Int, shared: [String: PluginValue])
        throws -> (PluginTestCase, [[String: PluginValue]]?) {
        let fields: [String: PluginValue]
        switch value {
        case .object(let o): fields = o
        case .array(let a) where a.isEmpty: fields = [:]
        default: throw fail("case #\(index) must be a table like { row = {…}, label = \"…\" }; got a \(value.typeName)")
        }
        var name = "#\(index)"
        if let n = fields["name"] {
            guard case .string(let s) = n, !s.isEmpty else { throw fail("case #\(index): 'name' must be a non-empty string") }
            name = s
        }
        let at = "case '\(name)'"
        try checkKeys(fields, Self.caseKeys, at)
        var params = shared
        if let p = fields["params"] { params.merge(try object(p, "\(at): params")) { $1 } }
        let row = try fields["row"].map { try dataRow($0, "\(at): row") } ?? [:]
        if kind == .source, fields["row"] != nil {
            throw fail("\(at): a source reads a file, not a row; give the file in params and the expected 'records'")
        }
        let fixture = try fields["fixture"].map { try rows($0, "\(at): fixture") }
        let expect = try expectation(fields, at)
        let asOf = try fields["as_of"].map { try date($0, "\(at): as_of") }
        return (PluginTestCase(name: name, row: row, params: params, fixture: [], expect: expect, asOf: asOf), fixture)
    }

    private func expectation(_ f: [String: PluginValue], _ at: String) throws -> PluginTestExpectation {
        let given = ["label", "score", "cleaned", "dropped", "none", "records", "error"].filter { f[$0] != nil }
        let allowed: [String]
        switch kind {
        case .criterion: allowed = ["label = \"…\"", "none = true", "error = \"…\""]
        case .scorer: allowed = ["score = n", "none = true", "error = \"…\""]
        case .cleaner: allowed = ["cleaned = {…}", "dropped = true", "error = \"…\""]
        case .source: allowed = ["records = {…}", "error = \"…\""]
        }
        let hint = "a \(kind.rawValue) case expects one of \(allowed.joined(separator: ", "))"
        guard given.count == 1, let key = given.first else {
            throw fail("\(at) " + (given.isEmpty ? "expects nothing; \(hint)" : "expects both \(given.joined(separator: " and ")); \(hint)"))
        }
        guard allowed.contains(where: { $0.hasPrefix(key + " ") }) else { throw fail("\(at): '\(key)' does not fit; \(hint)") }
        if f["tolerance"] != nil, key != "score" { throw fail("\(at): 'tolerance' goes with 'score'") }
        let value = f[key]!
        switch key {
        case "label":
            guard case .string(let s) = value else { throw fail("\(at): 'label' must be a string (for no label write none = true)") }
            return .label(s)
        case "score":
            guard let d = value.doubleValue else { throw fail("\(at): 'score' must be a number (for no score write none = true)") }
            var tolerance = 1e-9
            if let t = f["tolerance"] {
                guard let td = t.doubleValue, td >= 0 else { throw fail("\(at): 'tolerance' must be a number of 0 or more") }
                tolerance = td
            }
            return .score(d, tolerance: tolerance)
        case "cleaned": return .cleaned(try object(value, "\(at): cleaned"))
        case "records": return .records(try rows(value, "\(at): records"))
        case "error":
            guard case .string(let s) = value, !s.isEmpty else { throw fail("\(at): 'error' must be the text the message contains") }
            return .error(s)
        default:
            guard value == .bool(true) else { throw fail("\(at): write \(key) = true") }
            return key == "dropped" ? .dropped : .none
        }
    }

    private func checkKeys(_ fields: [String: PluginValue], _ known: [String], _ at: String) throws {
        for key in fields.keys.sorted() where !known.contains(key) {
            // Up to two edits (a swapped pair, "lable") for words of four letters or more.
            let limit = key.count >= 4 ? 2 : 1
            var near: (word: String, distance: Int)?
            for word in known {
                let d = editDistance(key, word)
                if d <= limit, d < (near?.distance ?? Int.max) { near = (word, d) }
            }
            let hint = near.map { "did you mean '\($0.word)'? " } ?? ""
            throw fail("\(at) has an unknown field '\(key)'; \(hint)known: \(known.joined(separator: ", "))")
        }
    }

    private func object(_ value: PluginValue, _ what: String) throws -> [String: PluginValue] {
        if case .object(let o) = value { return o }
        if case .array(let a) = value, a.isEmpty { return [:] }
        throw fail("\(what) must be a table of names to values, e.g. { nps_score = 9 }; got a \(value.typeName)")
    }

    private func rows(_ value: PluginValue, _ what: String) throws -> [[String: PluginValue]] {
        guard case .array(let list) = value else { throw fail("\(what) must be a list of rows, e.g. { { x = 1 }, { x = 2 } }") }
        return try list.enumerated().map { try dataRow($0.element, "\(what)[\($0.offset + 1)]") }
    }

    /// A row as data can give it: no NaN or infinity, which a run never passes to a plugin (files refuse them or read
    /// them as missing), so a test cannot pass on behaviour that cannot happen.
    private func dataRow(_ value: PluginValue, _ what: String) throws -> [String: PluginValue] {
        let row = try object(value, what)
        for key in row.keys.sorted() {
            if case .double(let d) = row[key]!, !d.isFinite {
                throw fail("\(what): '\(key)' is \(formatDouble(d)), which a run never gives a plugin (the data reads it as missing); leave the field out to test a missing value")
            }
        }
        return row
    }

    private func date(_ value: PluginValue, _ what: String) throws -> Int64 {
        guard let text = value.stringValue, text.count == 10, let day = CivilDate(iso: Substring(text)) else {
            throw fail("\(what) must be a date written \"YYYY-MM-DD\"; got \(value.testShown)")
        }
        return Int64(day.days) * 86_400
    }

    private func fail(_ message: String) -> PluginTestFileError { PluginTestFileError(file: file, message: message) }
}
