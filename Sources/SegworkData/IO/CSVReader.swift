private let quote = UInt8(ascii: "\"")
private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D

/// Splits CSV bytes (RFC 4180) into records. Field boundaries are kept as offsets into the input; nothing is
/// copied or decoded here. Lines end with LF, CRLF or a lone CR; line numbers count physical lines from 1.
package struct CSVTokenizer {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    let origin: String
    var pos = 0
    var line = 1

    /// Skips blank lines; false at the end of the input.
    mutating func skipBlankLines() -> Bool {
        while pos < end {
            let b = base[pos]
            if b == lf {
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

    /// Reads the record at `pos`. Appends each field's start offset, then (end of the last field + 1), to
    /// `bounds`, so field k spans `bounds[k] ..< bounds[k+1] - 1`. Returns the number of fields.
    /// Offsets are 32-bit: a chunk is never larger than 2 GiB.
    mutating func record(into bounds: inout [UInt32]) throws -> Int {
        let recordLine = line
        var fields = 0
        while true {
            bounds.append(UInt32(truncatingIfNeeded: pos))
            fields += 1
            if pos < end, base[pos] == quote {
                let openLine = line
                pos += 1
                while true {
                    guard pos < end else {
                        throw DataError(file: origin, line: openLine,
                                        message: "a quoted field opened on this line is never closed; "
                                            + "add the closing quote (\")")
                    }
                    let b = base[pos]
                    if b == quote {
                        if pos + 1 < end, base[pos + 1] == quote { pos += 2; continue }
                        pos += 1
                        break
                    }
                    if b == lf || (b == cr && (pos + 1 >= end || base[pos + 1] != lf)) { line += 1 }
                    pos += 1
                }
                if pos < end {
                    let b = base[pos]
                    if b != delimiter && b != lf && b != cr {
                        throw DataError(file: origin, line: recordLine,
                                        message: "field \(fields) has text after its closing quote; inside a quoted "
                                            + "field write a quote as two quotes (\"\")")
                    }
                }
            } else {
                while pos < end {
                    let b = base[pos]
                    if b == delimiter || b == lf || b == cr { break }
                    if b == quote {
                        throw DataError(file: origin, line: recordLine,
                                        message: "field \(fields) contains a quote (\") but does not start with one; "
                                            + "quote the whole field and write the inner quote as two quotes (\"\")")
                    }
                    pos += 1
                }
            }
            if pos < end, base[pos] == delimiter { pos += 1; continue }
            bounds.append(UInt32(truncatingIfNeeded: pos + 1))
            if pos < end {
                if base[pos] == cr, pos + 1 < end, base[pos + 1] == lf { pos += 1 }
                pos += 1
                line += 1
            }
            return fields
        }
    }
}

/// One CSV column's fields in a chunk, read from the tokenized records.
package struct CSVCells: CellSource {
    let base: UnsafePointer<UInt8>
    let bounds: UnsafeBufferPointer<UInt32>
    let lines: RowLines
    let stride: Int
    let column: Int
    let scratch: Scratch

    var rowCount: Int { lines.count }

    func line(_ row: Int) -> Int { lines.line(of: row) }

    @inline(__always)
    func cell(_ row: Int) -> Cell {
        let i = row * stride + column
        return CSVCells.field(base: base, start: Int(bounds[i]), end: Int(bounds[i + 1]) - 1, scratch: scratch)
    }

    /// The field in `start ..< end`: unquoted text as is, quoted text without its quotes and with `""` made `"`.
    @inline(__always)
    static func field(base: UnsafePointer<UInt8>, start: Int, end: Int, scratch: Scratch) -> Cell {
        if start == end { return .none }
        if base[start] != quote { return Cell(kind: .text, bytes: UnsafeBufferPointer(start: base + start, count: end - start)) }
        let from = start + 1, to = end - 1
        if from == to { return Cell(kind: .emptyQuoted, bytes: UnsafeBufferPointer(start: nil, count: 0)) }
        var j = from
        while j < to, base[j] != quote { j += 1 }
        if j == to { return Cell(kind: .text, bytes: UnsafeBufferPointer(start: base + from, count: to - from)) }
        scratch.reserve(to - from)
        let out = scratch.pointer
        var w = 0
        j = from
        while j < to {
            let b = base[j]
            out[w] = b
            w += 1
            j += b == quote ? 2 : 1
        }
        return Cell(kind: .text, bytes: UnsafeBufferPointer(start: out, count: w))
    }
}

/// Reads CSV files: the header in the first chunk, then every chunk on its own thread (see `ParallelReader`).
package struct CSVFormat: ChunkParser {
    let origin: String
    let delimiter: UInt8
    /// Fields are separated by runs of spaces and tabs, without quoting (`TextFormat.Delimiter.whitespace`).
    let whitespace: Bool
    let options: ReadOptions
    /// Column names, from the header (or from `options.format.columns` for a file without one).
    private(set) var names: [String] = []
    /// The header ends with a delimiter (`a|b|c|`, as pipe exports write it): its empty last column is dropped, and
    /// a record may have one more field than `names`, which must be empty.
    private(set) var trailingEmpty = false
    /// The line of the first record of a file without a header (where a forgotten header would be).
    private(set) var firstRecordLine: Int?

    init(origin: String, options: ReadOptions) throws {
        var d = options.delimiter
        switch options.format.delimiter {
        case .whitespace?: d = 0x20; whitespace = true
        case .byte(let b)?: d = b; whitespace = false
        case nil: whitespace = false
        }
        guard d < 0x80, d != quote, d != lf, d != cr, d != 0 else {
            throw DataError(file: origin, line: nil,
                            message: "the delimiter byte \(d) cannot be used; choose one ASCII character other than "
                                + "a quote or a line break, such as ',' ';' '|' or a tab")
        }
        if !options.format.header, options.format.columns?.isEmpty ?? true {
            throw DataError(file: origin, line: nil,
                            message: "a file without a header needs its column names; give them with columns: [...]")
        }
        self.origin = origin; self.delimiter = d; self.options = options
    }

    /// A header with no record after it is an error: a run over it would have no customers (or no transactions)
    /// and say nothing.
    func check(columns: [String], rows: Int) throws {
        guard rows == 0 else { return }
        if !options.format.header { throw emptyCSV }
        throw DataError(file: origin, line: nil,
                        message: "the file has a header but no rows; add the records below the header line, or "
                            + "check that the right file was given")
    }

    /// The error for a record whose field count differs from the header's (or from `columns:`). `text` is the
    /// record's line: when another delimiter splits it into the expected number of fields, the error says which.
    func fieldCountError(_ k: Int, line: Int, text: String? = nil) -> DataError {
        let width = names.count
        let fields = "\(k) field\(k == 1 ? "" : "s")"
        let current: TextFormat.Delimiter = whitespace ? .whitespace : .byte(delimiter)
        if !options.format.header {
            if let text, let advice = ReadHints.delimiterAdvice(line: text, number: line, expected: width, current: current) {
                return DataError(file: origin, line: line,
                                 message: "the record has \(fields) but columns names \(width) ("
                                     + names.joined(separator: ", ") + "); the delimiter is probably wrong: \(advice)")
            }
            return DataError(file: origin, line: line,
                             message: "the record has \(fields) but columns names \(width) ("
                                 + names.joined(separator: ", ") + "); fix the record, or list every column of the file "
                                 + "in columns")
        }
        let hint = whitespace ? "fields are separated by runs of spaces, so a value cannot contain a space; add the "
            + "missing fields or remove the extra ones" : "quote fields that contain the delimiter, or add the missing fields"
        return DataError(file: origin, line: line, message: "the record has \(fields) but the header has \(width); \(hint)")
    }

    /// The chunk's column `name`, typed (see `ColumnBuilder.chunk`).
    /// A value of the first record of a file read with `header: false` that does not fit its type: the line is
    /// probably a header, and the error says so.
    func column<S: CellSource>(_ cells: S, _ name: String, _ worker: inout ParseWorker) throws -> ChunkColumn {
        do {
            return try ColumnBuilder.chunk(cells, name: name, forced: options.forcedType(name), origin: origin,
                                           dateFormats: options.dateFormats[name], pii: options.pii.contains(name),
                                           decimalComma: options.format.decimalComma,
                                           dictionary: &worker.dictionaries[name, default: ByteDictionary(keepStrings: false)])
        } catch var error as DataError where error.line != nil && error.line == firstRecordLine {
            error.message += "; " + ReadHints.headerLine(error.line!)
            throw error
        }
    }

    /// The text of the line starting at `start` (for messages).
    static func lineText(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> String {
        var stop = start
        while stop < end, base[stop] != lf, base[stop] != cr { stop += 1 }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: stop - start), as: UTF8.self)
    }

    /// Reads the header from the first chunk (nil: the file is empty) and moves the chunk's start past it.
    mutating func readHeader(_ first: Chunk?) throws {
        guard let first else { throw emptyCSV }
        if !options.format.header, let columns = options.format.columns {
            // No header: the records start on the first line, with the names the options give.
            names = columns
            try checkSchema(options, columns: names, origin: origin)
            if whitespace {
                var tok = WhitespaceTokenizer(base: UnsafePointer(first.bytes.baseAddress!), end: first.bytes.count)
                tok.line = first.firstLine
                if tok.skipBlankLines() { firstRecordLine = tok.line }
            } else {
                var tok = CSVTokenizer(base: UnsafePointer(first.bytes.baseAddress!), end: first.bytes.count,
                                       delimiter: delimiter, origin: origin)
                tok.line = first.firstLine
                if tok.skipBlankLines() { firstRecordLine = tok.line }
            }
            return
        }
        if whitespace {
            guard let header = whitespaceHeader(first) else { throw emptyCSV }
            try takeHeader(header.names, line: header.line)
            if !options.replaceInvalidUTF8 {
                try ByteScan.requireText(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(first.bytes)[..<header.end]),
                                         origin: origin, loneCR: true, firstLine: first.firstLine)
            }
            try checkSchema(options, columns: names, origin: origin)
            first.start = header.end
            first.startLine = header.endLine
            return
        }
        var tok = CSVTokenizer(base: UnsafePointer(first.bytes.baseAddress!), end: first.bytes.count,
                               delimiter: delimiter, origin: origin)
        tok.line = first.firstLine
        guard tok.skipBlankLines() else { throw emptyCSV }
        let headerLine = tok.line
        var headerBounds: [UInt32] = []
        let width = try tok.record(into: &headerBounds)
        let scratch = Scratch()
        try takeHeader((0..<width).map { k in
            let c = CSVCells.field(base: UnsafePointer(first.bytes.baseAddress!), start: Int(headerBounds[k]),
                                   end: Int(headerBounds[k + 1]) - 1, scratch: scratch)
            return String(decoding: c.bytes, as: UTF8.self)
        }, line: headerLine)
        // The records are checked chunk by chunk; the header here (names with bad bytes are replaced when asked).
        if !options.replaceInvalidUTF8 {
            try ByteScan.requireText(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(first.bytes)[..<tok.pos]),
                                     origin: origin, loneCR: true, firstLine: first.firstLine)
        }
        try checkSchema(options, columns: names, origin: origin)
        first.start = tok.pos
        first.startLine = tok.line
    }

    /// Takes the header's names: none empty (but the last, after a trailing delimiter: see `trailingEmpty`), none
    /// twice.
    private mutating func takeHeader(_ header: [String], line headerLine: Int) throws {
        var seen: [String: Int] = [:]
        for (k, name) in header.enumerated() {
            if name.isEmpty, k == header.count - 1, k > 0, !whitespace {
                trailingEmpty = true
                break
            }
            guard !name.isEmpty else {
                throw DataError(file: origin, line: headerLine,
                                message: "header column \(k + 1) has no name; give every column a name")
            }
            if let first = seen[name] {
                throw DataError(file: origin, line: headerLine, column: name,
                                message: "the header names this column twice (columns \(first + 1) and \(k + 1)); "
                                    + "rename one of them")
            }
            seen[name] = k
            names.append(name)
        }
    }

    private var emptyCSV: DataError {
        if !options.format.header {
            return DataError(file: origin, line: nil, message: "the file has no records; expected lines with the "
                                 + "columns " + (options.format.columns ?? names).joined(separator: ", ") + ", or check that the right file was given")
        }
        return DataError(file: origin, line: nil, message: "the file is empty; expected a header row naming the columns")
    }

    /// Tokenizes the chunk's records and converts each column.
    func parse(_ chunk: Chunk, worker: inout ParseWorker) throws -> ChunkTable {
        worker.keepValues = options.shape == nil || chunk.index == 0
        let body = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(chunk.bytes)[chunk.start...])
        return try repairingIfAsked(body, replace: options.replaceInvalidUTF8, firstLine: chunk.startLine, loneCR: true) {
            whitespace ? try whitespaceRecords($0, firstLine: chunk.startLine, worker: &worker)
                : try records($0, firstLine: chunk.startLine, worker: &worker)
        }
    }

    private func records(_ body: UnsafeBufferPointer<UInt8>, firstLine: Int,
                         worker: inout ParseWorker) throws -> ChunkTable {
        try ByteScan.requireText(body, origin: origin, loneCR: true, firstLine: firstLine)
        guard let base = body.baseAddress else { return ChunkTable(rows: 0, lines: RowLines()) }
        let width = names.count
        var tok = CSVTokenizer(base: base, end: body.count, delimiter: delimiter, origin: origin)
        tok.line = firstLine
        worker.bounds.removeAll(keepingCapacity: true)
        var lines = RowLines()
        while tok.skipBlankLines() {
            let line = tok.line
            let mark = worker.bounds.count
            let k = try tok.record(into: &worker.bounds)
            if k != width {
                try dropTrailingField(k, line: line, bounds: &worker.bounds, base: base, mark: mark, end: body.count)
            }
            lines.append(line: line)
        }
        var table = ChunkTable(rows: lines.count, lines: lines)
        guard worker.keepValues else { return table }
        try worker.bounds.withUnsafeBufferPointer { bp in
            for (k, name) in names.enumerated() {
                let cells = CSVCells(base: base, bounds: bp, lines: lines, stride: width + 1, column: k,
                                     scratch: worker.scratch)
                table.columns.append((name, try column(cells, name, &worker)))
            }
        }
        return table
    }
}

extension CSVFormat {
    /// A record with a field count other than the header's: with a header that ends in a delimiter, one empty field
    /// more is dropped (its bounds made those of a record without it); anything else is a `fieldCountError`.
    func dropTrailingField(_ k: Int, line: Int, bounds: inout [UInt32], base: UnsafePointer<UInt8>, mark: Int,
                           end: Int) throws {
        let width = names.count
        if trailingEmpty, k == width + 1 {
            let last = bounds[bounds.count - 2]
            if bounds[bounds.count - 1] - last == 1 {
                bounds.removeLast(2)
                bounds.append(last)
                return
            }
            let value = CSVCells.field(base: base, start: Int(last), end: Int(bounds[bounds.count - 1]) - 1,
                                       scratch: Scratch())
            throw DataError(file: origin, line: line,
                            message: "header column \(width + 1) has no name (the header ends with the delimiter), but "
                                + "this record has \(quoteForMessage(value.bytes)) in it; name the column in the header")
        }
        throw fieldCountError(k, line: line, text: CSVFormat.lineText(base, from: Int(bounds[mark]), end: end))
    }
}

extension DataReader {
    /// CSV from bytes (used by tests and by readCSV); `origin` names the file in errors.
    ///
    /// RFC 4180: a header row is required (names taken exactly, after a UTF-8 byte order mark is removed; empty or
    /// repeated names are errors); quoted fields may hold the delimiter, doubled quotes and line breaks; lines end
    /// with LF, CRLF or CR; blank lines are skipped. An empty field is a missing value; `""` is the empty string in
    /// a string column and missing in any other. Types are inferred per column over all values, in the order
    /// integer, double, bool, date, string, unless `options.schema` names the type.
    public static func parseCSV(_ bytes: [UInt8], origin: String, options: ReadOptions = ReadOptions()) throws -> Table {
        let cut: ChunkFeed.Format = options.format.delimiter == .whitespace ? .lines : .csv
        return try ParallelReader.read(origin: origin, options: options,
                                feed: { ChunkFeed(bytes: bytes, origin: origin, format: cut, blockSize: options.chunkBytes) },
                                parser: { try CSVFormat(origin: origin, options: $0) })
    }
}
