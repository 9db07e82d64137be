import Foundation
import LuaHost
import SegworkData

/// Turns the rows of a test file (plain tables) into typed columns, the form a run hands plugins, so a test goes
/// through the same statistics (`Column.statistics`) and the same row bridge as `seg run`.
///
/// A field's type comes from every value the file gives it (case rows and fixture rows): all integers → integer;
/// integers and floats → double; booleans → bool; strings that are all `YYYY-MM-DD` dates → date (a plugin sees
/// dates as that text, `prepare` sees numeric statistics over days, as in a run); other strings → string. A field
/// with no value anywhere is a text column of missing values.
package enum PluginTestRows {
    /// The type of each of `fields` over `samples`; throws when a field mixes, e.g., numbers and text.
    package static func types(of fields: [String], in samples: [[String: PluginValue]]) throws -> [String: ColumnType] {
        var out: [String: ColumnType] = [:]
        for field in fields {
            var seen = Set<String>()
            var allDates = true
            for row in samples {
                guard let v = row[field] else { continue }
                switch v {
                case .null: continue
                case .int: seen.insert("integer")
                case .double: seen.insert("double")
                case .bool: seen.insert("bool")
                case .string(let s):
                    seen.insert("string")
                    if CivilDate(iso: Substring(s)) == nil || s.count != 10 { allDates = false }
                case .array, .object:
                    throw Problem("field '\(field)' holds a table; row values must be numbers, strings or booleans")
                }
            }
            switch seen {
            case []: out[field] = .string
            case ["integer"]: out[field] = .integer
            case ["double"], ["integer", "double"]: out[field] = .double
            case ["bool"]: out[field] = .bool
            case ["string"]: out[field] = allDates ? .date : .string
            default:
                throw Problem("field '\(field)' mixes \(seen.sorted().joined(separator: " and ")) values; a column has one type")
            }
        }
        return out
    }

    /// The column of `field` over `rows`, typed `type` (missing where a row lacks the field).
    package static func column(_ field: String, type: ColumnType, rows: [[String: PluginValue]]) -> Column {
        let values = rows.map { $0[field] ?? .null }
        let valid = Bitmap(values.map { $0 != .null })
        let storage: Column.Storage
        switch type {
        case .integer: storage = .integer(values.map { if case .int(let i) = $0 { return i }; return 0 })
        case .double: storage = .double(values.map { $0.doubleValue ?? 0 })
        case .bool: storage = .bool(values.map { $0 == .bool(true) })
        case .date: storage = .date(values.map { $0.stringValue.flatMap { CivilDate(iso: Substring($0)) }?.days ?? 0 })
        case .string:
            var dictionary: [String] = [], codeOf: [String: Int32] = [:]
            let codes: [Int32] = values.map { v in
                guard let s = v.stringValue else { return 0 }
                if let c = codeOf[s] { return c }
                codeOf[s] = Int32(dictionary.count); dictionary.append(s)
                return Int32(dictionary.count - 1)
            }
            storage = .string(codes: codes, dictionary: dictionary)
        }
        return Column(name: field, storage: storage, validity: valid)
    }

    /// A row's value as the test file would write it: the value at `i` of a cleaned column.
    package static func value(_ values: ColumnInput.Values, valid: Bool, at i: Int) -> PluginValue {
        guard valid else { return .null }
        switch values {
        case .integer(let v): return .int(v[i])
        case .double(let v): return .double(v[i])
        case .bool(let v): return .bool(v[i])
        case .string(let codes, let dictionary): return .string(dictionary[Int(codes[i])])
        }
    }

    /// A type problem in the rows of a test file.
    package struct Problem: Error, CustomStringConvertible {
        package var description: String
        init(_ d: String) { description = d }
    }
}

extension PluginValue {
    /// The value as a test file would write it, for expected/actual lines: strings quoted, whole floats without a
    /// fraction (`9.0` shows as `9`), tables with sorted keys.
    package var testShown: String {
        switch self {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let a): return "{ " + a.map(\.testShown).joined(separator: ", ") + " }"
        case .object(let o):
            return o.isEmpty ? "{}" : "{ " + o.keys.sorted().map { "\($0) = \(o[$0]!.testShown)" }.joined(separator: ", ") + " }"
        }
    }

    /// Equal as test data: numbers by value (7 equals 7.0), tables element by element.
    package func testEquals(_ other: PluginValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.testEquals($1) }
        case (.object(let a), .object(let b)):
            return Set(a.keys) == Set(b.keys) && a.allSatisfy { $0.value.testEquals(b[$0.key]!) }
        default:
            if let x = doubleValue, let y = other.doubleValue { return x == y }
            return self == other
        }
    }
}
