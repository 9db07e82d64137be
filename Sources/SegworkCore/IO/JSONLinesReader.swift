/// One JSON Lines column's fields, as the parser kept them.
struct JSONCells: CellSource {
    let base: UnsafePointer<UInt8>
    let arena: UnsafePointer<UInt8>?
    let kinds: [UInt8]
    let starts: [Int]
    let lengths: [Int]
    let lines: [Int]

    var rowCount: Int { kinds.count }

    func line(_ row: Int) -> Int { lines[row] }

    func cell(_ row: Int) -> Cell {
        let kind = CellKind(rawValue: kinds[row])!
        if kind == .missing { return .none }
        let s = starts[row]
        let p = s >= 0 ? base + s : arena! + (-s - 1)
        return Cell(kind: kind, bytes: UnsafeBufferPointer(start: p, count: lengths[row]))
    }
}

extension DataReader {
    /// JSON Lines from bytes; `origin` names the file in errors.
    ///
    /// Each non-blank line must be one JSON object (strict JSON; a truncated line, a line that is not an object, a
    /// repeated key or an empty key is an error naming the line). Columns are the objects' keys in order of first
    /// appearance; a key absent from a record, or `null`, is a missing value. Types without a schema: JSON numbers
    /// make an `integer` column when all are whole numbers written without fraction or exponent that fit Int64, else
    /// `double`; `true`/`false` make `bool`; strings stay `string` (they are not inferred as numbers or dates: use the
    /// schema for that); arrays and objects are kept as their compact JSON text in a `string` column. A column mixing
    /// numbers, booleans and text is an error unless the schema gives its type. With a schema, strings are parsed
    /// by the CSV text rules for the declared type, a number with a zero fraction (`3.0`) is accepted as an integer,
    /// and a `string` column takes numbers and booleans as written.
    public static func parseJSONLines(_ bytes: [UInt8], origin: String,
                                      options: ReadOptions = ReadOptions()) throws -> Table {
        if let repaired = ByteScan.repairedText(bytes, origin: origin, options: options, loneCR: false) {
            var o = options; o.replaceInvalidUTF8 = false
            return try parseJSONLines(repaired, origin: origin, options: o)
        }
        return try bytes.withUnsafeBufferPointer { all in
            var body = all
            if all.count >= 3, all[0] == 0xEF, all[1] == 0xBB, all[2] == 0xBF {
                body = UnsafeBufferPointer(rebasing: all[3...])
            }
            try ByteScan.requireText(body, origin: origin, loneCR: false)
            guard let base = body.baseAddress else { throw emptyJSONLines(origin) }
            var parser = JSONLinesParser(base: base, count: body.count, origin: origin)
            parser.progress = options.progress
            try parser.parse()
            guard !parser.lines.isEmpty else { throw emptyJSONLines(origin) }
            let names = parser.keys.strings
            guard !names.isEmpty else {
                throw DataError(file: origin, line: nil,
                                message: "none of its \(parser.lines.count) records has a field; each object needs "
                                    + "at least one key")
            }
            try checkSchema(options.schema, columns: names, origin: origin)
            return try parser.arena.withUnsafeBufferPointer { arena in
                var columns: [Column] = []
                columns.reserveCapacity(names.count)
                for (k, name) in names.enumerated() {
                    let cells = JSONCells(base: base, arena: arena.baseAddress, kinds: parser.kinds[k],
                                          starts: parser.starts[k], lengths: parser.lengths[k], lines: parser.lines)
                    columns.append(try ColumnBuilder.build(cells, name: name, forced: options.forcedType(name),
                                                           origin: origin, dateFormats: options.dateFormats[name]))
                }
                return try Table(columns: columns)
            }
        }
    }

    private static func emptyJSONLines(_ origin: String) -> DataError {
        DataError(file: origin, line: nil,
                  message: "the file has no records; expected one JSON object per line, such as {\"id\": 1}")
    }
}
