import LuaHost

extension DataReader {
    /// Builds a table from what a Lua source plugin emitted (LuaHost.SourceOutput), typing each column as its declared
    /// SourceColumn type says; a value that does not fit → DataError naming origin (e.g. "plugin legacy_pipe"), record number, column.
    ///
    /// Columns come in declared order; a declared column the plugin never emitted is all missing. `nil` is a missing
    /// value, and so is an empty string in a non-string column. Accepted values per type: `integer` — integers, floats
    /// with no fraction, integer text; `double` — numbers, number text; `bool` — booleans, `"true"`/`"false"`;
    /// `date` — `YYYY-MM-DD` text (or `YYYY-MM-DDThh:mm:ss[Z]`, date part); `string` — text, and numbers and
    /// booleans written out. Tables (arrays, objects) fit no column type.
    ///
    /// `dateFormats` (a definition's schema `format:`) names date columns whose text is in those formats, tried in
    /// order, instead of ISO 8601.
    public static func table(from output: SourceOutput, declared: [SourceColumn], origin: String,
                             dateFormats: [String: [DateFormat]] = [:]) throws -> Table {
        guard output.names.count == output.values.count else {
            throw DataError(file: origin, line: nil,
                            message: "emitted \(output.names.count) column names but \(output.values.count) columns "
                                + "of values; this is a host bug, please report it")
        }
        var emitted: [String: Int] = [:]
        for (i, name) in output.names.enumerated() { emitted[name] = i }
        let declaredNames = Set(declared.map(\.name))
        if let extra = output.names.first(where: { !declaredNames.contains($0) }) {
            throw DataError(file: origin, line: nil, column: extra,
                            message: "the plugin emitted this column but does not declare it; add it to `columns` "
                                + "with its type, or stop emitting it")
        }
        let rowCount = output.values.first?.count ?? 0
        if let (i, bad) = output.values.enumerated().first(where: { $0.element.count != rowCount }) {
            throw DataError(file: origin, line: nil, column: output.names[i],
                            message: "has \(bad.count) values but the first column has \(rowCount); "
                                + "this is a host bug, please report it")
        }
        var seen: Set<String> = []
        var columns: [Column] = []
        for decl in declared {
            guard seen.insert(decl.name).inserted else {
                throw DataError(file: origin, line: nil, column: decl.name,
                                message: "the plugin declares this column twice in `columns`; remove one")
            }
            guard let type = ColumnType(rawValue: decl.type) else {
                throw DataError(file: origin, line: nil, column: decl.name,
                                message: "declared type '\(decl.type)' is not one of "
                                    + ColumnType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let values = emitted[decl.name].map { output.values[$0] }
                ?? [PluginValue](repeating: .null, count: rowCount)
            columns.append(try sourceColumn(values, name: decl.name, type: type, origin: origin,
                                            formats: dateFormats[decl.name] ?? []))
        }
        return try Table(columns: columns)
    }

    private static func sourceColumn(_ values: [PluginValue], name: String, type: ColumnType,
                                     origin: String, formats: [DateFormat]) throws -> Column {
        let n = values.count
        var valid = Bitmap(count: n, allSet: true)
        func fail(_ r: Int, _ v: PluginValue, _ why: String? = nil) -> DataError {
            let shown: String
            switch v {
            case .string(let s): shown = s.utf8.count > 60 ? "'\(s.prefix(57))…'" : "'\(s)'"
            case .int(let i): shown = String(i)
            case .double(let d): shown = formatDouble(d)
            case .bool(let b): shown = b ? "true" : "false"
            case .array: shown = "an array"
            case .object: shown = "a table"
            case .null: shown = "nil"
            }
            if type == .date, !formats.isEmpty {
                return DataError(file: origin, line: nil, column: name,
                                 message: "record \(r + 1): \(shown) is not a date in "
                                     + formats.map { "'\($0.pattern)'" }.joined(separator: " or ")
                                     + " (the definition's schema format); emit dates in that format or change the format")
            }
            return DataError(file: origin, line: nil, column: name,
                             message: "record \(r + 1): \(shown) is not \(type.expectation); "
                                 + (why.map { $0 + "; " } ?? "") + (type == .string ? "emit text, a number or a boolean"
                                     : "emit \(type.expectation) or declare the column as string"))
        }
        /// Parses text with the CSV rules; nil for the empty string (missing).
        func text<T>(_ s: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T?? {
            if s.isEmpty { return .some(nil) }
            guard let v = s.withUTF8Bytes(parse) else { return nil }
            return .some(v)
        }
        switch type {
        case .integer:
            var out = [Int64](repeating: 0, count: n)
            for (r, v) in values.enumerated() {
                switch v {
                case .null: valid[r] = false
                case .int(let i): out[r] = i
                case .double(let d) where d == d.rounded() && d >= -9.223_372_036_854_775_808e18
                    && d < 9.223_372_036_854_775_808e18:
                    out[r] = Int64(d)
                case .string(let s):
                    guard let parsed = text(s, ValueParsing.integer) else { throw fail(r, v) }
                    if let p = parsed { out[r] = p } else { valid[r] = false }
                default: throw fail(r, v)
                }
            }
            return Column(name: name, storage: .integer(out), validity: valid)
        case .double:
            var out = [Double](repeating: 0, count: n)
            for (r, v) in values.enumerated() {
                switch v {
                case .null: valid[r] = false
                case .int(let i): out[r] = Double(i)
                // NaN and infinities never reach a table: plugins and statistics see only finite numbers.
                case .double(let d):
                    guard d.isFinite else { throw fail(r, v, "NaN and infinity are not values; emit nil for a missing value") }
                    out[r] = d
                case .string(let s):
                    guard let parsed = text(s, { b -> Double? in
                        if case .value(let d) = ValueParsing.finiteDouble(b) { return d }
                        return nil
                    }) else { throw fail(r, v, "text must be a finite number within the range of a double") }
                    if let p = parsed { out[r] = p } else { valid[r] = false }
                default: throw fail(r, v)
                }
            }
            return Column(name: name, storage: .double(out), validity: valid)
        case .bool:
            var out = [Bool](repeating: false, count: n)
            for (r, v) in values.enumerated() {
                switch v {
                case .null: valid[r] = false
                case .bool(let b): out[r] = b
                case .string(let s):
                    guard let parsed = text(s, ValueParsing.bool) else { throw fail(r, v) }
                    if let p = parsed { out[r] = p } else { valid[r] = false }
                default: throw fail(r, v)
                }
            }
            return Column(name: name, storage: .bool(out), validity: valid)
        case .date:
            var out = [Int32](repeating: 0, count: n)
            for (r, v) in values.enumerated() {
                switch v {
                case .null: valid[r] = false
                case .string(let s):
                    guard let parsed = text(s, { formats.isEmpty ? ValueParsing.date($0) ?? ValueParsing.dateTime($0)
                                                                 : DateFormat.days($0, in: formats) }) else {
                        throw fail(r, v)
                    }
                    if let p = parsed { out[r] = p } else { valid[r] = false }
                default: throw fail(r, v)
                }
            }
            return Column(name: name, storage: .date(out), validity: valid)
        case .string:
            var codes = [Int32](repeating: 0, count: n)
            var dictionary = ByteDictionary()
            for (r, v) in values.enumerated() {
                let s: String
                switch v {
                case .null: valid[r] = false; continue
                case .string(let t): s = t
                case .int(let i): s = String(i)
                case .double(let d): s = formatDouble(d)
                case .bool(let b): s = b ? "true" : "false"
                case .array, .object: throw fail(r, v)
                }
                codes[r] = s.withUTF8Bytes { dictionary.code(for: $0) }
            }
            return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.strings), validity: valid)
        }
    }
}
