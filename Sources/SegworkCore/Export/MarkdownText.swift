import Foundation
import LuaHost
import SegworkData

/// A Markdown document under construction, with the number formats of `profiles.md`.
struct MarkdownText {
    /// Column alignment in a table.
    enum Align { case left, right }

    private var text = ""

    /// Appends a line.
    mutating func line(_ s: String = "") { text += s + "\n" }

    /// Appends a table (escaping every cell) followed by a blank line; `_none_` when there are no rows.
    mutating func table(_ header: [String], align: [Align], rows: [[String]]) {
        guard !rows.isEmpty else { line("_none_"); line(); return }
        line("| " + header.map(escape).joined(separator: " | ") + " |")
        line("|" + header.indices.map { i in
            (i < align.count && align[i] == .right) ? " ---: " : " --- "
        }.joined(separator: "|") + "|")
        for row in rows { line("| " + row.map(escape).joined(separator: " | ") + " |") }
        line()
    }

    /// Text safe inside a table cell or heading, with no live Markdown or HTML: `\`, `|`, `` ` ``, `[` and `]`
    /// backslash-escaped; `&`, `<` and `>` as HTML entities (so no tag, `<script>` or `<javascript:…>` autolink,
    /// and no `[text](javascript:…)` link can form); line breaks and tabs as spaces; any other control character
    /// (`TerminalText.isControl`) as the visible text `\u{1B}`, never raw.
    func escape(_ s: String) -> String {
        Self.escaped(s) { ch in
            switch ch {
            case "\\", "|", "`", "[", "]": return "\\" + String(ch)
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            default: return nil
            }
        }
    }

    /// `s` with `special` applied to each scalar it maps (nil: kept), line breaks and tabs as spaces, and any other
    /// control character (`TerminalText.isControl`) as the visible text `\u{1B}`: the rule every readable export
    /// (Markdown, HTML) shares.
    static func escaped(_ s: String, _ special: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            if let replaced = special(ch) { out += replaced; continue }
            switch ch {
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

    /// The document's bytes (UTF-8).
    var data: Data { Data(text.utf8) }

    /// The marker of suppressed statistics: `(suppressed: fewer than 5 customers)`.
    static func suppressed(_ run: RunInfo) -> String {
        "(suppressed: fewer than \(run.privacy?.minGroupSize.map(String.init) ?? "k") customers)"
    }

    /// A plugin value as compact JSON-like text with keys in byte order.
    static func render(_ v: PluginValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatDouble(d)
        case .string(let s): return quoted(s)
        case .array(let a): return "[" + a.map(render).joined(separator: ", ") + "]"
        case .object(let o):
            let entries = o.sorted { ByteOrder.less($0.key, $1.key) }
            return "{" + entries.map { "\(quoted($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
