import SegworkData

extension Definition {
    /// Checks that the column named at `path` (`population.date`, `features.rfm.date`) holds dates in `table` (read
    /// from `origin` with `format`). A column read as another type is the definition's error at that line: it names
    /// the first value that is not a date and its line in the data file, and suggests `format: "%Y%m%d"` only when
    /// that value looks like a `YYYYMMDD` date.
    func requireDates(_ path: String, column name: String, in table: Table, origin: String, format: TextFormat?,
                      pii: Bool = false) throws {
        guard let column = table[name], column.type != .date else { return }
        var bad: (row: Int, text: String)?
        for row in 0..<column.count {
            guard let s = column.string(at: row) else { continue }
            if column.type != .string || CivilDate(iso: Substring(s)) == nil { bad = (row, s); break }
        }
        var what = "it was read as \(column.type.rawValue)"
        // Text dates in another spelling (31/12/2024) need a format; a number column is the wrong column.
        var advice = column.type == .string
            ? "name the column that holds the dates, or if this is it, write its dates YYYY-MM-DD or give their "
                + "format in the dataset's schema (e.g. \(name): { format: \"%d/%m/%Y\" })"
            : "name the column that holds the dates"
        if let bad {
            let line = table.rowLines?.line(of: bad.row)
            let shown = pii ? "a value [value withheld (pii column)]" : "'\(bad.text)'"
            what += " (\(shown) on \(line.map { "line \($0)" } ?? "record \(bad.row + 1)") of \(origin))"
            if bad.text.withUTF8Bytes(ValueParsing.isCompactDate) {
                advice = ValueParsing.compactDateHint(name)
            } else if let line, bad.row == 0, format.map({ !$0.header }) ?? false {
                advice = ReadHints.headerLine(line)
            }
        }
        throw DefinitionError(file: file, line: self.line(of: path),
                              "\(path) names column '\(name)', which does not hold dates: \(what); \(advice)")
    }
}
