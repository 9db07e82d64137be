/// Advice for a file read with the wrong layout or a number written in a way the reader does not take. Computed
/// only once an error (or a note) is being made, never per field on the way through a file.
package enum ReadHints {
    /// The delimiters tried, in order, when a line splits wrongly: `,` `;` tab `|` whitespace.
    static let candidates: [TextFormat.Delimiter] = [.byte(UInt8(ascii: ",")), .byte(UInt8(ascii: ";")), .byte(0x09),
                                                      .byte(UInt8(ascii: "|")), .whitespace]

    /// The fields of `line` split with `delimiter` (quotes respected for a byte delimiter, as RFC 4180 does; runs of
    /// spaces and tabs for whitespace, leading and trailing ones ignored).
    package static func split(_ line: String, by delimiter: TextFormat.Delimiter) -> [String] {
        switch delimiter {
        case .whitespace:
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        case .byte(let b):
            let d = Character(UnicodeScalar(b))
            var fields: [String] = [], field = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle(); continue }
                if ch == d, !quoted { fields.append(field); field = ""; continue }
                field.append(ch)
            }
            fields.append(field)
            return fields
        }
    }

    /// The first delimiter other than `current` that splits `line` into `expected` fields (any count above one
    /// when `expected` is nil), with the fields.
    package static func delimiter(splitting line: String, into expected: Int?,
                                  other current: TextFormat.Delimiter?) -> (TextFormat.Delimiter, [String])? {
        for d in candidates where d != current {
            let fields = split(line, by: d)
            if let expected { if fields.count == expected { return (d, fields) } } else if fields.count > 1 { return (d, fields) }
        }
        return nil
    }

    /// `line N splits into K fields with delimiter: D; give the dataset that delimiter (seg import: --delimiter D)`,
    /// or nil when no other delimiter splits the line into `expected` fields.
    package static func delimiterAdvice(line text: String, number: Int, expected: Int?,
                                        current: TextFormat.Delimiter?) -> String? {
        guard let (d, fields) = delimiter(splitting: text, into: expected, other: current) else { return nil }
        let name = TextFormat.name(of: d)
        let shown = d == .whitespace ? "whitespace" : "\"\(name)\""
        return "line \(number) splits into \(fields.count) fields with delimiter: \(name); give the dataset "
            + "delimiter: \(shown) (seg import: --delimiter \(d == .byte(0x09) ? "tab" : name == "|" || name == ";" ? "'\(name)'" : name))"
    }

    /// Whether `s` looks like a value rather than a column name: a number (either decimal mark, with a sign), an
    /// ISO date or date-time, or a `YYYYMMDD` date.
    package static func looksLikeData(_ s: String) -> Bool {
        s.withUTF8Bytes { b in
            if b.isEmpty { return false }
            if ValueParsing.integer(b) != nil || ValueParsing.isDouble(b) { return true }
            if ValueParsing.withDecimalPoint(b, ValueParsing.isDouble) == true { return true }
            return ValueParsing.date(b) != nil || ValueParsing.dateTime(b) != nil || ValueParsing.isCompactDate(b)
        }
    }

    /// For a header whose every name looks like a value (`00001 19970313 3 65.09`): the file seems to have no
    /// header line. Nil otherwise.
    package static func dataAsHeader(_ names: [String]) -> String? {
        guard !names.isEmpty, names.allSatisfy(looksLikeData) else { return nil }
        return "the file seems to have no header line (its first line, "
            + names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", …" : "")
            + ", holds values, not names): give the dataset header: false and name its columns with columns: [...] "
            + "(seg import: --no-header --columns ...)"
    }

    /// For the first record of a file read with `header: false` that does not fit its column's type: the line is
    /// probably a header.
    package static func headerLine(_ line: Int) -> String {
        "line \(line) looks like a header: remove header: false and columns: so that it names the columns, or "
            + "delete the line"
    }

    /// Why text that was expected to be a number is not one, when its spelling says: thousands separators
    /// (`1.234,50`, `1,234.50`, `1 234`), or decimal commas read without `decimal: ","`. Nil when the value does not
    /// look like a number at all.
    package static func number(_ text: String, decimalComma: Bool) -> String? {
        var body = Substring(text)
        if let f = body.first, f == "-" || f == "+" { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber,
              let last = body.last, last.isASCII, last.isNumber else { return nil }
        let separators = body.filter { !($0.isASCII && $0.isNumber) }
        guard !separators.isEmpty,
              separators.allSatisfy({ $0 == "." || $0 == "," || $0 == " " || $0 == "'" || $0 == "\u{A0}" || $0 == "\u{202F}" })
        else { return nil }
        let mark: Character = decimalComma ? "," : "."
        let decimals = lastDecimals(body, separators)
        if separators.count == 1, let decimals {
            // One separator, not three digits after it: a decimal mark.
            let sep = separators.first!
            if sep == mark { return nil }
            if sep == "," { return "the values look like decimal commas: add decimal: \",\" to the dataset (seg import: --decimal ',')" }
            if sep == "." { return "the value has a decimal point but the dataset says decimal: \",\"; write it with a comma (\(text.replacingOccurrences(of: ".", with: ","))), or remove decimal: \",\" if the file uses points" }
            return nil
        }
        // Grouping marks: the value written without them, its decimal mark kept.
        var plain = String(text.filter { !" '.,\u{A0}\u{202F}".contains($0) })
        var decimalMark = mark
        if let decimals, decimals > 0 {
            decimalMark = separators.last!
            plain.insert(decimalMark, at: plain.index(plain.endIndex, offsetBy: -decimals))
        }
        var advice = "thousands separators are not supported: remove them (write \(plain))"
        if !decimalComma, decimalMark == "," { advice += " and add decimal: \",\" to the dataset" }
        if decimalComma, decimalMark == "." { advice += " and remove decimal: \",\" (the file uses decimal points)" }
        if separators == "," && !decimalComma && decimals == nil {
            // 1,234: thousands, or a decimal comma? Say both.
            advice += "; if the comma is a decimal mark, add decimal: \",\" to the dataset instead"
        }
        return advice
    }

    /// The number of digits after the last separator when it is a decimal mark (it differs from the earlier
    /// ones, or is the only one and not followed by exactly three digits).
    private static func lastDecimals(_ body: Substring, _ separators: String) -> Int? {
        guard let lastSep = separators.last, let at = body.lastIndex(of: lastSep) else { return nil }
        let digits = body.distance(from: body.index(after: at), to: body.endIndex)
        let earlier = separators.dropLast()
        if earlier.isEmpty { return digits == 3 ? nil : digits }
        return earlier.contains(lastSep) ? nil : digits
    }
}
