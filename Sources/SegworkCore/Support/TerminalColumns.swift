import Foundation

/// Fitting already-sanitised text (`TerminalText`) into a terminal of a given width: display width, truncation
/// with "…" and word wrapping. Pure functions, so terminal layouts can be tested at any width.
///
/// Display width counts grapheme clusters: `×`, `é` (even as `e` + combining accent) and `…` are one column each.
/// A cluster whose first scalar is East Asian wide or full-width, or an emoji shown as a picture, counts two, as
/// terminals draw them.
public enum TerminalColumns {
    /// The terminal width used when none is known (`seg diff` with output to a file or pipe and no `COLUMNS`).
    public static let defaultWidth = 100

    /// Columns `s` takes on a terminal.
    public static func width(_ s: String) -> Int {
        var n = 0
        for c in s { n += width(of: c) }
        return n
    }

    /// Columns one grapheme cluster takes: 2 for wide and full-width characters and picture emoji, else 1.
    public static func width(of c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        if first.value < 0x1100 { return 1 }
        return isWide(first) ? 2 : 1
    }

    /// `s` cut to at most `columns` columns, ending in "…" when anything was cut. `columns` below 1 counts as 1.
    public static func truncate(_ s: String, to columns: Int) -> String {
        let limit = max(1, columns)
        if width(s) <= limit { return s }
        var out = "", used = 0
        for c in s {
            let w = width(of: c)
            if used + w > limit - 1 { break }
            out.append(c); used += w
        }
        return out + "…"
    }

    /// `s` padded with spaces to `columns` columns, on the right (`leftAligned`) or on the left.
    public static func pad(_ s: String, to columns: Int, leftAligned: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, columns - width(s)))
        return leftAligned ? s + fill : fill + s
    }

    /// `line` wrapped at spaces into lines of at most `columns` columns; lines after the first start with
    /// `indent`. A word longer than a line is split where it has to be, unless `splitWords` is false (a path
    /// someone may copy): then it gets a line of its own, longer than `columns`. Leading spaces of `line` are kept.
    public static func wrap(_ line: String, to columns: Int, indent: String = "    ", splitWords: Bool = true) -> [String] {
        let limit = max(width(indent) + 1, columns)
        if width(line) <= limit { return [line] }
        let lead = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var current = lead, currentWidth = width(lead), startOfLine = true
        func flush() {
            lines.append(current)
            current = indent; currentWidth = width(indent); startOfLine = true
        }
        for word in line.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false) {
            var w = String(word)
            let gap = startOfLine ? 0 : 1
            if !startOfLine, currentWidth + gap + width(w) > limit { flush() }
            if !startOfLine { current += " "; currentWidth += 1 }
            // A word that does not fit on a line of its own is split at the line's end.
            while splitWords, currentWidth + width(w) > limit {
                var head = "", used = 0
                for c in w {
                    if currentWidth + used + width(of: c) > limit { break }
                    head.append(c); used += width(of: c)
                }
                if head.isEmpty { flush(); continue }
                current += head
                w = String(w.dropFirst(head.count))
                flush()
            }
            current += w; currentWidth += width(w); startOfLine = false
        }
        if current != indent || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// East Asian wide and full-width blocks and emoji with picture presentation (the ranges terminals draw two
    /// columns wide).
    private static func isWide(_ v: Unicode.Scalar) -> Bool {
        switch v.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return v.properties.isEmojiPresentation
        }
    }
}
