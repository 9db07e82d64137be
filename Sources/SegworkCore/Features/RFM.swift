import SegworkData
/// Recency, frequency and monetary value per customer, derived from a transactions dataset.
///
/// - recency_days: days from the customer's latest transaction on or before the reference date to that date;
/// - frequency: distinct order ids (or transaction rows when no order column is given), or what
///   `features.rfm.frequency` says (rows, orders, distinct days, weeks, months or years);
/// - monetary: sum of amounts, with compensated summation so it does not depend on row order (missing amounts
///   count as 0 but the order still counts), or with `monetary: mean`
///   that sum divided by frequency.
/// Transactions after the reference date, or without a customer id or date, are left out and counted.
/// Customers without transactions keep missing values in all three columns (and in the scores, when
/// scoring is on: see `RFMScores`).
package struct RFMResult: Sendable {
    /// The new columns: recency_days, frequency, monetary, then (scoring on) r_score, f_score, m_score, rfm_score.
    public var columns: [Column]
    /// The reference date used.
    public var asOf: CivilDate
    /// Transactions used.
    public var used: Int
    /// Transactions left out: after the reference date.
    public var afterAsOf: Int
    /// Transactions left out: no customer id, no date, or a customer not in the population.
    public var unmatched: Int
}

/// Computes RFM features.
package enum RFMFeature {
    /// One customer's running totals: latest date (Int32.min: none yet), rows used, amount sum.
    private struct Accumulator {
        var last = Int32.min
        var rows: Int32 = 0
        var money: Double = 0
        /// Neumaier's running compensation: `money + moneyError` is the sum as if added exactly, then rounded once.
        var moneyError: Double = 0
    }

    /// An amount column read as text: the first value that is not a number as the reader sees it (with the file's
    /// decimal mark; nan, 1e309 and 1e-400 are text), its line, and what to do (`ReadHints.number`: thousands
    /// separators, decimal commas; a header read as a record). Never "declare it as string": an amount is a number.
    private static func amountError(_ column: Column, _ name: String, _ table: Table, _ origin: String,
                                    _ format: TextFormat) -> DataError {
        let bad = (0..<column.count).lazy.compactMap { i in
            column.string(at: i).flatMap { s -> (Int, String)? in
                let number = s.withUTF8Bytes { b -> Bool in
                    if ValueParsing.integer(b) != nil { return true }
                    let checked = format.decimalComma ? ValueParsing.withDecimalPoint(b, ValueParsing.finiteDouble)
                        : ValueParsing.finiteDouble(b)
                    if case .value? = checked { return true }
                    return false
                }
                return number ? nil : (i, s)
            }
        }.first
        let line = bad.flatMap { table.rowLines?.line(of: $0.0) }
        var message = "column '\(name)' must be numeric but was read as \(column.type.rawValue)"
        guard let (row, text) = bad else {
            return DataError(file: origin, line: nil, column: name, message: message + "; fix its values")
        }
        message += ": '\(text)' (record \(row + 1)) is not a number; "
        if let hint = ReadHints.number(text, decimalComma: format.decimalComma) {
            message += hint
        } else if row == 0, !format.header, let line {
            message += ReadHints.headerLine(line)
        } else {
            message += "fix the value (numbers are written like -1234\(format.decimalComma ? "," : ".")5), or leave "
                + "the field empty for a missing amount"
        }
        return DataError(file: origin, line: line, column: name, message: message)
    }

    /// Output column names.
    public static let outputs = ["recency_days", "frequency", "monetary"]

    /// Computes the features for `population` (ids in `ids`) from `transactions`.
    /// The reference date is, first to last: `asOf` (`--as-of`), `features.rfm.reference`, `definitionAsOf`
    /// (`as_of:`), the preset's reference, the latest transaction date.
    /// `format` is how the transactions file was read (its decimal mark and header say what an amount error advises).
    public static func compute(ids: Column, idOrigin: String, transactions: Table, origin: String,
                               spec: RFMSpec, asOf: CivilDate?, definitionAsOf: CivilDate? = nil,
                               format: TextFormat = TextFormat()) throws -> RFMResult {
        let options = spec.options.merged()
        func col(_ name: String, _ role: String) throws -> Column {
            guard let c = transactions[name] else {
                throw DataError(file: origin, line: nil, column: name,
                                message: "features.rfm.\(role) names column '\(name)', which is not in the file; columns: \(transactions.columnNames.joined(separator: ", "))")
            }
            return c
        }
        let cust = try col(spec.customer, "customer")
        let dateCol = try col(spec.date, "date")
        let amountCol = try col(spec.amount, "amount")
        guard case .date(let dates) = dateCol.storage else {
            // 19970101 read as an integer: say how to read it as a date.
            if let first = (0..<dateCol.count).lazy.compactMap({ dateCol.string(at: $0) }).first,
               first.withUTF8Bytes(ValueParsing.isCompactDate) {
                throw DataError(file: origin, line: nil, column: spec.date,
                                message: "column '\(spec.date)' must hold dates but was read as \(dateCol.type.rawValue) "
                                    + "('\(first)'); " + ValueParsing.compactDateHint(spec.date))
            }
            let bad = (0..<dateCol.count).lazy.compactMap { i in dateCol.string(at: i).flatMap { CivilDate(iso: Substring($0)) == nil ? (i, $0) : nil } }.first
            let example = bad.map { " (record \($0.0 + 1) has '\($0.1)')" } ?? ""
            throw DataError(file: origin, line: nil, column: spec.date,
                            message: "column '\(spec.date)' must hold dates (YYYY-MM-DD) but was read as \(dateCol.type.rawValue)\(example); fix the value or declare it in the dataset schema as date")
        }
        guard amountCol.isNumeric else { throw amountError(amountCol, spec.amount, transactions, origin, format) }
        let orderCol = try spec.order.map { try col($0, "order") }
        var owner = try KeyIndex(ids: ids, origin: idOrigin).match(cust)
        let n = ids.count
        let tn = transactions.rowCount
        let dateValid = dateCol.validity
        @inline(__always) func isSet(_ bits: Bitmap?, _ i: Int) -> Bool { bits.map { $0[i] } ?? true }

        let chosen = asOf.map { .date($0) } ?? spec.options.reference ?? definitionAsOf.map { .date($0) }
            ?? options.reference ?? .last
        var reference: Int32
        if case .date(let d) = chosen { reference = d.days } else {
            var latest = Int32.min
            for i in 0..<tn where isSet(dateValid, i) && owner[i] >= 0 { latest = max(latest, dates[i]) }
            guard latest != Int32.min else {
                throw DataError(file: origin, line: nil, column: spec.date,
                                message: "no transaction matches a customer, so there is no latest date to use; pass --as-of YYYY-MM-DD")
            }
            reference = chosen == .dayAfter ? latest + 1 : latest
        }

        // Amounts as doubles (integers converted exactly as `Column.double(at:)` does); missing or non-finite add 0.
        let amounts: [Double]
        switch amountCol.storage {
        case .double(let v): amounts = v
        case .integer(let v): amounts = v.map { Double($0) }
        default: amounts = (0..<amountCol.count).map { amountCol.double(at: $0) ?? 0 }
        }
        let amountValid = amountCol.validity
        let orderValid = orderCol?.validity
        // One 16-byte record per customer, so a transaction touches one cache line, not three.
        var acc = [Accumulator](repeating: Accumulator(), count: n)
        var used = 0, after = 0, unmatched = 0
        for i in 0..<tn {
            let c = owner[i]
            guard c >= 0, isSet(dateValid, i) else { unmatched += 1; owner[i] = -1; continue }
            let d = dates[i]
            if d > reference { after += 1; owner[i] = -1; continue }
            used += 1
            let ci = Int(c)
            if d > acc[ci].last { acc[ci].last = d }
            let a = amounts[i]
            if a.isFinite && isSet(amountValid, i) {
                // Compensated (Neumaier) summation: a customer's total does not depend on the order of its rows, and
                // amounts equal to the cent add up to equal totals (pandas and R sum with compensation or extra
                // precision, so their ties and breakpoints are the same).
                let s = acc[ci].money, t = s + a
                acc[ci].moneyError += abs(s) >= abs(a) ? (s - t) + a : (a - t) + s
                acc[ci].money = t
            }
            acc[ci].rows += 1
        }
        // From here on owner[i] >= 0 means: row i counts for customer owner[i].
        var freq: [Int64]
        switch options.frequency ?? (orderCol != nil ? .orders : .rows) {
        case .rows:
            freq = acc.map { Int64($0.rows) }
        case .orders:
            guard let orderCol else { preconditionFailure("frequency: orders without an order column is refused when parsed") }
            // Only rows with an order id count an order.
            for i in 0..<tn where owner[i] >= 0 && !isSet(orderValid, i) { owner[i] = -1 }
            freq = DistinctOrders.count(owner: owner, customers: n, orders: orderCol)
        case let period:
            let keys = Column(name: "", storage: .integer(periodKeys(dates, owner: owner, period: period)))
            freq = DistinctOrders.count(owner: owner, customers: n, orders: keys)
        }
        let totals = acc.map { $0.money.isFinite ? $0.money + $0.moneyError : $0.money }
        let columns = try finish(last: acc.map(\.last), money: totals, frequency: freq, reference: reference,
                                 ids: ids, spec: spec, options: options, origin: origin)
        return RFMResult(columns: columns,
                         asOf: CivilDate(days: reference), used: used, afterAsOf: after, unmatched: unmatched)
    }
}

extension RFMFeature {
    /// The reference date the definition or `--as-of` sets, or nil when it is the latest transaction (or the day
    /// after): `asOf` (`--as-of`), `features.rfm.reference`, `definitionAsOf` (`as_of:`), the preset's reference.
    static func explicitReference(spec: RFMSpec, asOf: CivilDate?, definitionAsOf: CivilDate?) -> CivilDate? {
        let chosen = asOf.map { .date($0) } ?? spec.options.reference ?? definitionAsOf.map { .date($0) }
            ?? spec.options.merged().reference ?? .last
        if case .date(let d) = chosen { return d }
        return nil
    }

    /// The reference date when it is the latest transaction (`latest`, the latest date of a transaction that
    /// counts) or the day after.
    static func latestReference(spec: RFMSpec, latest: Int32) -> Int32 {
        let chosen = spec.options.reference ?? spec.options.merged().reference ?? .last
        return chosen == .dayAfter ? latest + 1 : latest
    }

    /// The feature columns from each customer's latest counted date (`Int32.min`: none), amount total and
    /// frequency: recency_days, frequency and monetary (missing for customers with no counted transaction), then
    /// the scores when scoring is on. Shared by the row path and the push-down path (`PushDown`), so both finish
    /// alike.
    static func finish(last: [Int32], money totals: [Double], frequency: [Int64], reference: Int32, ids: Column,
                       spec: RFMSpec, options: RFMOptions, origin: String) throws -> [Column] {
        let n = last.count
        var freq = frequency
        var valid = Bitmap(count: n, allSet: true)
        var recency = [Int64](repeating: 0, count: n)
        var money = [Double](repeating: 0, count: n)
        for i in 0..<n {
            if last[i] == Int32.min { valid[i] = false; freq[i] = 0 }
            else {
                recency[i] = Int64(reference - last[i])
                let total = totals[i]
                money[i] = options.monetary == .mean ? (freq[i] > 0 ? total / Double(freq[i]) : 0) : total
            }
            // Every amount is finite, but a sum can still overflow: plugins never see an infinite monetary.
            if !money[i].isFinite {
                throw DataError(file: origin, line: nil, column: spec.amount,
                                message: "the amounts of the customer on record \(i + 1) of the population add up beyond "
                                    + "the range of a number (±1.7976931348623157e308); check the amounts")
            }
        }
        var columns = [Column(name: "recency_days", storage: .integer(recency), validity: valid),
                       Column(name: "frequency", storage: .integer(freq), validity: valid),
                       Column(name: "monetary", storage: .double(money), validity: valid)]
        if spec.options.scoresOn {
            columns += RFMScores.columns(recency: recency, frequency: freq, monetary: money, valid: valid, ids: ids,
                                         options: options)
        }
        return columns
    }
}

/// The period (day, Monday-to-Sunday week, month or year) of each counted row, as a number; 0 for other rows.
private func periodKeys(_ dates: [Int32], owner: [Int32], period: RFMOptions.Frequency) -> [Int64] {
    var keys = [Int64](repeating: 0, count: dates.count)
    for i in dates.indices where owner[i] >= 0 {
        let d = dates[i]
        switch period {
        case .weeks:
            // 1970-01-01 (day 0) was a Thursday: day -3 is the Monday that starts week 0.
            let shifted = Int64(d) + 3
            keys[i] = shifted >= 0 ? shifted / 7 : (shifted - 6) / 7
        case .months:
            let c = CivilDate(days: d)
            keys[i] = Int64(c.year) * 12 + Int64(c.month - 1)
        case .years: keys[i] = Int64(CivilDate(days: d).year)
        default: keys[i] = Int64(d)
        }
    }
    return keys
}

/// `days_since`: days from each value of a date column to the reference date (negative for later dates).
package enum DaysSinceFeature {
    /// The new column.
    public static func compute(_ column: Column, output: String, asOf: CivilDate, origin: String) throws -> Column {
        guard case .date(let d) = column.storage else {
            throw DataError(file: origin, line: nil, column: column.name,
                            message: "features.days_since needs a date column but '\(column.name)' was read as \(column.type.rawValue); declare it in the dataset schema as date")
        }
        let r = asOf.days
        return Column(name: output, storage: .integer(d.map { Int64(r) - Int64($0) }), validity: column.validity)
    }
}
