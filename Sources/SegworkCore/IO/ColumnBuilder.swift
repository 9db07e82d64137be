/// What one field holds, as the column builder sees it.
enum CellKind: UInt8 {
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
struct Cell {
    var kind: CellKind
    var bytes: UnsafeBufferPointer<UInt8>

    static let none = Cell(kind: .missing, bytes: UnsafeBufferPointer(start: nil, count: 0))
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

/// Turns a column of fields into a typed `Column`: infers the type (or applies the schema's), then converts.
enum ColumnBuilder {
    /// How a `date` column's values are spelled.
    private enum Inferred { case type(ColumnType), dateTime }

    /// Builds the column; `forced` is the schema's type, if any. `dateFormats` (non-empty) makes a `date` column
    /// whose text must match one of the formats, tried in order, instead of ISO 8601.
    static func build<S: CellSource>(_ src: S, name: String, forced: ColumnType?, origin: String,
                                     dateFormats: [DateFormat]? = nil) throws -> Column {
        if let formats = dateFormats, !formats.isEmpty {
            return try convertDates(src, name: name, formats: formats, origin: origin)
        }
        let type: ColumnType
        if let forced { type = forced } else {
            switch try infer(src, name: name, origin: origin) {
            case .type(let t): type = t
            case .dateTime: type = .date
            }
        }
        return try convert(src, name: name, to: type, origin: origin)
    }

    /// Text: integer → double → bool → date (`YYYY-MM-DD`, or all `YYYY-MM-DDThh:mm:ss[Z]`) → string.
    /// JSON: numbers → integer (all integral and within Int64) or double; booleans → bool; strings and nested
    /// values → string. A JSON column mixing these kinds is an error that suggests a schema.
    private static func infer<S: CellSource>(_ src: S, name: String, origin: String) throws -> Inferred {
        var canInt = true, canDouble = true, canBool = true, canDate = true, canDateTime = true
        var anyText = false
        // JSON kinds: 0 number, 1 bool, 2 string; the first row where each was seen.
        var firstRow: [Int?] = [nil, nil, nil]
        var jsonDouble = false
        let kindNames = ["a number", "true/false", "text"]
        rows: for r in 0..<src.rowCount {
            let c = src.cell(r)
            let b = c.bytes
            let jsonKind: Int
            switch c.kind {
            case .missing, .emptyQuoted: continue rows
            case .jsonNumber:
                jsonKind = 0
                if !jsonDouble, ValueParsing.integer(b) == nil { jsonDouble = true }
            case .jsonBool: jsonKind = 1
            case .jsonString, .jsonNested: jsonKind = 2
            case .text:
                anyText = true
                if canInt {
                    if ValueParsing.integer(b) != nil { canBool = false; canDate = false; canDateTime = false; continue rows }
                    canInt = false
                }
                if canDouble {
                    if ValueParsing.isDouble(b) { canBool = false; canDate = false; canDateTime = false; continue rows }
                    canDouble = false
                }
                if canBool {
                    if ValueParsing.bool(b) != nil { canDate = false; canDateTime = false; continue rows }
                    canBool = false
                }
                if canDate {
                    if ValueParsing.date(b) != nil { canDateTime = false; continue rows }
                    canDate = false
                }
                if canDateTime, ValueParsing.dateTime(b) != nil { continue rows }
                canDateTime = false
                break rows // text: nothing else can change the answer
            }
            if firstRow[jsonKind] == nil {
                if let other = (0..<3).first(where: { firstRow[$0] != nil }) {
                    throw DataError(
                        file: origin, line: src.line(r), column: name,
                        message: "the value here is \(kindNames[jsonKind]) but on line \(src.line(firstRow[other]!)) it is "
                            + "\(kindNames[other]); make the values one type, or declare the column's type in the schema "
                            + "(string keeps every value as text)")
                }
                firstRow[jsonKind] = r
            }
        }
        if firstRow[0] != nil { return .type(jsonDouble ? .double : .integer) }
        if firstRow[1] != nil { return .type(.bool) }
        if firstRow[2] != nil || !anyText { return .type(.string) }
        if canInt { return .type(.integer) }
        if canDouble { return .type(.double) }
        if canBool { return .type(.bool) }
        if canDate { return .type(.date) }
        if canDateTime { return .dateTime }
        return .type(.string)
    }

    private static func mismatch<S: CellSource>(_ src: S, _ r: Int, _ c: Cell, _ type: ColumnType, _ name: String,
                                                 _ origin: String) -> DataError {
        DataError(file: origin, line: src.line(r), column: name,
                  message: "\(quoteForMessage(c.bytes)) is not \(type.expectation); "
                      + "fix the value or declare the column as string in the schema")
    }

    /// A `date` column in explicit formats; a value that matches none throws a `DataError` naming line, column,
    /// value and the formats.
    private static func convertDates<S: CellSource>(_ src: S, name: String, formats: [DateFormat],
                                                   origin: String) throws -> Column {
        let n = src.rowCount
        var valid = Bitmap(count: n, allSet: true)
        var values = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            let c = src.cell(r)
            switch c.kind {
            case .missing, .emptyQuoted: valid[r] = false
            case .text, .jsonString:
                guard let v = DateFormat.days(c.bytes, in: formats) else {
                    let expected = formats.count == 1 ? "the format '\(formats[0].pattern)'"
                        : "any of the formats " + formats.map { "'\($0.pattern)'" }.joined(separator: ", ")
                    throw DataError(file: origin, line: src.line(r), column: name,
                                    message: "\(quoteForMessage(c.bytes)) is not a date in \(expected) (as the schema "
                                        + "says); fix the value, or change or add a format in the schema")
                }
                values[r] = v
            case .jsonNumber, .jsonBool, .jsonNested:
                throw mismatch(src, r, c, .date, name, origin)
            }
        }
        return Column(name: name, storage: .date(values), validity: valid)
    }

    /// Converts every field to `type`; a field that does not fit throws a `DataError` naming line, column and value.
    private static func convert<S: CellSource>(_ src: S, name: String, to type: ColumnType,
                                              origin: String) throws -> Column {
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
                    guard let v = ValueParsing.integer(c.bytes) else { throw mismatch(src, r, c, type, name, origin) }
                    values[r] = v
                case .jsonNumber:
                    if let v = ValueParsing.integer(c.bytes) { values[r] = v; continue }
                    // A JSON number written with a fraction or exponent is accepted when it is a whole number.
                    guard let d = ValueParsing.double(c.bytes), d == d.rounded(),
                          d >= -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18 else {
                        throw mismatch(src, r, c, type, name, origin)
                    }
                    values[r] = Int64(d)
                case .jsonBool, .jsonNested: throw mismatch(src, r, c, type, name, origin)
                }
            }
            return Column(name: name, storage: .integer(values), validity: valid)
        case .double:
            var values = [Double](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString, .jsonNumber:
                    guard let v = ValueParsing.double(c.bytes) else { throw mismatch(src, r, c, type, name, origin) }
                    values[r] = v
                case .jsonBool, .jsonNested: throw mismatch(src, r, c, type, name, origin)
                }
            }
            return Column(name: name, storage: .double(values), validity: valid)
        case .bool:
            var values = [Bool](repeating: false, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString, .jsonBool:
                    guard let v = ValueParsing.bool(c.bytes) else { throw mismatch(src, r, c, type, name, origin) }
                    values[r] = v
                case .jsonNumber, .jsonNested: throw mismatch(src, r, c, type, name, origin)
                }
            }
            return Column(name: name, storage: .bool(values), validity: valid)
        case .date:
            var values = [Int32](repeating: 0, count: n)
            for r in 0..<n {
                let c = src.cell(r)
                switch c.kind {
                case .missing, .emptyQuoted: valid[r] = false
                case .text, .jsonString:
                    guard let v = ValueParsing.date(c.bytes) ?? ValueParsing.dateTime(c.bytes) else {
                        throw mismatch(src, r, c, type, name, origin)
                    }
                    values[r] = v
                case .jsonNumber, .jsonBool, .jsonNested: throw mismatch(src, r, c, type, name, origin)
                }
            }
            return Column(name: name, storage: .date(values), validity: valid)
        case .string:
            var codes = [Int32](repeating: 0, count: n)
            var dictionary = ByteDictionary()
            for r in 0..<n {
                let c = src.cell(r)
                if c.kind == .missing { valid[r] = false; continue }
                codes[r] = dictionary.code(for: c.bytes)
            }
            return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.strings), validity: valid)
        }
    }
}
