import SegworkData
import SegworkPostgres

/// RFM computed where the transactions are: one `GROUP BY` query gives a row per customer id with what
/// `RFMFeature.compute` would have accumulated from that customer's rows, so the lines never leave the database.
/// `compute(aggregates:)` then finishes exactly as the row path does (`RFMFeature.finish`).
///
/// **Exact, so equal to the row path.** Counts, the latest date and distinct orders or periods are exact in SQL.
/// An amount total is exact too: a sum of doubles depends on the order of additions, and PostgreSQL's order within
/// a group is not the file's, so each amount x (as float8, as the row path reads it) is split into parts that
/// add up without rounding in any order: its integer part, then the multiples of 2^-26, 2^-52 and 2^-78 that
/// remain, and a residue (nonzero only for amounts below 2^-25 with bits beyond 2^-78). Each part's sum is exact
/// for up to 2^27 transactions per customer; the parts are then added as `numeric` (exact decimals) and rounded
/// to float8 once. The row path sums with Neumaier's compensation, which is that correctly rounded sum as well.
package enum RFMPushDown {
    /// The result's columns, in order: name, PostgreSQL type, and how the reader types them.
    package static let columns: [(name: String, postgres: String, type: ColumnType)] = [
        ("seg_kind", "text", .string), ("seg_customer", "text", .string), ("seg_rows", "int8", .integer),
        ("seg_bad_date", "int8", .integer), ("seg_bad_amount", "int8", .integer), ("seg_no_date", "int8", .integer),
        ("seg_after", "int8", .integer), ("seg_used", "int8", .integer), ("seg_last", "date", .date),
        ("seg_frequency", "int8", .integer), ("seg_monetary", "float8", .double),
        ("seg_step", "int8", .integer), ("seg_line", "int8", .integer), ("seg_rule", "text", .string),
        ("seg_value", "text", .string),
    ]

    /// The aggregate query over the dataset's rows (`select`): per customer id as text (`''` is no id), rows in
    /// all, rows without a date, rows after `reference`, rows that count, the latest date counted, the frequency
    /// and the amount total. `reference` nil: the reference is the latest date, known only afterwards, so every
    /// dated row counts.
    /// With `clean`, the steps run first (as CTEs), and the rows of their report follow the aggregates. Every row
    /// has a kind (`seg_kind`): `a` aggregates, `n` a step's row count, `r` a rejected row; rows are ordered, so the
    /// same data gives the same bytes (and digest).
    /// `amountType`: the amount column's PostgreSQL type (`float4` is read through its text, as COPY writes it).
    package static func sql(select: String, spec: RFMSpec, reference: CivilDate?, amountType: String = "float8",
                            clean: CleanPushDown? = nil) -> String {
        let q = PostgresConnection.quoted
        let options = spec.options.merged()
        let date = "s.seg_date"
        // A row counts when it has a date on or before the reference (any date when the reference is the latest).
        func counts(_ d: String) -> String { reference.map { "\(d) IS NOT NULL AND \(d) <= DATE '\($0)'" } ?? "\(d) IS NOT NULL" }
        let after = reference.map { "count(*) FILTER (WHERE \(date) > DATE '\($0)')" } ?? "0::int8"
        let frequency: String
        switch options.frequency ?? (spec.order != nil ? .orders : .rows) {
        case .rows: frequency = "count(*) FILTER (WHERE s.seg_used)"
        case .orders: frequency = "count(DISTINCT s.seg_order) FILTER (WHERE s.seg_used)"
        case .days: frequency = "count(DISTINCT \(date)) FILTER (WHERE s.seg_used)"
        case .weeks: frequency = "count(DISTINCT date_trunc('week', \(date))) FILTER (WHERE s.seg_used)"
        case .months: frequency = "count(DISTINCT date_trunc('month', \(date))) FILTER (WHERE s.seg_used)"
        case .years: frequency = "count(DISTINCT date_part('year', \(date))) FILTER (WHERE s.seg_used)"
        }
        // Ids as COPY writes them: '' is an id (the reader keeps a quoted empty field), NULL is none.
        let order = spec.order.map { "(q.\(q($0)))::text" } ?? "NULL::text"
        let amount = "q.\(q(spec.amount))"
        let raw = amountType == "float4" ? "(\(amount))::text::float8" : "(\(amount))::float8"
        // Dates the reader takes: years 1 to 9999 (not BC, not infinity).
        let readable = "\(date) >= DATE '0001-01-01' AND \(date) <= DATE '9999-12-31'"
        // x → integer part a0, then the 2^-26, 2^-52 and 2^-78 multiples a1..a3 of what remains, and the residue.
        let x = "s.seg_x"
        let r1 = "(\(x) - c0.a0)", r2 = "(\(r1) - c1.a1)", r3 = "(\(r2) - c2.a2)"
        func part(_ p: String) -> String { "coalesce(sum(\(p)) FILTER (WHERE s.seg_used), 0)" }
        // OFFSET 0 keeps each level a subquery of its own: flattened, the planner would copy the amount's cast
        // into every part below (a numeric → float8 cast goes through text: 3x slower on 5 M rows). Ids group in
        // byte order (COLLATE "C"): the locale's collation made the sort behind GROUP BY take half the time
        // (48 s → 25 s on 10 M rows), and the result comes out in the order it is written in.
        let source = clean.map { "seg_c\($0.steps.count)" } ?? "(\n\(select)\n)"
        let aggregate = """
            SELECT s.seg_customer,
                   count(*) AS seg_rows,
                   count(*) FILTER (WHERE \(date) IS NOT NULL AND NOT (\(readable))) AS seg_bad_date,
                   count(*) FILTER (WHERE s.seg_raw IS NOT NULL AND s.seg_x IS NULL) AS seg_bad_amount,
                   count(*) FILTER (WHERE \(date) IS NULL) AS seg_no_date,
                   \(after) AS seg_after,
                   count(*) FILTER (WHERE s.seg_used) AS seg_used,
                   max(\(date)) FILTER (WHERE s.seg_used AND \(readable)) AS seg_last,
                   \(frequency) AS seg_frequency,
                   ((\(part("c0.a0")))::int8::numeric
                    + ((\(part("c1.a1"))) * 67108864::float8)::int8::numeric * 0.00000001490116119384765625
                    + ((\(part("c2.a2"))) * 4503599627370496::float8)::int8::numeric
                      * 0.0000000000000002220446049250313080847263336181640625
                    + ((\(part("c3.a3"))) * 302231454903657293676544::float8)::int8::numeric
                      * 0.000000000000000000000003308722450212110699485634768279851414263248443603515625
                    + (\(part("\(r3) - c3.a3")))::numeric)::float8 AS seg_monetary
            FROM (SELECT r.*, CASE WHEN abs(r.seg_raw) < 'Infinity'::float8 THEN r.seg_raw END AS seg_x
                  FROM (SELECT ((q.\(q(spec.customer)))::text COLLATE "C") AS seg_customer,
                               q.\(q(spec.date)) AS seg_date,
                               (\(counts("q.\(q(spec.date))"))) AS seg_used,
                               \(order) AS seg_order,
                               \(raw) AS seg_raw
                        FROM \(source) AS q OFFSET 0) AS r OFFSET 0) AS s
            CROSS JOIN LATERAL (SELECT (\(x) + 6755399441055744::float8) - 6755399441055744::float8 AS a0) AS c0
            CROSS JOIN LATERAL (SELECT (\(r1) + 100663296::float8) - 100663296::float8 AS a1) AS c1
            CROSS JOIN LATERAL (SELECT (\(r2) + 1.5::float8) - 1.5::float8 AS a2) AS c2
            CROSS JOIN LATERAL (SELECT (\(r3) + 2.2351741790771484375e-8::float8) - 2.2351741790771484375e-8::float8 AS a3) AS c3
            GROUP BY s.seg_customer
            """
        let nulls = "NULL::text AS seg_customer, NULL::int8 AS seg_rows, NULL::int8 AS seg_bad_date, NULL::int8 AS seg_bad_amount, NULL::int8 AS seg_no_date, NULL::int8 AS seg_after, "
            + "NULL::int8 AS seg_used, NULL::date AS seg_last, NULL::int8 AS seg_frequency, NULL::float8 AS seg_monetary"
        let parts = ["SELECT 'a'::text AS seg_kind, a.*, NULL::int8 AS seg_step, NULL::int8 AS seg_line, NULL::text AS seg_rule, "
                     + "NULL::text AS seg_value FROM (\(aggregate)) AS a"] + (clean?.reportRows(nulls: nulls) ?? [])
        let body = "SELECT * FROM (\(parts.joined(separator: "\nUNION ALL\n"))) AS u\n"
            + "ORDER BY u.seg_kind, u.seg_step, u.seg_line, u.seg_customer COLLATE \"C\""
        return (clean.map { $0.with(select: select) + "\n" } ?? "") + body
    }

    /// The RFM features from the aggregate rows `sql` returned (read with `schema`): the same columns, reference
    /// date and counts as `RFMFeature.compute` over the rows themselves.
    package static func compute(ids: Column, idOrigin: String, aggregates: Table, origin: String, spec: RFMSpec,
                                asOf: CivilDate?, definitionAsOf: CivilDate?) throws -> RFMResult {
        func ints(_ name: String) -> [Int64] {
            guard let c = aggregates[name], case .integer(let v) = c.storage else { return [] }
            return v
        }
        guard let keys = aggregates["seg_customer"], let lastCol = aggregates["seg_last"],
              case .date(let lastDates) = lastCol.storage, let moneyCol = aggregates["seg_monetary"] else {
            throw DataError(file: origin, line: nil, message: "the aggregates read back lack a column of \(columns.map(\.name).joined(separator: ", ")); run again")
        }
        let rows = ints("seg_rows"), noDate = ints("seg_no_date"), after = ints("seg_after"), used = ints("seg_used"),
            freqs = ints("seg_frequency")
        let owner = try KeyIndex(ids: ids, origin: idOrigin).match(keys)
        let n = ids.count
        var last = [Int32](repeating: .min, count: n)
        var money = [Double](repeating: 0, count: n)
        var frequency = [Int64](repeating: 0, count: n)
        var usedCount = 0, afterCount = 0, unmatched = 0
        let kinds = aggregates["seg_kind"]
        let isAggregate = (0..<aggregates.rowCount).map { kinds?.string(at: $0) == "a" }
        // The row path's reader refuses these values; so does the push-down (on every row, as the reader would).
        let badDates = zip(ints("seg_bad_date"), isAggregate).reduce(0) { $0 + ($1.1 ? Int($1.0) : 0) }
        if badDates > 0 {
            throw DataError(file: origin, line: nil, column: spec.date,
                            message: "\(badDates) \(badDates == 1 ? "date is" : "dates are") infinity, BC or past the year 9999, which are not dates Segwork reads; filter them out in the query (e.g. WHERE \(spec.date) BETWEEN '0001-01-01' AND '9999-12-31') or fix them")
        }
        let badAmounts = zip(ints("seg_bad_amount"), isAggregate).reduce(0) { $0 + ($1.1 ? Int($1.0) : 0) }
        if badAmounts > 0 {
            throw DataError(file: origin, line: nil, column: spec.amount,
                            message: "\(badAmounts) \(badAmounts == 1 ? "amount is" : "amounts are") NaN or infinite, which are not numbers; filter them out in the query (e.g. WHERE \(spec.amount) <> 'NaN' AND abs(\(spec.amount)) < 'Infinity') or fix them")
        }
        for g in 0..<aggregates.rowCount where isAggregate[g] {
            let c = Int(owner[g])
            guard c >= 0 else { unmatched += Int(rows[g]); continue }
            unmatched += Int(noDate[g])
            afterCount += Int(after[g])
            usedCount += Int(used[g])
            if lastCol.isValid(g) { last[c] = lastDates[g] }
            money[c] = moneyCol.double(at: g) ?? 0
            frequency[c] = freqs[g]
        }
        let reference: Int32
        if let explicit = RFMFeature.explicitReference(spec: spec, asOf: asOf, definitionAsOf: definitionAsOf) {
            reference = explicit.days
        } else {
            guard let latest = last.filter({ $0 != .min }).max() else {
                throw DataError(file: origin, line: nil, column: spec.date,
                                message: "no transaction matches a customer, so there is no latest date to use; pass --as-of YYYY-MM-DD")
            }
            reference = RFMFeature.latestReference(spec: spec, latest: latest)
        }
        let columns = try RFMFeature.finish(last: last, money: money, frequency: frequency, reference: reference,
                                            ids: ids, spec: spec, options: spec.options.merged(), origin: origin)
        return RFMResult(columns: columns, asOf: CivilDate(days: reference), used: usedCount, afterAsOf: afterCount,
                         unmatched: unmatched)
    }
}
