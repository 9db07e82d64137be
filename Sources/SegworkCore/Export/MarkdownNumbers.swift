import Foundation
import SegworkData

// The number formats of the readable reports (`profiles.md`; diff.md borrows `percent`). One fixed format per kind
// of number, so a column of a table lines up and reads the same from row to row (docs/EXPORTS.md, "profiles.md"):
//
// | kind                                             | format                                | example          |
// | ------------------------------------------------ | ------------------------------------- | ---------------- |
// | counts (customers, rows, missing, orders)        | integer                               | `12,345`         |
// | money (revenue, value per customer, order value)  | 2 decimals                            | `103,325,495.52` |
// | shares                                           | percent, 1 decimal                    | `22.2%`          |
// | index (group mean / population mean × 100)       | integer                               | `152`            |
// | ratios (lift, scores, standardized differences)  | 2 decimals                            | `1.67`           |
// | other statistics (means, medians, … of a column) | 2 decimals; below 0.005, 2 significant | `3.50`, `0.00041`|
// | statistics of date columns                       | the date (nearest day)                | `2024-03-01`     |
//
// Integer parts get a comma every three digits; there is never a `-0`; an undefined value is `-`; beyond 10^15 in
// magnitude every kind is written in scientific notation with four significant digits (`1.235e+18`).
// The JSON and CSV exports keep full precision (12 significant digits): these formats are for reading only.

extension MarkdownText {
    /// A count: `12,345`.
    static func count(_ n: Int) -> String { grouped(String(n)) }

    /// A count held as a number (a sum of an orders column), to the nearest integer: `1,235`; `-` when undefined.
    static func count(_ d: Double?) -> String { grouped(fixed(d, decimals: 0)) }

    /// A share as a percentage with one decimal: `12.3%`, `1,250.0%`; `-` when undefined.
    static func percent(_ share: Double?) -> String {
        guard let share else { return "-" }
        let text = grouped(fixed(share * 100, decimals: 1))
        return text == "-" ? text : text + "%"
    }

    /// Money with two decimals: `103,325,495.52`; `-` when undefined.
    static func money(_ d: Double?) -> String { grouped(fixed(d, decimals: 2)) }

    /// A ratio (lift, score, standardized difference) with two decimals: `1.67`; `-` when undefined.
    static func ratio(_ d: Double?) -> String { grouped(fixed(d, decimals: 2)) }

    /// An index (× 100) as an integer: `85`, `1,523`; `-` when undefined.
    static func index(_ d: Double?) -> String { grouped(fixed(d, decimals: 0)) }

    /// A statistic of a column: a date (nearest day) for date columns, else `number`; `-` when undefined.
    static func statistic(_ d: Double?, date: Bool) -> String {
        guard let d else { return "-" }
        if date, let days = Int32(exactly: d.rounded()) { return CivilDate(days: days).description }
        return number(d)
    }

    /// Decimals below which a value that is not 0 would read as `0.00`: such values get two significant digits.
    static let smallNumber = 0.005

    /// A statistic with two decimals (`1,234.50`); a value that is not 0 but smaller than 0.005 in magnitude with two
    /// significant digits instead (`0.00041`, `-0.0012`), so it does not read as 0; `-` when undefined.
    static func number(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "-" }
        let magnitude = abs(d)
        guard magnitude < smallNumber, magnitude > 0 else { return grouped(fixed(d, decimals: 2)) }
        // Two significant digits: the first is at 10^floor(log10 |d|), so one more decimal than its position.
        let decimals = min(1 - Int(log10(magnitude).rounded(.down)), maxDecimals)
        return fixed(d, decimals: decimals)
    }

    /// The most decimals `number` writes: smaller values than 10⁻¹² are shown as `0.000000000000`.
    static let maxDecimals = 12

    /// Magnitudes from which numbers are written in scientific notation (`1.235e+18`): a fixed format would print
    /// hundreds of digits for 1e300, most of them noise.
    static let scientificFrom = 1e15

    /// `d` with a fixed number of decimals and no grouping (never `-0.00`), or `-` when undefined; beyond
    /// `scientificFrom` in magnitude, scientific with four significant digits.
    static func fixed(_ d: Double?, decimals: Int) -> String {
        guard let d, d.isFinite else { return "-" }
        if abs(d) >= scientificFrom { return String(format: "%.3e", d) }
        let s = String(format: "%.\(decimals)f", d)
        if s.hasPrefix("-"), !s.contains(where: { ("1"..."9").contains($0) }) { return String(s.dropFirst()) }
        return s
    }

    /// `s` (a number as `fixed` writes it) with a comma every three digits of its integer part: `-1234567.5` becomes
    /// `-1,234,567.5`. Anything that is not such a number (`-`) is returned as it is.
    static func grouped(_ s: String) -> String {
        let negative = s.hasPrefix("-")
        let body = negative ? s.dropFirst() : Substring(s)
        let point = body.firstIndex(of: ".") ?? body.endIndex
        let whole = body[..<point]
        guard !whole.isEmpty, whole.allSatisfy({ ("0"..."9").contains($0) }) else { return s }
        var out = ""
        for (i, digit) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (negative ? "-" : "") + out + body[point...]
    }
}
