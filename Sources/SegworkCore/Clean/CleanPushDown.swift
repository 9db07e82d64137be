import Foundation
import SegworkData
import SegworkPostgres

/// A pushed-down dataset's `clean:` steps as SQL (docs/POSTGRES.md, "Push-down"): only the steps SQL decides
/// exactly as `Cleaner` does, on the rows in the order the query returns them.
/// - `dedupe` (first, last, latest) on keys that are text, integers, dates or booleans (never doubles): the row
///   kept is the same row, as rows are numbered in the order read (`seg_row`) and rows with a missing key part are
///   never duplicates;
/// - `validate` with `required` and `range` (numbers or dates, inclusive), rejecting or stopping.
///
/// Each step is a CTE over the one before it (`seg_c0` numbers the rows); the push-down query returns, besides the
/// aggregates, the rows each step kept (kind `n`) and each rejected row's line, rule and value (kind `r`), so the
/// cleaning report and rejects.csv come out of the same snapshot as the aggregates.
package struct CleanPushDown {
    /// The steps, in order.
    let steps: [CleanStep]
    /// The query's columns in order, with how Segwork reads each (key columns as text) and their PostgreSQL type.
    let columns: [(name: String, type: ColumnType, postgres: String)]

    /// The steps of `spec` as SQL, or why they cannot be (nil steps: none to push).
    /// `described`: the query's columns; `text`: the columns Segwork reads as text whatever their type.
    static func make(_ steps: [CleanStep], described: [PostgresColumn], text: Set<String>) -> (CleanPushDown?, String?) {
        let columns = described.map { c in (c.name, text.contains(c.name) ? ColumnType.string : c.segworkType ?? .string, c.typeName) }
        let types = Dictionary(columns.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        for (i, step) in steps.enumerated() {
            let where_ = "clean step \(i + 1) (\(step.name))"
            for c in step.columns where types[c] == nil { return (nil, "\(where_) names column '\(c)', which the query lacks") }
            // char(n): COPY keeps its padding, which a cast to text drops.
            if let c = step.columns.first(where: { name in columns.first { $0.0 == name }?.2 == "bpchar" }) {
                return (nil, "\(where_) reads '\(c)', a char(n) column; cast it to text in the query")
            }
            switch step.action {
            case .dedupe(let key, let keep):
                if let k = key.first(where: { types[$0] == .double }) { return (nil, "\(where_) compares doubles ('\(k)')") }
                if case .latest(let by) = keep, ![.date, .integer, .double].contains(types[by]) {
                    return (nil, "\(where_) keeps the latest of '\(by)', which is not a number or date")
                }
            case .validate(let v):
                if v.allowed != nil || v.regex != nil { return (nil, "\(where_) checks allowed values or a regex") }
                if let range = v.range {
                    let t = types[v.column]!
                    guard t == .integer || t == .double || t == .date, range.dates == (t == .date) else {
                        return (nil, "\(where_) checks a range the column's type does not fit")
                    }
                }
            default:
                return (nil, "\(where_) is not exact in SQL (only dedupe and validate required/range are pushed down)")
            }
        }
        return (CleanPushDown(steps: steps, columns: columns), nil)
    }

    private var list: String { (["t.seg_row"] + columns.map { "t." + PostgresConnection.quoted($0.name) }).joined(separator: ", ") }

    /// Column `name` as the reader would type it: text for text-read columns ('' is a value, as a quoted empty
    /// field is for the reader; NULL is missing), float4 through its text (as COPY writes it).
    private func value(_ name: String) -> String {
        let q = "t." + PostgresConnection.quoted(name)
        let column = columns.first { $0.name == name }
        if column?.type == .string { return "(\(q))::text" }
        return column?.postgres == "float4" ? "(\(q))::text::float8" : q
    }

    /// The rule a row breaks at validate step `v` (`'required'`, `'range'`), NULL when it passes.
    private func rule(_ v: ValidateSpec) -> String {
        let x = value(v.column)
        var out = "CASE WHEN \(x) IS NULL THEN \(v.required ? "'required'" : "NULL")"
        if let range = v.range {
            let number = range.dates ? "((\(x)) - DATE '1970-01-01')::float8" : "(\(x))::float8"
            out += " WHEN NOT (\(number) >= \(Self.float(range.min)) AND \(number) <= \(Self.float(range.max))) THEN 'range'"
        }
        return out + " END"
    }

    private static func float(_ d: Double) -> String {
        d.isInfinite ? (d < 0 ? "'-Infinity'::float8" : "'Infinity'::float8") : "'\(String(format: "%.17g", d))'::float8"
    }

    /// `WITH seg_c0 AS (…), …, seg_cN AS (…)` over `select`; the cleaned rows are `seg_c<steps.count>`.
    func with(select: String) -> String {
        var ctes = ["seg_c0 AS (SELECT row_number() OVER () AS seg_row, q.* FROM (\n\(select)\n) AS q)"]
        for (i, step) in steps.enumerated() {
            let from = "seg_c\(i) AS t"
            switch step.action {
            case .dedupe(let key, let keep):
                let keys = key.map(value)
                let order: String
                switch keep {
                case .first: order = "t.seg_row"
                case .last: order = "t.seg_row DESC"
                case .latest(let by): order = "t.\(PostgresConnection.quoted(by)) DESC NULLS LAST, t.seg_row"
                }
                let missing = keys.map { "\($0) IS NULL" }.joined(separator: " OR ")
                ctes.append("seg_c\(i + 1) AS (SELECT \(list) FROM (SELECT t.*, row_number() OVER (PARTITION BY \(keys.joined(separator: ", ")) ORDER BY \(order)) AS seg_rank, (\(missing)) AS seg_nokey FROM \(from)) AS t WHERE t.seg_nokey OR t.seg_rank = 1)")
            case .validate(let v):
                ctes.append("seg_c\(i + 1) AS (SELECT \(list) FROM \(from) WHERE (\(rule(v))) IS NULL)")
            default:
                preconditionFailure("make(_:) lets only dedupe and validate through")
            }
        }
        return "WITH " + ctes.joined(separator: ",\n     ")
    }

    /// The report rows, in the push-down's column layout after `seg_kind`: each step's rows (`n`, step 0 = read) and
    /// each rejected row (`r`: step, line, rule, value as text). `nulls` fills the aggregate columns.
    func reportRows(nulls: String) -> [String] {
        var out = (0...steps.count).map {
            "SELECT 'n'::text, \(nulls.replacingOccurrences(of: "NULL::int8 AS seg_rows", with: "count(*) AS seg_rows")), \($0)::int8, NULL::int8, NULL::text, NULL::text FROM seg_c\($0)"
        }
        for (i, step) in steps.enumerated() {
            guard case .validate(let v) = step.action else { continue }
            let type = columns.first { $0.name == v.column }!.type
            let shown = type == .double ? "(\(value(v.column)))::float8::text" : "(\(value(v.column)))::text"
            out.append("SELECT 'r'::text, \(nulls), \(i + 1)::int8, t.seg_row + 1, (\(rule(v))), \(shown) FROM seg_c\(i) AS t WHERE (\(rule(v))) IS NOT NULL")
        }
        return out
    }

    /// The cleaning report and rejects from the report rows of `table` (kinds in `kinds`), as `Cleaner.run` makes
    /// them; a `stop` step's first rejected row is the error the row path raises.
    func report(dataset: String, origin: String, table: Table, kinds: [String?]) throws -> (DatasetCleaning, [CleaningReject]) {
        func int(_ name: String, _ row: Int) -> Int? { table[name]?.double(at: row).map { Int($0) } }
        let rule = table["seg_rule"]!, value = table["seg_value"]!
        var counts = [Int](repeating: 0, count: steps.count + 1)
        var rejected: [Int: [(line: Int, rule: String, value: String)]] = [:]
        for i in 0..<table.rowCount {
            guard let kind = kinds[i], let k = int("seg_step", i), k >= 0, k <= steps.count else { continue }
            if kind == "n" { counts[k] = int("seg_rows", i) ?? 0 }
            if kind == "r", k >= 1 {
                rejected[k, default: []].append((int("seg_line", i) ?? 0, rule.string(at: i) ?? "",
                                                 Self.shown(value.string(at: i), columns, steps[k - 1])))
            }
        }
        var reports: [CleanStepReport] = []
        var rejects: [CleaningReject] = []
        for (i, s) in steps.enumerated() {
            var r = CleanStepReport(step: i + 1, name: s.name, description: "", rowsRemoved: counts[i] - counts[i + 1],
                                    valuesChanged: 0, valuesFilled: 0, rejects: 0)
            switch s.action {
            case .dedupe(let key, let keep): r.description = Cleaner.describeDedupe(key: key, keep: keep)
            case .validate(let v):
                r.description = Cleaner.describeValidate(v)
                let these = (rejected[i + 1] ?? []).sorted { $0.line < $1.line }
                if v.onError == .stop, let first = these.first {
                    throw DataError(file: origin, line: first.line, column: v.column,
                                    message: "record \(first.line - 1) of dataset '\(dataset)' breaks validate rule '\(first.rule)' with value '\(first.value)' (clean step \(i + 1)); fix the value, or drop 'on_error: stop' to send failing rows to rejects.csv")
                }
                r.rejects = these.count
                rejects += these.map { CleaningReject(dataset: dataset, line: $0.line, column: v.column, rule: $0.rule, value: $0.value) }
            default: break
            }
            reports.append(r)
        }
        return (DatasetCleaning(dataset: dataset, rowsIn: counts[0], rowsOut: counts[steps.count], steps: reports), rejects)
    }

    /// A rejected value as the row path shows it (`Column.string(at:)`): a double in Segwork's format.
    private static func shown(_ text: String?, _ columns: [(name: String, type: ColumnType, postgres: String)], _ step: CleanStep) -> String {
        guard let text else { return "" }
        guard case .validate(let v) = step.action, columns.first(where: { $0.name == v.column })?.type == .double,
              let d = Double(text) else { return text }
        return Column(name: "", storage: .double([d])).string(at: 0) ?? text
    }
}
