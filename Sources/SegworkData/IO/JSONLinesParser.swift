private let lf: UInt8 = 0x0A
private let dquote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

/// A strict byte-level JSON parser for JSON Lines: one object per non-blank line (lines end at LF; a CR before it
/// is whitespace). Top-level keys become columns in order of first appearance; each value is kept as a `Cell`
/// (numbers and booleans as written, strings unescaped, arrays and objects as compact JSON text).
package struct JSONLinesParser {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let origin: String

    /// Unescaped strings and compact nested values, referred to by negative starts `-(offset + 1)`.
    private(set) var arena: [UInt8] = []
    /// Column names by code, in order of first appearance.
    private(set) var keys = ByteDictionary()
    /// Per column, per record: `CellKind` raw value, start (≥ 0 in the input, < 0 in the arena), length.
    private(set) var kinds: [[UInt8]] = []
    private(set) var starts: [[Int]] = []
    private(set) var lengths: [[Int]] = []
    /// The line of each record.
    private(set) var lines: [Int] = []

    private var pos = 0
    private var lineStart = 0
    private var lineEnd = 0
    private var line = 0
    private var keyScratch: [UInt8] = []
    private var currentKey: String?

    private let firstLine: Int

    /// A parser for `count` bytes at `base`, the first of which is on line `firstLine` of `origin`.
    init(base: UnsafePointer<UInt8>, count: Int, origin: String, firstLine: Int = 1) {
        self.base = base; self.count = count; self.origin = origin; self.firstLine = firstLine
    }

    /// Parses every line.
    mutating func parse() throws {
        var p = 0
        var lineNo = firstLine - 1
        while p < count {
            lineNo += 1
            var e = p
            while e < count, base[e] != lf { e += 1 }
            lineStart = p; lineEnd = e; line = lineNo; pos = p
            skipWhitespace()
            if pos < lineEnd { try record() }
            p = e + 1
        }
    }

    // MARK: errors

    private func error(_ message: String) -> DataError {
        DataError(file: origin, line: line, column: currentKey, message: message)
    }

    private var truncated: DataError {
        error("the line ends before the JSON object is complete (is it truncated?); "
            + "each record must be one complete object on one line")
    }

    private func expected(_ what: String) -> DataError {
        guard pos < lineEnd else { return truncated }
        let found = base[pos] < 0x80 && base[pos] >= 0x20 ? "'\(Character(Unicode.Scalar(base[pos])))'" : "a non-ASCII character"
        return error("invalid JSON at character \(pos - lineStart + 1): expected \(what) but found \(found)")
    }

    // MARK: records

    @inline(__always)
    private mutating func skipWhitespace() {
        while pos < lineEnd {
            let b = base[pos]
            guard b == 0x20 || b == 0x09 || b == 0x0D else { return }
            pos += 1
        }
    }

    private mutating func record() throws {
        currentKey = nil
        guard base[pos] == UInt8(ascii: "{") else {
            throw error("this line is not a JSON object; each line must hold one object such as {\"id\": 1}")
        }
        let record = lines.count
        lines.append(line)
        pos += 1
        skipWhitespace()
        if pos < lineEnd, base[pos] == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                skipWhitespace()
                guard pos < lineEnd, base[pos] == dquote else { throw expected("a key in double quotes") }
                let column = try key(record: record)
                skipWhitespace()
                guard pos < lineEnd, base[pos] == UInt8(ascii: ":") else { throw expected("':' after the key") }
                pos += 1
                skipWhitespace()
                try value(column: column)
                skipWhitespace()
                guard pos < lineEnd else { throw truncated }
                if base[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if base[pos] == UInt8(ascii: "}") { pos += 1; break }
                throw expected("',' or '}' after the value")
            }
        }
        currentKey = nil
        skipWhitespace()
        if pos < lineEnd { throw error("text follows the JSON object; put exactly one object on each line") }
        for c in 0..<kinds.count where kinds[c].count == record { append(c, .missing, 0, 0) }
    }

    /// Reads a key and returns its column, adding the column (missing in earlier records) when new.
    private mutating func key(record: Int) throws -> Int {
        currentKey = nil
        let (s, e, escaped) = try scanString()
        let code: Int32
        if escaped {
            keyScratch.removeAll(keepingCapacity: true)
            guard JSONLinesParser.unescape(base, s, e, into: &keyScratch) else { throw halfSurrogate }
            code = keyScratch.withUnsafeBufferPointer { keys.code(for: $0) }
        } else {
            code = keys.code(for: UnsafeBufferPointer(start: base + s, count: e - s))
        }
        let c = Int(code)
        currentKey = keys.string(c)
        if c == kinds.count {
            guard e > s else { throw error("an empty key cannot name a column; give the field a name") }
            kinds.append([UInt8](repeating: CellKind.missing.rawValue, count: record))
            starts.append([Int](repeating: 0, count: record))
            lengths.append([Int](repeating: 0, count: record))
        }
        if kinds[c].count > record { throw error("the key appears twice in this object; keep one of them") }
        return c
    }

    @inline(__always)
    private mutating func append(_ c: Int, _ kind: CellKind, _ start: Int, _ length: Int) {
        kinds[c].append(kind.rawValue); starts[c].append(start); lengths[c].append(length)
    }

    private mutating func value(column c: Int) throws {
        guard pos < lineEnd else { throw truncated }
        let b = base[pos]
        switch b {
        case dquote:
            let (s, e, escaped) = try scanString()
            if escaped {
                let offset = arena.count
                guard JSONLinesParser.unescape(base, s, e, into: &arena) else { throw halfSurrogate }
                append(c, .jsonString, -(offset + 1), arena.count - offset)
            } else {
                append(c, .jsonString, s, e - s)
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let offset = arena.count
            try compact(depth: 1)
            append(c, .jsonNested, -(offset + 1), arena.count - offset)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let s = pos
            try literal(b == UInt8(ascii: "t") ? "true" : "false")
            append(c, .jsonBool, s, pos - s)
        case UInt8(ascii: "n"):
            try literal("null")
            append(c, .missing, 0, 0)
        default:
            let s = pos
            try number()
            append(c, .jsonNumber, s, pos - s)
        }
    }

    // MARK: JSON pieces

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        for k in 0..<n {
            guard pos + k < lineEnd else { throw truncated }
            guard base[pos + k] == w[k] else { pos += k; throw expected("'\(word)'") }
        }
        pos += n
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws {
        func digits() -> Int {
            var k = 0
            while pos < lineEnd, base[pos] &- 48 < 10 { pos += 1; k += 1 }
            return k
        }
        if pos < lineEnd, base[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < lineEnd else { throw truncated }
        if base[pos] == UInt8(ascii: "0") { pos += 1 } else if digits() == 0 { throw expected("a value") }
        if pos < lineEnd, base[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw expected("a digit after the decimal point") }
        }
        if pos < lineEnd, base[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < lineEnd, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw expected("a digit in the exponent") }
        }
    }

    /// Scans the string at `pos` (on its opening quote); returns the content's bounds and whether it has escapes.
    private mutating func scanString() throws -> (Int, Int, Bool) {
        pos += 1
        let start = pos
        var escaped = false
        while true {
            guard pos < lineEnd else { throw truncated }
            let b = base[pos]
            if b == dquote { pos += 1; return (start, pos - 1, escaped) }
            if b < 0x20 { throw error("a string holds a raw control character at character \(pos - lineStart + 1); escape it") }
            if b == backslash {
                escaped = true
                pos += 1
                guard pos < lineEnd else { throw truncated }
                switch base[pos] {
                case dquote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    let escapeStart = pos - 1
                    var scalar: UInt32 = 0
                    for _ in 0..<4 {
                        pos += 1
                        guard pos < lineEnd else { throw truncated }
                        guard let h = JSONLinesParser.hexValue(base[pos]) else { throw expected("four hex digits after \\u") }
                        scalar = scalar << 4 | h
                    }
                    // A NUL is refused as a NUL byte in a CSV file is: it cannot be stored or exported as text.
                    if scalar == 0 {
                        throw error("a string holds the escape \\u0000 (a NUL character) at character "
                            + "\(escapeStart - lineStart + 1); NUL is not text and cannot be stored or exported: "
                            + "remove it from the value")
                    }
                default:
                    throw expected("a valid escape after \\")
                }
            }
            pos += 1
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    private var halfSurrogate: DataError {
        error("a \\u escape names half of a UTF-16 surrogate pair; write the whole character")
    }

    /// Appends the unescaped UTF-8 of `base[s ..< e]` (already checked by `scanString`) to `out`; false when a
    /// `\\u` escape is half of a surrogate pair.
    private static func unescape(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into out: inout [UInt8]) -> Bool {
        var i = s
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | hexValue(base[at + $1])! }
        }
        while i < e {
            let b = base[i]
            guard b == backslash else { out.append(b); i += 1; continue }
            let c = base[i + 1]
            i += 2
            switch c {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= e, base[i] == backslash, base[i + 1] == UInt8(ascii: "u"),
                   case let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let u = Unicode.Scalar(scalar) else { return false }
                out.append(contentsOf: UTF8.encode(u)!)
            default: out.append(c) // \" \\ \/
            }
        }
        return true
    }

    /// Copies the value at `pos` into the arena as compact JSON (no whitespace outside strings).
    private mutating func compact(depth: Int) throws {
        guard depth <= 64 else { throw error("a value is nested more than 64 levels deep; flatten it") }
        guard pos < lineEnd else { throw truncated }
        let open = base[pos]
        switch open {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            arena.append(open)
            pos += 1
            skipWhitespace()
            if pos < lineEnd, base[pos] == close { arena.append(close); pos += 1; return }
            while true {
                skipWhitespace()
                if open == UInt8(ascii: "{") {
                    guard pos < lineEnd, base[pos] == dquote else { throw expected("a key in double quotes") }
                    try compact(depth: depth)
                    skipWhitespace()
                    guard pos < lineEnd, base[pos] == UInt8(ascii: ":") else { throw expected("':' after the key") }
                    arena.append(UInt8(ascii: ":"))
                    pos += 1
                    skipWhitespace()
                }
                try compact(depth: depth + 1)
                skipWhitespace()
                guard pos < lineEnd else { throw truncated }
                if base[pos] == UInt8(ascii: ",") { arena.append(UInt8(ascii: ",")); pos += 1; continue }
                if base[pos] == close { arena.append(close); pos += 1; return }
                throw expected(open == UInt8(ascii: "{") ? "',' or '}'" : "',' or ']'")
            }
        default:
            let s = pos
            switch open {
            case dquote: _ = try scanString()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
            arena.append(contentsOf: UnsafeBufferPointer(start: base + s, count: pos - s))
        }
    }
}

extension JSONLinesParser {
    /// The top-level fields of one JSON Lines record (`line`, without its LF) with each value's text exactly as the
    /// reader makes it for a column read as text: a string unescaped, a number or boolean as written (`1e2`, `-0`,
    /// `12.50`), an array or object as compact JSON; `null` leaves the field out. Nil when the line is blank or not
    /// a record the reader accepts (it would refuse the file).
    package static func fieldTexts(_ line: UnsafeBufferPointer<UInt8>) -> [String: [UInt8]]? {
        guard let base = line.baseAddress, !line.isEmpty else { return nil }
        var parser = JSONLinesParser(base: base, count: line.count, origin: "")
        guard (try? parser.parse()) != nil, parser.lines.count == 1 else { return nil }
        var out: [String: [UInt8]] = [:]
        for c in 0..<parser.kinds.count {
            guard parser.kinds[c][0] != CellKind.missing.rawValue else { continue }
            let s = parser.starts[c][0], n = parser.lengths[c][0]
            out[parser.keys.string(c)] = s >= 0 ? Array(line[s..<(s + n)]) : Array(parser.arena[(-s - 1)..<(-s - 1 + n)])
        }
        return out
    }
}
