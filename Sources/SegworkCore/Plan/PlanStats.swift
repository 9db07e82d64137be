import Foundation
import LuaHost
import SegworkData

/// The statistics of one column as `prepare(stats, p)` receives them (docs/PLUGINS.md, "Statistics"), in the form
/// plans and statistics files hold them: numeric columns (`integer`, `double`, `date` in days) have `min`, `max`,
/// `mean`, `sum` and the 101 percentiles `p`; text columns (`string`, `bool`) have `distinct` and `top`.
public struct PlanColumnStats: Codable, Sendable, Equatable {
    /// The column's type, which is also the type `seg apply` reads it as.
    public var type: ColumnType
    /// Rows with a value.
    public var count: Int
    /// Rows without one.
    public var missing: Int
    /// Numeric: the smallest value.
    public var min: Double?
    /// Numeric: the largest value.
    public var max: Double?
    /// Numeric: the mean.
    public var mean: Double?
    /// Numeric: the sum.
    public var sum: Double?
    /// Numeric: percentiles 0…100 (101 numbers; empty when `count` is 0).
    public var p: [Double]?
    /// Text: the number of distinct values.
    public var distinct: Int?
    /// Text: the most frequent values, most frequent first (at most 20).
    public var top: [Top]?

    /// A value and how often it occurs.
    public struct Top: Codable, Sendable, Equatable {
        /// The value.
        public var value: String
        /// How many rows have it.
        public var count: Int
    }

    /// Statistics with counts only; the rest is filled in by type.
    init(type: ColumnType, count: Int, missing: Int) { self.type = type; self.count = count; self.missing = missing }

    /// Whether the type carries numeric statistics.
    static func isNumeric(_ t: ColumnType) -> Bool { [.integer, .double, .date].contains(t) }

    /// The statistics of `column`, as a run computes them.
    init(_ column: Column, personal: Bool) {
        var s = column.statistics()
        if personal { s = s.withholdingValues() }
        self.init(s, type: column.type)
    }

    /// `s` for a column of type `type`.
    init(_ s: ColumnStatistics, type: ColumnType) {
        self.type = type; count = s.count; missing = s.missing
        if Self.isNumeric(type) {
            min = s.min; max = s.max; mean = s.mean; sum = s.sum; p = s.percentiles
        } else {
            distinct = s.distinct; top = s.top.map { Top(value: $0.value, count: $0.count) }
        }
    }

    /// What `prepare` receives.
    var columnStatistics: ColumnStatistics {
        ColumnStatistics(count: count, missing: missing, min: min, max: max, mean: mean, sum: sum, percentiles: p ?? [],
                         distinct: distinct, top: (top ?? []).map { .init(value: $0.value, count: $0.count) })
    }
}

/// A statistics file (`seg plan --stats stats.json`, docs/SCALE.md): the statistics of the whole population that a
/// distributed engine computed, per column of the customer table, in format 1:
///
/// ```json
/// { "format": 1, "rows": 3000, "quantiles": "exact", "engine": "spark 4.3.0", "as_of": "2024-12-31",
///   "columns": { "frequency": { "type": "integer", "count": 2950, "missing": 50, "min": 1, "max": 31,
///                               "mean": 6.1, "sum": 17995, "p": [1, 1, …, 31] },
///                "channel":   { "type": "string", "count": 3000, "missing": 0, "distinct": 3,
///                               "top": [ { "value": "web", "count": 1800 }, … ] } } }
/// ```
///
/// `quantiles` is `exact` (type-7 interpolation, Spark SQL's `percentile`) or `approximate` with `relative_error`
/// (Spark's `approxQuantile`/`percentile_approx`: actual values with a rank error of at most `relative_error · n`).
public struct PlanStatsFile: Sendable, Equatable {
    /// The statistics file format this Segwork reads.
    public static let currentFormat = 1
    /// Customers described.
    public var rows: Int
    /// `exact` or `approximate`.
    public var quantiles: String
    /// The rank error bound of approximate quantiles.
    public var relativeError: Double?
    /// The engine that computed the file (free text), if it said.
    public var engine: String?
    /// The reference date the engine computed the features for, if it said.
    public var asOf: CivilDate?
    /// Column name → statistics.
    public var columns: [String: PlanColumnStats]

    /// Reads and checks a statistics file; every problem names `file` and the field.
    public static func read(_ data: Data, file: String) throws -> PlanStatsFile {
        func bad(_ field: String, _ detail: String) -> PlanError { .badStats(file: file, field: field, detail: detail) }
        // JSONDecoder reads numbers exactly (JSONSerialization on Linux can be off in the last bits, and a
        // percentile must reach `prepare` as the engine wrote it).
        let tree: Any
        do { tree = try JSONDecoder().decode(ExactJSON.self, from: data).value } catch {
            throw bad("(file)", "is not valid JSON (\(ExitStatus.message(for: error))); see docs/SCALE.md, \"Statistics files\"")
        }
        guard let root = tree as? [String: Any] else {
            throw bad("(file)", "is not a JSON object (see docs/SCALE.md, \"Statistics files\")")
        }
        let known: Set<String> = ["format", "rows", "quantiles", "relative_error", "engine", "as_of", "columns"]
        if let extra = root.keys.filter({ !known.contains($0) }).sorted().first {
            throw bad(extra, "is not a field of a statistics file; the fields are \(known.sorted().joined(separator: ", "))")
        }
        guard let format = integer(root["format"]) else { throw bad("format", "must be an integer (1)") }
        if format > currentFormat || format < 1 {
            throw bad("format", "is \(format), but this Segwork (\(segworkVersion)) reads statistics files of format \(currentFormat)")
        }
        guard let rows = integer(root["rows"]), rows >= 1 else { throw bad("rows", "must be the whole number of customers, 1 or more (statistics of no customer cannot set breakpoints)") }
        guard let quantiles = root["quantiles"] as? String, ["exact", "approximate"].contains(quantiles) else {
            throw bad("quantiles", "must be \"exact\" or \"approximate\"")
        }
        var relativeError: Double?
        if let e = root["relative_error"] {
            guard let d = number(e), d > 0, d < 1 else { throw bad("relative_error", "must be a number between 0 and 1 (exclusive)") }
            relativeError = d
        }
        if quantiles == "approximate" && relativeError == nil {
            throw bad("relative_error", "is required with \"quantiles\": \"approximate\" (the rank error bound the engine used, e.g. 0.01)")
        }
        if quantiles == "exact" && relativeError != nil {
            throw bad("relative_error", "is only for \"quantiles\": \"approximate\"; exact quantiles have no error")
        }
        var engine: String?
        if let e = root["engine"] { guard let s = e as? String else { throw bad("engine", "must be text") }; engine = s }
        var asOf: CivilDate?
        if let a = root["as_of"] {
            guard let s = a as? String, let d = CivilDate(iso: Substring(s)) else { throw bad("as_of", "must be a date, YYYY-MM-DD") }
            asOf = d
        }
        guard let cols = root["columns"] as? [String: Any], !cols.isEmpty else {
            throw bad("columns", "must be an object of column name → statistics, with at least one column")
        }
        var columns: [String: PlanColumnStats] = [:]
        for name in cols.keys.sorted() {
            columns[name] = try column(cols[name]!, rows: rows) { bad("columns.\(name)\($0.isEmpty ? "" : ".")\($0)", $1) }
        }
        return PlanStatsFile(rows: rows, quantiles: quantiles, relativeError: relativeError, engine: engine, asOf: asOf,
                             columns: columns)
    }

    private static func column(_ value: Any, rows: Int, _ bad: (String, String) -> PlanError) throws -> PlanColumnStats {
        guard let o = value as? [String: Any] else { throw bad("", "must be an object") }
        guard let typeName = o["type"] as? String, let type = ColumnType(rawValue: typeName) else {
            throw bad("type", "must be one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let numeric = PlanColumnStats.isNumeric(type)
        let allowed: Set<String> = numeric ? ["type", "count", "missing", "min", "max", "mean", "sum", "p"]
                                           : ["type", "count", "missing", "distinct", "top"]
        if let extra = o.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw bad(extra, "is not a statistic of \(type.withArticle) column; it has \(allowed.sorted().joined(separator: ", "))")
        }
        guard let count = integer(o["count"]), count >= 0 else { throw bad("count", "must be a whole number, 0 or more") }
        guard let missing = integer(o["missing"]), missing >= 0 else { throw bad("missing", "must be a whole number, 0 or more") }
        if count + missing != rows {
            throw bad("count", "count (\(count)) + missing (\(missing)) must equal rows (\(rows))")
        }
        var s = PlanColumnStats(type: type, count: count, missing: missing)
        if numeric {
            for (key, path) in [("min", \PlanColumnStats.min), ("max", \.max), ("mean", \.mean), ("sum", \.sum)] {
                guard let v = o[key], !(v is NSNull) else {
                    if count > 0 || key == "sum" { throw bad(key, "is required for a numeric column with values") }
                    continue
                }
                guard let d = number(v), d.isFinite else { throw bad(key, "must be a finite number") }
                s[keyPath: path] = d
            }
            if let mean = s.mean, let min = s.min, let max = s.max, !(min <= mean && mean <= max) {
                throw bad("mean", "is \(formatDouble(mean)), outside min \(formatDouble(min)) … max \(formatDouble(max))")
            }
            let p = o["p"] as? [Any] ?? []
            if count == 0 {
                guard p.isEmpty else { throw bad("p", "must be empty when count is 0") }
                s.p = []
            } else {
                guard p.count == 101 else { throw bad("p", "must hold 101 numbers (percentiles 0…100), has \(p.count)") }
                var values: [Double] = []
                for (k, v) in p.enumerated() {
                    guard let d = number(v), d.isFinite else { throw bad("p[\(k)]", "must be a finite number") }
                    if let last = values.last, d < last { throw bad("p[\(k)]", "is \(formatDouble(d)), less than p[\(k - 1)] (\(formatDouble(last))); percentiles never decrease") }
                    values.append(d)
                }
                if values.first != s.min || values.last != s.max {
                    throw bad("p", "p[0] and p[100] must equal min and max")
                }
                s.p = values
            }
        } else {
            guard let distinct = integer(o["distinct"]), distinct >= 0 else { throw bad("distinct", "must be a whole number, 0 or more") }
            s.distinct = distinct
            var top: [PlanColumnStats.Top] = []
            for (k, item) in (o["top"] as? [Any] ?? []).enumerated() {
                guard let t = item as? [String: Any], let value = t["value"] as? String, let n = integer(t["count"]), n > 0 else {
                    throw bad("top[\(k)]", "must be an object { \"value\": text, \"count\": whole number > 0 }")
                }
                top.append(.init(value: value, count: n))
            }
            if top.count > topValueLimit { throw bad("top", "lists \(top.count) values; at most \(topValueLimit)") }
            s.top = top
        }
        return s
    }

    private static func number(_ v: Any?) -> Double? { v as? Double }

    private static func integer(_ v: Any?) -> Int? {
        guard let d = number(v), d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    /// A decoding error of a plan, as a sentence naming the field.
    static func describe(_ e: DecodingError) -> String {
        func path(_ c: [any CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch e {
        case .keyNotFound(let key, let context): return "field '\(path(context.codingPath + [key]))' is missing; make the plan again with `seg plan`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))' has the wrong type; make the plan again with `seg plan`"
        case .dataCorrupted(let context): return "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}

/// A JSON value read by JSONDecoder, as the dictionaries, arrays, strings, `Double`s (exact), `ExactJSON.Boolean`s
/// and `NSNull`s the statistics file's checks walk.
private struct ExactJSON: Decodable {
    /// true or false, kept apart from numbers.
    struct Boolean { var value: Bool }
    var value: Any

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = NSNull() }
        else if let b = try? c.decode(Bool.self) { value = Boolean(value: b) }
        else if let d = try? c.decode(Double.self) { value = d }
        else if let s = try? c.decode(String.self) { value = s }
        else if let a = try? c.decode([ExactJSON].self) { value = a.map(\.value) }
        else { value = try c.decode([String: ExactJSON].self).mapValues(\.value) }
    }
}
