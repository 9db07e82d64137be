import Foundation

/// Makes text that came from a plugin or a data file safe to print on a terminal or in a CI log: the one
/// sanitiser every such print goes through (plugin errors, `seg.log`/`print`, segment labels in run
/// summaries, gate messages and diffs).
///
/// - Control characters are shown, never sent: C0 (`\u{0}`–`\u{1F}`, so ESC, BEL, CR, NUL …), DEL, C1
///   (`\u{80}`–`\u{9F}`), the bidirectional marks, embeddings, overrides and isolates (`\u{202E}` …) and the
///   line and paragraph separators become the visible text `\u{1B}`; bytes that are not UTF-8 become `\xFF`.
/// - Text is cut after `messageLimit` bytes (a table cell after `cellLimit` characters) with a note saying
///   how much was cut.
/// - No line can start with `::` (a GitHub Actions workflow command, even after any white space) and no text can hold
///   `##vso[` or `##[` (Azure Pipelines logging commands): the first character of such a marker is escaped.
/// - `pluginLines` puts `[plugin] ` in front of every line, so plugin text cannot pass for the host's.
public enum TerminalText {
    /// Bytes of one plugin message (an `error()` text, one `seg.log` call) shown at most; the rest is cut,
    /// with a count. docs/PLUGINS.md, "Limits".
    public static let messageLimit = 4096
    /// Characters of one table cell (a segment label) shown at most.
    public static let cellLimit = 200

    /// Whether a Unicode scalar is shown escaped: C0, DEL, C1, bidirectional controls, line/paragraph separators.
    public static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x061C || v == 0x200E || v == 0x200F
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
    }

    /// `bytes` as printable text: control characters escaped (line feeds kept when `keepNewlines`), bytes
    /// that are not UTF-8 as `\xNN`, cut after `limit` bytes of input with ` … (N more bytes cut)`.
    public static func escaped<C: Collection>(utf8 bytes: C, limit: Int = messageLimit,
                                              keepNewlines: Bool = true) -> String where C.Element == UInt8 {
        var out = ""
        let head = Array(bytes.prefix(limit))
        var i = 0
        while i < head.count {
            let n = max(0, head.withUnsafeBufferPointer { utf8SequenceLength($0.baseAddress!, i, $0.count) })
            if n == 0 {
                // Not UTF-8, or a sequence the cut split: shown byte by byte.
                out += "\\x" + (head[i] < 16 ? "0" : "") + String(head[i], radix: 16, uppercase: true)
                i += 1
                continue
            }
            let v = n == 1 ? UInt32(head[i]) : String(decoding: head[i..<i + n], as: UTF8.self).unicodeScalars.first!.value
            if v == 0x0A && keepNewlines { out.append("\n") } else if isControl(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(Unicode.Scalar(v)!)
            }
            i += n
        }
        let consumed = head.count
        let total = bytes.count
        if consumed < total { out += " … (\(total - consumed) more bytes cut)" }
        return neutralisedCommands(out)
    }

    /// `text` as printable text (see `escaped(utf8:limit:keepNewlines:)`).
    public static func escaped(_ text: String, limit: Int = messageLimit, keepNewlines: Bool = true) -> String {
        escaped(utf8: text.utf8, limit: limit, keepNewlines: keepNewlines)
    }

    /// A label or value for one cell of a terminal table: on one line, escaped, at most `cellLimit` characters.
    public static func cell(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > cellLimit else { return escaped(text, keepNewlines: false) }
        let kept = String(String.UnicodeScalarView(scalars.prefix(cellLimit)))
        return escaped(kept, keepNewlines: false) + " … (\(scalars.count - cellLimit) more characters cut)"
    }

    /// Plugin text (a log message, the lines of an error) with `[plugin] ` in front of every line, escaped and
    /// cut as `escaped(_:)` does. The plugin name is escaped too (before its manifest is read it is a file name).
    public static func pluginLines(_ text: String, plugin: String) -> String {
        let prefix = "[\(cell(plugin))] "
        return escaped(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { prefix + $0 }.joined(separator: "\n")
    }

    /// Escapes the first character of CI workflow commands: `::` at the start of a line (after any white space
    /// or invisible format characters: GitHub's runner trims all Unicode white space, U+00A0 and U+3000
    /// included, before it looks for `::`), `##vso[` and `##[` anywhere.
    static func neutralisedCommands(_ text: String) -> String {
        guard text.contains("::") || text.contains("##") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices {
            var line = lines[i]
            let indent = line.prefix { c in
                c.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.generalCategory == .format }
            }
            if line[indent.endIndex...].hasPrefix("::") {
                line = String(indent) + "\\u{3A}" + line[indent.endIndex...].dropFirst()
            }
            for marker in ["##vso[", "##["] where line.contains(marker) {
                line = line.replacingOccurrences(of: marker, with: "\\u{23}" + marker.dropFirst())
            }
            lines[i] = line
        }
        return lines.joined(separator: "\n")
    }
}
