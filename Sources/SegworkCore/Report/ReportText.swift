import Foundation
import LuaHost
import SegworkData

/// Text and number formats of `report.html` and `diff.html`, and HTML escaping.
///
/// Every text from the data (labels, column names, values, plugin names) passes through `escape`, so no label can
/// open a tag, an attribute or a script; control characters become visible `\u{…}` text, as in `profiles.md`.
enum ReportText {
    /// `s` safe in HTML text and in a double-quoted attribute.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}": out += " "
            default:
                if TerminalText.isControl(ch.value) {
                    out += "\\u{" + String(ch.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// `s` cut to `limit` characters with "…" at the end when longer.
    static func short(_ s: String, _ limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(limit - 1, 1))) + "…"
    }

    /// An integer with thousands separators: `12,345`.
    static func count(_ n: Int) -> String { grouped(String(n.magnitude), negative: n < 0) }

    /// A share as a percentage with one decimal (`31.8%`), `-` when undefined.
    static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "-" }
        return fixed(share * 100, 1) + "%"
    }

    /// Money with two decimals and thousands separators (`103,325,495.52`), `-` when undefined.
    static func money(_ d: Double?) -> String { fixed(d, 2) }

    /// A statistic: two decimals below 1,000, none above (`12.35`, `4,512`); a date for date columns.
    static func number(_ d: Double?, date: Bool = false) -> String {
        guard let d, d.isFinite else { return "-" }
        if date, let days = Int32(exactly: d.rounded()) { return CivilDate(days: days).description }
        if d == d.rounded(), abs(d) < 1e15 { return count(Int(d)) }
        return fixed(d, abs(d) >= 1000 ? 0 : 2)
    }

    /// `d` with `decimals` decimals and thousands separators, never `-0.00`; `-` when undefined.
    static func fixed(_ d: Double?, _ decimals: Int) -> String {
        guard let d, d.isFinite else { return "-" }
        var s = String(format: "%.\(decimals)f", d)
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        let parts = s.split(separator: ".", maxSplits: 1)
        var out = grouped(String(parts[0]), negative: false)
        if parts.count > 1 { out += "." + parts[1] }
        let zero = !out.contains { ("1"..."9").contains($0) }
        return negative && !zero ? "-" + out : out
    }

    /// Digits with a comma every three from the right.
    private static func grouped(_ digits: String, negative: Bool) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return negative ? "-" + out : out
    }

    /// A coordinate or length in SVG: at most two decimals, no trailing zeros.
    static func px(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : formatDouble(r)
    }
}
