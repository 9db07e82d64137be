/// What one field holds, as the column builder sees it.
package enum CellKind: UInt8 {
    /// An empty CSV field, a JSON `null`, or a key absent from a JSON record.
    case missing
    /// A CSV field written `""`: the empty string in a string column, missing in any other.
    case emptyQuoted
    /// CSV text; its type is inferred from its spelling.
    case text
    /// A JSON number, as written.
    case jsonNumber
    /// A JSON `true` or `false`, as written.
    case jsonBool
    /// A JSON string, unescaped.
    case jsonString
    /// A JSON array or object, as compact JSON text.
    case jsonNested
}

/// One field: its kind and its bytes (valid until the next `cell` call on the same source).
package struct Cell {
    var kind: CellKind
    var bytes: UnsafeBufferPointer<UInt8>

    static var none: Cell { Cell(kind: .missing, bytes: UnsafeBufferPointer(start: nil, count: 0)) }
}

/// The fields of one column, row by row.
protocol CellSource {
    /// Number of rows.
    var rowCount: Int { get }
    /// The field in `row`; its bytes stay valid until the next call.
    func cell(_ row: Int) -> Cell
    /// The 1-based physical line where `row`'s record starts.
    func line(_ row: Int) -> Int
}

/// What the values of a column (or of one chunk of it) allow its type to be. Evidence from the chunks of a file
/// combines into exactly what one pass over the whole column would have found.
package struct TypeEvidence {
    /// Every text value so far is an integer / a number / a boolean / a date / a date-time.
    var canInt = true, canDouble = true, canBool = true, canDate = true, canDateTime = true
    /// Some value was CSV text.
    var anyText = false
    /// The line where a JSON number / boolean / string first appears.
    var jsonFirstLine: [Int?] = [nil, nil, nil]
    /// Some JSON number is not a whole Int64.
    var jsonDouble = false
    /// Text values looked at (inference stops at the first value only text can hold).
    var textCount = 0
    /// The first text value only text can hold, when there is one (see `TextFallback`).
    var textFrom: TextFallback?

    static let jsonKindNames = ["a number", "true/false", "text"]

    /// No value at all (every field missing or `""`).
    var isEmpty: Bool { !anyText && jsonFirstLine.allSatisfy { $0 == nil } }

    /// The type a column with this evidence gets when the schema does not name one.
    var type: ColumnType {
        if jsonFirstLine[0] != nil { return jsonDouble ? .double : .integer }
        if jsonFirstLine[1] != nil { return .bool }
        if jsonFirstLine[2] != nil || !anyText { return .string }
        if canInt { return .integer }
        if canDouble { return .double }
        if canBool { return .bool }
        if canDate || canDateTime { return .date }
        return .string
    }

    /// Adds the evidence of the rows that follow. Two JSON kinds in one column is an error naming both lines.
    /// `rowOffset` is the number of rows before `later`'s first row.
    mutating func combine(_ later: TypeEvidence, column: String, origin: String, rowOffset: Int = 0) throws {
        if textFrom == nil, var t = later.textFrom {
            // What the values before the text allowed: ours, and those of `later` before it.
            t.prior = TextFallback.Allowed(canInt && t.prior.canInt, canDouble && t.prior.canDouble,
                                           canBool && t.prior.canBool, canDate && t.prior.canDate,
                                           canDateTime && t.prior.canDateTime)
            t.priorCount += textCount
            t.row += rowOffset
            textFrom = t
        }
        textCount += later.textCount
        canInt = canInt && later.canInt; canDouble = canDouble && later.canDouble; canBool = canBool && later.canBool
        canDate = canDate && later.canDate; canDateTime = canDateTime && later.canDateTime
        anyText = anyText || later.anyText
        jsonDouble = jsonDouble || later.jsonDouble
        for k in 0..<3 where jsonFirstLine[k] == nil { jsonFirstLine[k] = later.jsonFirstLine[k] }
        let seen = (0..<3).filter { jsonFirstLine[$0] != nil }.sorted { jsonFirstLine[$0]! < jsonFirstLine[$1]! }
        if seen.count > 1 {
            throw TypeEvidence.mixed(origin: origin, column: column, kind: seen[1], line: jsonFirstLine[seen[1]]!,
                                     other: seen[0], otherLine: jsonFirstLine[seen[0]]!)
        }
    }

    static func mixed(origin: String, column: String, kind: Int, line: Int, other: Int, otherLine: Int) -> DataError {
        DataError(file: origin, line: line, column: column,
                  message: "the value here is \(jsonKindNames[kind]) but on line \(otherLine) it is "
                      + "\(jsonKindNames[other]); make the values one type, or declare the column's type in the schema "
                      + "(string keeps every value as text)")
    }
}

/// The typed values of one chunk of a column. String values are codes into the parsing thread's dictionary.
package enum ChunkValues {
    case integer([Int64])
    case double([Double])
    case bool([Bool])
    case date([Int32])
    case codes([Int32])

    var type: ColumnType {
        switch self {
        case .integer: return .integer
        case .double: return .double
        case .bool: return .bool
        case .date: return .date
        case .codes: return .string
        }
    }
}

/// One chunk of one column, typed by its own evidence (or by the schema).
package struct ChunkColumn {
    /// What the chunk's values allow.
    var evidence: TypeEvidence
    /// The values; nil when the chunk holds no value and the schema names no type (the type is not known yet).
    var values: ChunkValues?
    /// Which rows have a value; when `values` is nil, which rows were written `""` (the empty string, should the
    /// column turn out to be text).
    var validity: Bitmap
    /// For text: the codes this chunk added to its thread's dictionary.
    var added: Range<Int> = 0..<0
}

/// Types and converts the fields of a column chunk. Errors name the file, the line, the column and the value.
package enum ColumnBuilder {
    /// The chunk's column: its evidence, and its values converted to the schema's type or to the type its own
    /// evidence gives. String values get codes in `dictionary`.
    /// `dateFormats` (non-empty) makes a `date` column whose text must match one of the formats, tried in order,
    /// instead of ISO 8601.
    static func chunk<S: CellSource>(_ src: S, name: String, forced: ColumnType?, origin: String,
                                     dateFormats: [DateFormat]? = nil, pii: Bool = false, decimalComma: Bool = false,
                                     dictionary: inout ByteDictionary) throws -> ChunkColumn {
        let before = dictionary.count
        if let formats = dateFormats, !formats.isEmpty {
            let (values, valid) = try convert(src, name: name, to: .date, origin: origin, dateFormats: formats,
                                              pii: pii, dictionary: &dictionary)
            return ChunkColumn(evidence: TypeEvidence(), values: values, validity: valid)
        }
        if let forced {
            let (values, valid) = try convert(src, name: name, to: forced, origin: origin, pii: pii,
                                              decimalComma: decimalComma, dictionary: &dictionary)
            return ChunkColumn(evidence: TypeEvidence(), values: values, validity: valid, added: before..<dictionary.count)
        }
        let evidence = try infer(src, name: name, origin: origin, pii: pii, decimalComma: decimalComma)
        if evidence.isEmpty {
            var quoted = Bitmap(count: src.rowCount, allSet: false)
            for r in 0..<src.rowCount where src.cell(r).kind == .emptyQuoted { quoted[r] = true }
            return ChunkColumn(evidence: evidence, values: nil, validity: quoted)
        }
        let (values, valid) = try convert(src, name: name, to: evidence.type, origin: origin, pii: pii,
                                          decimalComma: decimalComma, dictionary: &dictionary)
        return ChunkColumn(evidence: evidence, values: values, validity: valid, added: before..<dictionary.count)
    }

    /// Text: integer → double → bool → date (`YYYY-MM-DD`, or all `YYYY-MM-DDThh:mm:ss[Z]`) → string.
    /// JSON: numbers → integer (all integral and within Int64) or double; booleans → bool; strings and nested
    /// values → string. A JSON column mixing these kinds is an error that suggests a schema.
    /// Text that reads as a number only by losing its value (nan, inf, 1e309, 1e-400, an integer beyond Int64)
    /// counts as text. A JSON integer beyond Int64 is an error: a JSON number cannot stay text.
    /// `pii`: the column is personal, so no message shows its values.
    /// `decimalComma`: text numbers are written `11,77` (see `ValueParsing.withDecimalPoint`).
    static func infer<S: CellSource>(_ src: S, name: String, origin: String, pii: Bool = false,
                                     decimalComma: Bool = false) throws -> TypeEvidence {
        var e = TypeEvidence()
        rows: for r in 0..<src.rowCount {
            let c = src.cell(r)
            let b = c.bytes
            let jsonKind: Int
            switch c.kind {
            case .missing, .emptyQuoted: continue rows
            case .jsonNumber:
                jsonKind = 0
                if ValueParsing.integer(b) == nil {
                    if ValueParsing.isIntegerShaped(b) { throw bigJSONInteger(src, r, c, name, origin, pii) }
                    e.jsonDouble = true
                }
            case .jsonBool: jsonKind = 1
            case .jsonString, .jsonNested: jsonKind = 2
            case .text:
                e.anyText = true
                e.textCount += 1
                let before = TextFallback.Allowed(e.canInt, e.canDouble, e.canBool, e.canDate, e.canDateTime)
                if e.canInt {
                    if ValueParsing.integer(b) != nil { e.canBool = false; e.canDate = false; e.canDateTime = false; continue rows }
                    e.canInt = false
                }
                if e.canDouble {
                    if decimalComma ? ValueParsing.withDecimalPoint(b, ValueParsing.isDouble) ?? false
                        : ValueParsing.isDouble(b) { e.canBool = false; e.canDate = false; e.canDateTime = false; continue rows }
                    e.canDouble = false
                }
                if e.canBool {
                    if ValueParsing.bool(b) != nil { e.canDate = false; e.canDateTime = false; continue rows }
                    e.canBool = false
                }
                if e.canDate {
                    if ValueParsing.date(b) != nil { e.canDateTime = false; continue rows }
                    e.canDate = false
                }
                if e.canDateTime, ValueParsing.dateTime(b) != nil { continue rows }
                e.canDateTime = false
                e.textFrom = TextFallback(line: src.line(r), row: r, value: pii ? nil : quoteForMessage(b),
                                          prior: before, priorCount: e.textCount - 1)
                break rows // text: nothing else can change the answer
            }
            if e.jsonFirstLine[jsonKind] == nil {
                if let other = (0..<3).first(where: { e.jsonFirstLine[$0] != nil }) {
                    throw TypeEvidence.mixed(origin: origin, column: name, kind: jsonKind, line: src.line(r),
                                             other: other, otherLine: e.jsonFirstLine[other]!)
                }
                e.jsonFirstLine[jsonKind] = src.line(r)
            }
        }
        return e
    }
    private static func mismatch<S: CellSource>(_ src: S, _ r: Int, _ c: Cell, _ type: ColumnType, _ name: String,
                                                 _ origin: String, _ pii: Bool, decimalComma: Bool = false) -> DataError {
        // A number with thousands separators or decimal commas: say so (declaring the column string is no fix).
        if type == .integer || type == .double, !pii, c.kind == .text || c.kind == .jsonString,
           let hint = ReadHints.number(String(decoding: c.bytes, as: UTF8.self), decimalComma: decimalComma) {
            return DataError(file: origin, line: src.line(r), column: name,
                             message: "\(shown(c.bytes, pii)) is not \(type.expectation); \(hint)")
        }
        if type == .date, ValueParsing.isCompactDate(c.bytes) {
            return DataError(file: origin, line: src.line(r), column: name,
                             message: "\(shown(c.bytes, pii)) is not \(type.expectation); "
                                 + ValueParsing.compactDateHint(name))
        }
        return DataError(file: origin, line: src.line(r), column: name,
                  message: "\(shown(c.bytes, pii)) is not \(type.expectation); "
                      + "fix the value or declare the column as string in the schema")
    }

    /// The value quoted for a message, or "the value [value withheld (pii column)]".
    static func shown(_ bytes: UnsafeBufferPointer<UInt8>, _ pii: Bool) -> String {
        pii ? "the value [value withheld (pii column)]" : quoteForMessage(bytes)
    }

    /// A number a double cannot hold as written (NaN or infinity as words, overflow, underflow).
    private static func unrepresentable<S: CellSource>(_ src: S, _ r: Int, _ c: Cell, _ problem: ValueParsing.CheckedDouble,
                                                       _ name: String, _ origin: String, _ pii: Bool) -> DataError {
        let what: String
        switch problem {
        case .special: what = "is not a number: NaN and infinity are not accepted as values; leave the field empty "
            + "for a missing value"
        case .overflow: what = "is beyond the range of a number (largest 1.7976931348623157e308) and would read as "
            + "infinity; fix the value"
        default: what = "is too small for a number (smallest 5e-324) and would read as 0; write 0 or fix the value"
        }
        return DataError(file: origin, line: src.line(r), column: name,
                         message: "\(shown(c.bytes, pii)) \(what), or declare the column as string in the schema to keep "
                             + "the text")
    }

    /// A JSON integer beyond Int64: as a number it would be rounded.
    private static func bigJSONInteger<S: CellSource>(_ src: S, _ r: Int, _ c: Cell, _ name: String, _ origin: String,
                                                      _ pii: Bool) -> DataError {
        DataError(file: origin, line: src.line(r), column: name,
                  message: "\(shown(c.bytes, pii)) is an integer beyond the 64-bit range (±9223372036854775807) and "
                      + "would be rounded as a number; write it as a JSON string, or declare the column string (kept "
                      + "exactly) or double (rounded) in the schema")
    }

    /// A value of a `date` column with explicit formats that matches none: names line, column, value and formats.
    private static func formatMismatch<S: CellSource>(_ src: S, _ r: Int, _ c: Cell, _ formats: [DateFormat],
                                                      _ name: String, _ origin: String, _ pii: Bool) -> DataError {
        let expected = formats.count == 1 ? "the format '\(formats[0].pattern)'"
            : "any of the formats " + formats.map { "'\($0.pattern)'" }.joined(separator: ", ")
        return DataError(file: origin, line: src.line(r), column: name,
                         message: "\(shown(c.bytes, pii)) is not a date in \(expected) (as the schema "
                             + "says); fix the value, or change or add a format in the schema")
    }

    /// Converts every field to `type`; a field that does not fit throws a `DataError` naming line, column and value.
    /// A `date` column with `dateFormats` takes text in those formats (tried in order) instead of ISO 8601.
    /// A `double` column refuses NaN and infinity (as words), and numbers that would overflow to infinity or
    /// underflow to zero; it takes integers beyond Int64 rounded, as it takes any decimal. `pii` withholds values.
    static func convert<S: CellSource>(_ src: S, name: String, to type: ColumnType, origin: String,
                                       dateFormats: [DateFormat] = [], pii: Bool = false, decimalComma: Bool = false,
                                       dictionary: inout ByteDictionary) throws -> (ChunkValues, Bitmap) {
        let n = src.rowCount
        var valid = Bitmap(count: n, allSet: true)
        switch type {
        case .integer:
            var values = [Int64](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString:
                    guard let v = ValueParsing.integer(c.bytes) else {
                        throw mismatch(src, r, c, type, name, origin, pii, decimalComma: decimalComma)
                    }
                    values[r] = v
                case .jsonNumber:
                    if let v = ValueParsing.integer(c.bytes) { values[r] = v; continue }
                    // A JSON number written with a fraction or exponent is accepted when it is a whole number.
                    guard let d = ValueParsing.double(c.bytes), d == d.rounded(),
                          d >= -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18 else {
                        throw mismatch(src, r, c, type, name, origin, pii)
                    }
                    values[r] = Int64(d)
                case .jsonBool, .jsonNested: throw mismatch(src, r, c, type, name, origin, pii)
                }
            }
            return (.integer(values), valid)
        case .double:
            var values = [Double](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString, .jsonNumber:
                    let checked = decimalComma && c.kind == .text
                        ? ValueParsing.withDecimalPoint(c.bytes, ValueParsing.finiteDouble) ?? .notNumber
                        : ValueParsing.finiteDouble(c.bytes)
                    switch checked {
                    case .value(let v): values[r] = v
                    case .notNumber: throw mismatch(src, r, c, type, name, origin, pii, decimalComma: decimalComma)
                    case let problem: throw unrepresentable(src, r, c, problem, name, origin, pii)
                    }
                case .jsonBool, .jsonNested: throw mismatch(src, r, c, type, name, origin, pii)
                }
            }
            return (.double(values), valid)
        case .bool:
            var values = [Bool](repeating: false, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString, .jsonBool:
                    guard let v = ValueParsing.bool(c.bytes) else { throw mismatch(src, r, c, type, name, origin, pii) }
                    values[r] = v
                case .jsonNumber, .jsonNested: throw mismatch(src, r, c, type, name, origin, pii)
                }
            }
            return (.bool(values), valid)
        case .date:
            var values = [Int32](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString:
                    let v = dateFormats.isEmpty ? ValueParsing.date(c.bytes) ?? ValueParsing.dateTime(c.bytes)
                        : DateFormat.days(c.bytes, in: dateFormats)
                    guard let v else {
                        throw dateFormats.isEmpty ? mismatch(src, r, c, type, name, origin, pii)
                            : formatMismatch(src, r, c, dateFormats, name, origin, pii)
                    }
                    values[r] = v
                case .jsonNumber, .jsonBool, .jsonNested:
                    throw dateFormats.isEmpty ? mismatch(src, r, c, type, name, origin, pii)
                        : formatMismatch(src, r, c, dateFormats, name, origin, pii)
                }
            }
            return (.date(values), valid)
        case .string:
            var codes = [Int32](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                if c.kind == .missing { valid[r] = false; continue }
                codes[r] = dictionary.code(for: c.bytes)
            }
            return (.codes(codes), valid)
        }
    }
}
