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
        MarkdownText.escaped(s) { ch in
            switch ch {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&#39;"
            default: return nil
            }
        }
    }

    /// `s` cut to `limit` characters with "…" at the end when longer.
    static func short(_ s: String, _ limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(limit - 1, 1))) + "…"
    }

    // The number formats are profiles.md's (`MarkdownText`, docs/EXPORTS.md "profiles.md"): one format per kind of
    // number, so the report and the Markdown show a value the same way.

    /// A count with thousands separators: `12,345`.
    static func count(_ n: Int) -> String { MarkdownText.count(n) }

    /// A share as a percentage with one decimal (`31.8%`), `-` when undefined.
    static func percent(_ share: Double?) -> String { MarkdownText.percent(share) }

    /// Money with two decimals and thousands separators (`103,325,495.52`), `-` when undefined.
    static func money(_ d: Double?) -> String { MarkdownText.money(d) }

    /// A statistic of a column (`1,234.50`), or a date for date columns; `-` when undefined.
    static func number(_ d: Double?, date: Bool = false) -> String { MarkdownText.statistic(d, date: date) }

    /// `d` with `decimals` decimals and thousands separators, never `-0`; `-` when undefined.
    static func fixed(_ d: Double?, _ decimals: Int) -> String { MarkdownText.grouped(MarkdownText.fixed(d, decimals: decimals)) }

    /// A coordinate or length in SVG: at most two decimals, no trailing zeros.
    static func px(_ d: Double) -> String {
        let r = (d * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : formatDouble(r)
    }
}
