private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09

/// Splits text whose fields are separated by runs of spaces and tabs (the layout of fixed-width-looking exports
/// such as CDNOW_master.txt) into records. Leading and trailing spaces are ignored, a line of spaces is blank, and
/// there is no quoting: a quote is an ordinary character. Lines end with LF, CRLF or a lone CR.
package struct WhitespaceTokenizer {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    var line = 1

    /// Skips blank lines (empty, or spaces and tabs only) and the leading spaces of the next record; false at the
    /// end of the input.
    mutating func skipBlankLines() -> Bool {
        while pos < end {
            let b = base[pos]
            if b == space || b == tab {
                pos += 1
            } else if b == lf {
                pos += 1; line += 1
            } else if b == cr {
                pos += 1
                if pos < end, base[pos] == lf { pos += 1 }
                line += 1
            } else {
                return true
            }
        }
        return false
    }

    /// Reads the record at `pos` (which is not a space). Appends each field's start and end offsets to `bounds`, so
    /// field k spans `bounds[2k] ..< bounds[2k+1]`. Returns the number of fields.
    mutating func record(into bounds: inout [UInt32]) -> Int {
        var fields = 0
        while true {
            let start = pos
            while pos < end {
                let b = base[pos]
                if b == space || b == tab || b == lf || b == cr { break }
                pos += 1
            }
            bounds.append(UInt32(truncatingIfNeeded: start))
            bounds.append(UInt32(truncatingIfNeeded: pos))
            fields += 1
            while pos < end, base[pos] == space || base[pos] == tab { pos += 1 }
            guard pos < end else { return fields }
            let b = base[pos]
            if b == lf || b == cr {
                pos += 1
                if b == cr, pos < end, base[pos] == lf { pos += 1 }
                line += 1
                return fields
            }
        }
    }
}

/// One column's fields of whitespace-separated records: the text as written (never empty, never unquoted).
package struct WhitespaceCells: CellSource {
    let base: UnsafePointer<UInt8>
    let bounds: UnsafeBufferPointer<UInt32>
    let lines: RowLines
    let stride: Int
    let column: Int

    var rowCount: Int { lines.count }

    func line(_ row: Int) -> Int { lines.line(of: row) }

    @inline(__always)
    func cell(_ row: Int) -> Cell {
        let i = row * stride + 2 * column
        let start = Int(bounds[i])
        return Cell(kind: .text, bytes: UnsafeBufferPointer(start: base + start, count: Int(bounds[i + 1]) - start))
    }
}

extension CSVFormat {
    /// The header's field names and where the records start, for whitespace-separated text.
    func whitespaceHeader(_ first: Chunk) -> (names: [String], line: Int, end: Int, endLine: Int)? {
        var tok = WhitespaceTokenizer(base: UnsafePointer(first.bytes.baseAddress!), end: first.bytes.count)
        tok.line = first.firstLine
        guard tok.skipBlankLines() else { return nil }
        let line = tok.line
        var bounds: [UInt32] = []
        let width = tok.record(into: &bounds)
        let names = (0..<width).map { k in
            String(decoding: UnsafeBufferPointer(start: first.bytes.baseAddress! + Int(bounds[2 * k]),
                                                 count: Int(bounds[2 * k + 1] - bounds[2 * k])), as: UTF8.self)
        }
        return (names, line, tok.pos, tok.line)
    }

    /// Tokenizes whitespace-separated records and converts each column (as `records` does for CSV).
    func whitespaceRecords(_ body: UnsafeBufferPointer<UInt8>, firstLine: Int,
                           worker: inout ParseWorker) throws -> ChunkTable {
        try ByteScan.requireText(body, origin: origin, loneCR: true, firstLine: firstLine)
        guard let base = body.baseAddress else { return ChunkTable(rows: 0, lines: RowLines()) }
        let width = names.count
        var tok = WhitespaceTokenizer(base: base, end: body.count)
        tok.line = firstLine
        worker.bounds.removeAll(keepingCapacity: true)
        var lines = RowLines()
        while tok.skipBlankLines() {
            let line = tok.line
            let mark = worker.bounds.count
            let k = tok.record(into: &worker.bounds)
            guard k == width else {
                throw fieldCountError(k, line: line, text: CSVFormat.lineText(base, from: Int(worker.bounds[mark]),
                                                                              end: body.count))
            }
            lines.append(line: line)
        }
        var table = ChunkTable(rows: lines.count, lines: lines)
        guard worker.keepValues else { return table }
        try worker.bounds.withUnsafeBufferPointer { bp in
            for (k, name) in names.enumerated() {
                let cells = WhitespaceCells(base: base, bounds: bp, lines: lines, stride: 2 * width, column: k)
                table.columns.append((name, try column(cells, name, &worker)))
            }
        }
        return table
    }
}
