/// One JSON Lines column's fields, as the parser kept them.
package struct JSONCells: CellSource {
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

/// Reads JSON Lines files, every chunk on its own thread (see `ParallelReader`).
package struct JSONLinesFormat: ChunkParser {
    let origin: String
    let options: ReadOptions

    var names: [String] { [] }

    mutating func readHeader(_ first: Chunk?) throws {
        guard first != nil else { throw emptyJSONLines }
    }

    private var emptyJSONLines: DataError {
        DataError(file: origin, line: nil,
                  message: "the file has no records; expected one JSON object per line, such as {\"id\": 1}")
    }

    func parse(_ chunk: Chunk, worker: inout ParseWorker) throws -> ChunkTable {
        let body = UnsafeBufferPointer(chunk.bytes)
        return try repairingIfAsked(body, replace: options.replaceInvalidUTF8, firstLine: chunk.firstLine, loneCR: false) {
            try records($0, firstLine: chunk.firstLine, worker: &worker)
        }
    }

    private func records(_ body: UnsafeBufferPointer<UInt8>, firstLine: Int,
                         worker: inout ParseWorker) throws -> ChunkTable {
        try ByteScan.requireText(body, origin: origin, loneCR: false, firstLine: firstLine)
        guard let base = body.baseAddress else { return ChunkTable(rows: 0, lines: RowLines()) }
        var parser = JSONLinesParser(base: base, count: body.count, origin: origin, firstLine: firstLine)
        try parser.parse()
        var lines = RowLines()
        for l in parser.lines { lines.append(line: l) }
        var table = ChunkTable(rows: parser.lines.count, lines: lines)
        try parser.arena.withUnsafeBufferPointer { arena in
            for k in 0..<parser.keys.count {
                let name = parser.keys.string(k)
                let cells = JSONCells(base: base, arena: arena.baseAddress, kinds: parser.kinds[k],
                                      starts: parser.starts[k], lengths: parser.lengths[k], lines: parser.lines)
                table.columns.append((name, try ColumnBuilder.chunk(
                    cells, name: name, forced: options.forcedType(name), origin: origin,
                    dateFormats: options.dateFormats[name], pii: options.pii.contains(name),
                    dictionary: &worker.dictionaries[name, default: ByteDictionary(keepStrings: false)])))
            }
        }
        return table
    }

    func check(columns: [String], rows: Int) throws {
        guard rows > 0 else { throw emptyJSONLines }
        guard !columns.isEmpty else {
            throw DataError(file: origin, line: nil,
                            message: "none of its \(rows) records has a field; each object needs at least one key")
        }
        try checkSchema(options, columns: columns, origin: origin)
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
        try ParallelReader.read(origin: origin, options: options,
                                feed: { ChunkFeed(bytes: bytes, origin: origin, format: .jsonLines,
                                                  blockSize: options.chunkBytes) },
                                parser: { JSONLinesFormat(origin: origin, options: $0) })
    }
}
