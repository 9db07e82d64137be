import SegworkData

/// Builds a population from a dataset's distinct ids (`population: { from: transactions, id: customer_id }`).
package enum PopulationBuilder {
    /// The customer table made from `table`: one row per distinct non-empty value of column `id`, in the order of
    /// its first appearance, holding that id (as text: `00001` stays `00001`), and with `date` the customer's
    /// earliest and latest date (`first_purchase`, `last_purchase`; missing when none of their rows has a date).
    /// Each customer's row line is the line of their first record, so messages about a customer name a real line.
    /// `missingIDs` counts the rows without an id, which are left out.
    package static func build(from table: Table, id: String, date: String?,
                              origin: String) throws -> (table: Table, missingIDs: Int) {
        guard let idColumn = table[id] else { throw absent(id, table, origin) }
        let n = table.rowCount
        // Row → customer index (-1: no id), and each customer's first row.
        var owner = [Int32](repeating: -1, count: n)
        var firstRows: [Int] = []
        var names: [String] = []
        var missing = 0
        switch idColumn.storage {
        case .string(let codes, let dictionary):
            var customerOfCode = [Int32](repeating: -1, count: dictionary.count)
            for r in 0..<n {
                guard idColumn.isValid(r) else { missing += 1; continue }
                let code = Int(codes[r])
                if customerOfCode[code] < 0 {
                    customerOfCode[code] = Int32(names.count)
                    names.append(dictionary[code]); firstRows.append(r)
                }
                owner[r] = customerOfCode[code]
            }
        default:
            var customerOf: [String: Int32] = [:]
            for r in 0..<n {
                guard let key = idColumn.string(at: r) else { missing += 1; continue }
                if let k = customerOf[key] { owner[r] = k; continue }
                let k = Int32(names.count)
                customerOf[key] = k
                names.append(key); firstRows.append(r)
                owner[r] = k
            }
        }
        var columns = [Column(name: id, storage: .string(codes: Array(0..<Int32(names.count)), dictionary: names))]
        if let date {
            guard let dateColumn = table[date] else { throw absent(date, table, origin) }
            guard case .date(let days) = dateColumn.storage else {
                throw DataError(file: origin, line: nil, column: date,
                                message: "population.date names a column read as \(dateColumn.type.rawValue), not as "
                                    + "dates; declare it in the dataset's schema as date (for 19970101 write "
                                    + "schema: { \(date): { format: \"%Y%m%d\" } })")
            }
            var first = [Int32](repeating: .max, count: names.count)
            var last = [Int32](repeating: .min, count: names.count)
            for r in 0..<n where owner[r] >= 0 && dateColumn.isValid(r) {
                let k = Int(owner[r])
                first[k] = min(first[k], days[r]); last[k] = max(last[k], days[r])
            }
            let seen = first.map { $0 != .max }
            let validity = seen.allSatisfy { $0 } ? nil : Bitmap(seen)
            columns.append(Column(name: DerivedPopulation.dateOutputs[0], storage: .date(first.map { $0 == .max ? 0 : $0 }),
                                  validity: validity))
            columns.append(Column(name: DerivedPopulation.dateOutputs[1], storage: .date(last.map { $0 == .min ? 0 : $0 }),
                                  validity: validity))
        }
        var out = try Table(columns: columns)
        if let lines = table.rowLines {
            var own = RowLines()
            for r in firstRows { own.append(line: lines.line(of: r)) }
            out.rowLines = own
        }
        return (out, missing)
    }

    /// A column the dataset lacks (the stage checks the definition's names first, with their lines).
    private static func absent(_ name: String, _ table: Table, _ origin: String) -> DataError {
        DataError(file: origin, line: nil, column: name,
                  message: "the population needs this column; the file's columns are "
                      + table.columnNames.joined(separator: ", "))
    }
}
