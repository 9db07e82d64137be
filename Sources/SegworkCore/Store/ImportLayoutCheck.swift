import SegworkData

/// `seg import`'s check that a file read as one column was not read with the wrong delimiter: every line one
/// field, while another delimiter splits the first lines into the same number of fields (more than one).
package enum ImportLayoutCheck {
    /// Throws a `DataError` naming `shown` and the flags that read the file, when `table` (the file read as text with
    /// `format`) has one column whose first line, and first record, split evenly on another delimiter.
    /// `oneColumn` (`--one-column`) says the file really has one column.
    package static func check(_ table: Table, format: TextFormat, shown: String, oneColumn: Bool) throws {
        guard !oneColumn, table.columns.count == 1, let column = table.columns.first else { return }
        // The first line: the header's name, or the first record of a file without a header.
        var lines: [String] = format.header ? [column.name] : []
        for row in 0..<min(table.rowCount, format.header ? 1 : 2) { if let s = column.string(at: row) { lines.append(s) } }
        guard let first = lines.first,
              let (d, fields) = ReadHints.delimiter(splitting: first, into: nil, other: format.delimiter),
              lines.dropFirst().allSatisfy({ ReadHints.split($0, by: d).count == fields.count }) else { return }
        let name = TextFormat.name(of: d)
        var flags = "--delimiter " + (name == "|" || name == ";" ? "'\(name)'" : name)
        if format.header, fields.allSatisfy(ReadHints.looksLikeData) {
            flags += " --no-header --columns " + (1...fields.count).map { "column\($0)" }.joined(separator: ",")
                + " (with your own names)"
        }
        throw DataError(file: shown, line: nil,
                        message: "every line is one field, but the first line splits into \(fields.count) fields with "
                            + "delimiter: \(name); import it with \(flags), or pass --one-column if the file really has "
                            + "one column")
    }
}
