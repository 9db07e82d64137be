#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level parsers for field text. Each accepts the whole field exactly (no surrounding spaces) or returns nil.
package enum ValueParsing {
    /// `[+-]?[0-9]+` that fits Int64.
    @inline(__always)
    package static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        guard i < n else { return nil }
        // Accumulate negatively so Int64.min parses.
        var v: Int64 = 0
        while i < n {
            let d = Int64(b[i]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        if negative { return v }
        return v == .min ? nil : -v
    }

    /// `[+-]?` followed by `nan`, `inf` or `infinity` (any case): the value, else nil.
    static func special(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var sign = 1.0
        if b.count > 0, b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            sign = b[0] == UInt8(ascii: "-") ? -1 : 1; i = 1
        }
        func matches(_ word: StaticString) -> Bool {
            guard b.count - i == word.utf8CodeUnitCount else { return false }
            for k in 0..<word.utf8CodeUnitCount where b[i + k] | 0x20 != word.utf8Start[k] { return false }
            return true
        }
        if matches("nan") { return .nan }
        if matches("inf") || matches("infinity") { return sign * .infinity }
        return nil
    }

    /// Decimal numbers `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?`, and `nan`, `inf`, `infinity` in any case with an
    /// optional sign. Out-of-range exponents give ±infinity or ±0, as IEEE 754 rounding says. Correctly rounded:
    /// values with at most 15 significant digits and a small power of ten are computed exactly (one rounding of
    /// an exact quotient or product); others go to the C library's `strtod` (the process never calls `setlocale`,
    /// so it runs in the "C" locale, and the grammar was checked here first).
    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { negative = b[0] == UInt8(ascii: "-"); i = 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var scale = 0
        while i < n, b[i] &- 48 < 10 {
            let d = UInt64(b[i] &- 48)
            if mantissa != 0 || d != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { scale += 1 }
            i += 1; digits += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] &- 48 < 10 {
                let d = UInt64(b[i] &- 48)
                if mantissa != 0 || d != 0 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ d; scale -= 1 }
                i += 1; digits += 1
            }
        }
        if digits == 0 { return special(b) }
        var exponent = 0
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { expNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            var expDigits = 0
            while i < n, b[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(b[i] &- 48) }
                i += 1; expDigits += 1
            }
            guard expDigits > 0 else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        let power = scale + exponent
        if significant <= 15, power >= -22, power <= 22 {
            // Exact: mantissa < 10^15 < 2^53 and 10^|power| ≤ 10^22 are both doubles, so one IEEE operation
            // rounds the exact value once (Clinger's fast path).
            var v = Double(mantissa)
            if power < 0 { v /= exactPowersOfTen[-power] } else { v *= exactPowersOfTen[power] }
            return negative ? -v : v
        }
        return slowDouble(b)
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// The C library's correctly rounded conversion.
    private static func slowDouble(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { buf in
            for k in 0..<b.count { buf[k] = CChar(bitPattern: b[k]) }
            buf[b.count] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// Whether a column inferred from text may hold `b` as a double, without converting in the common case: a
    /// finite decimal number that a double holds without overflowing to infinity or underflowing to zero, and that
    /// is not an integer too large for Int64 (a double would round it: such a column stays text, like ids).
    /// `nan`, `inf` and `infinity` are words, not numbers: they keep a column text (a name such as "Nan").
    static func isDouble(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n > 0 else { return false }
        var i = 0
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { i = 1 }
        var digits = 0
        var point = false, exponent = false
        while i < n, b[i] &- 48 < 10 { i += 1; digits += 1 }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1; point = true
            while i < n, b[i] &- 48 < 10 { i += 1; digits += 1 }
        }
        if digits == 0 { return false }
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1; exponent = true
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            var expDigits = 0
            while i < n, b[i] &- 48 < 10 { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return false }
        }
        guard i == n else { return false }
        if !point && !exponent { return integer(b) != nil }
        // Without an exponent, fewer than 300 digits can neither overflow nor underflow.
        if !exponent && digits < 300 { return true }
        if case .value = finiteDouble(b) { return true }
        return false
    }

    /// What decimal text reads as, when a double may only hold what the text says (up to rounding).
    package enum CheckedDouble: Equatable {
        /// A finite double; zero only when every digit is zero.
        case value(Double)
        /// Not a decimal number.
        case notNumber
        /// `nan`, `inf` or `infinity` (any case, optional sign).
        case special
        /// Beyond ±1.7976931348623157e308: a double would be infinite.
        case overflow
        /// A non-zero value below 5e-324 in size: a double would be zero.
        case underflow
    }

    /// `double(b)`, refusing what a double cannot hold: NaN and infinities written as words, values that would
    /// overflow to infinity and non-zero values that would underflow to zero.
    package static func finiteDouble(_ b: UnsafeBufferPointer<UInt8>) -> CheckedDouble {
        guard let v = double(b) else { return .notNumber }
        if special(b) != nil { return .special }
        if !v.isFinite { return .overflow }
        if v == 0, hasNonZeroDigit(b) { return .underflow }
        return .value(v)
    }

    /// Whether a digit of the mantissa (before any exponent) is not zero.
    private static func hasNonZeroDigit(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b {
            if c | 0x20 == UInt8(ascii: "e") { return false }
            if c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    /// Runs `body` over `b` read with a decimal comma: a comma becomes the decimal point (`11,77` → `11.77`). Text
    /// with a decimal point or with more than one comma is not a number in such a file (nil): thousands separators
    /// are not accepted, since `1.234` could be either.
    @inline(__always)
    package static func withDecimalPoint<R>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        var comma = -1
        for k in 0..<b.count {
            let c = b[k]
            if c == UInt8(ascii: ".") { return nil }
            if c == UInt8(ascii: ",") {
                if comma >= 0 { return nil }
                comma = k
            }
        }
        guard comma >= 0 else { return body(b) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { buf in
            for k in 0..<b.count { buf[k] = b[k] }
            buf[comma] = UInt8(ascii: ".")
            return body(UnsafeBufferPointer(buf))
        }
    }

    /// Whether `b` is written as an integer (`[+-]?[0-9]+`), whatever its size.
    static func isIntegerShaped(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if b.count > 0, b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { i = 1 }
        guard i < b.count else { return false }
        while i < b.count { guard b[i] &- 48 < 10 else { return false }; i += 1 }
        return true
    }

    /// `true` or `false`, any case.
    @inline(__always)
    static func bool(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        if b.count == 4, b[0] | 0x20 == 0x74, b[1] | 0x20 == 0x72, b[2] | 0x20 == 0x75, b[3] | 0x20 == 0x65 {
            return true
        }
        if b.count == 5, b[0] | 0x20 == 0x66, b[1] | 0x20 == 0x61, b[2] | 0x20 == 0x6C, b[3] | 0x20 == 0x73,
           b[4] | 0x20 == 0x65 {
            return false
        }
        return nil
    }

    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var v = 0
        for k in from..<(from + count) {
            let d = Int(b[k]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// Whether `b` is eight digits that make a real calendar date as `YYYYMMDD` (`19970101`): such a column needs
    /// `format: "%Y%m%d"` in the schema, which messages suggest.
    package static func isCompactDate(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 8, let y = digits(b, 0, 4), let m = digits(b, 4, 2), let d = digits(b, 6, 2) else { return false }
        return CivilDate(year: y, month: m, day: d) != nil
    }

    /// The advice for a date column written `YYYYMMDD` (see `isCompactDate`).
    package static func compactDateHint(_ column: String) -> String {
        "the values look like dates written YYYYMMDD: declare the column in the dataset's schema as "
            + "\(column): { format: \"%Y%m%d\" }"
    }

    /// `YYYY-MM-DD` exactly, a real calendar date; days since 1970-01-01.
    @inline(__always)
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 10 else { return nil }
        return datePrefix(b)
    }

    private static func datePrefix(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              let date = CivilDate(year: y, month: m, day: d) else { return nil }
        return date.days
    }

    /// `YYYY-MM-DDThh:mm:ss` with an optional `Z`: the date part, in days since 1970-01-01.
    /// (Offsets such as `+02:00` are not accepted: they could move the date.)
    static func dateTime(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 19 || (b.count == 20 && b[19] == UInt8(ascii: "Z")),
              b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let h = digits(b, 11, 2), let mi = digits(b, 14, 2), let s = digits(b, 17, 2),
              h <= 23, mi <= 59, s <= 60 else { return nil }
        return datePrefix(b)
    }
}

extension String {
    /// Runs `body` over the string's UTF-8 bytes without copying when the storage is contiguous.
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = self
        return try s.withUTF8(body)
    }
}
