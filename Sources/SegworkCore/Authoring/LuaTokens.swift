/// A small Lua 5.4 tokenizer for the static checks of `seg plugins lint` and the rule-set checks: names, keywords,
/// strings (short and long, with their text), numbers and symbols, each with its line. Comments are skipped. It is
/// not a parser: the checks built on it look at token patterns (`row.x`, `p["x"]`, `return "Label"`) and state their
/// limits where they are documented (docs/PLUGINS.md, "Lint").
package struct LuaToken: Equatable, Sendable {
    /// What the token is.
    package enum Kind: Equatable, Sendable { case name, string, number, symbol }
    /// The kind.
    package var kind: Kind
    /// The text: the name, the symbol, the number as written, or a string's value (escapes `\n`, `\t`, `\\`, `\"`,
    /// `\'` decoded; other escapes kept as written).
    package var text: String
    /// 1-based line where the token starts.
    package var line: Int

    /// Whether this is the name or symbol `text`.
    package func `is`(_ text: String) -> Bool { kind != .string && self.text == text }
}

/// Tokenizes Lua source text.
package enum LuaTokenizer {
    /// The tokens of `source`; an unterminated string or comment ends the list (luacheck reports the syntax error).
    package static func tokens(_ source: String) -> [LuaToken] {
        let s = Array(source.unicodeScalars)
        var out: [LuaToken] = []
        var i = 0, line = 1
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        /// Length of `[==[` at i (the level + 2), or nil.
        func longOpen(at j: Int) -> Int? {
            guard j < s.count, s[j] == "[" else { return nil }
            var k = j + 1
            while k < s.count, s[k] == "=" { k += 1 }
            return k < s.count && s[k] == "[" ? k - j + 1 : nil
        }
        /// Reads a long bracket starting at i with opener length `n`; returns its text.
        func readLong(_ n: Int) -> String {
            let level = n - 2
            let close = "]" + String(repeating: "=", count: level) + "]"
            let closeScalars = Array(close.unicodeScalars)
            i += n
            if i < s.count, s[i] == "\n" { line += 1; i += 1 }
            var text = String.UnicodeScalarView()
            while i < s.count {
                if s[i] == "]", i + closeScalars.count <= s.count, Array(s[i..<(i + closeScalars.count)]) == closeScalars {
                    i += closeScalars.count
                    return String(text)
                }
                if s[i] == "\n" { line += 1 }
                text.append(s[i]); i += 1
            }
            return String(text)
        }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }
        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "-", peek(1) == "-" {
                i += 2
                if let n = longOpen(at: i) { _ = readLong(n); continue }
                while i < s.count, s[i] != "\n" { i += 1 }
                continue
            }
            if isNameStart(c) {
                var t = String.UnicodeScalarView()
                while i < s.count, isNameChar(s[i]) { t.append(s[i]); i += 1 }
                out.append(LuaToken(kind: .name, text: String(t), line: line)); continue
            }
            if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
                var t = String.UnicodeScalarView()
                while i < s.count, isNameChar(s[i]) || s[i] == "." ||
                        ((s[i] == "+" || s[i] == "-") && (t.last == "e" || t.last == "E" || t.last == "p" || t.last == "P")) {
                    t.append(s[i]); i += 1
                }
                out.append(LuaToken(kind: .number, text: String(t), line: line)); continue
            }
            if c == "\"" || c == "'" {
                let start = line
                var t = String.UnicodeScalarView()
                i += 1
                while i < s.count, s[i] != c, s[i] != "\n" {
                    if s[i] == "\\", i + 1 < s.count {
                        let e = s[i + 1]
                        switch e {
                        case "n": t.append("\n")
                        case "t": t.append("\t")
                        case "\\", "\"", "'": t.append(e)
                        case "\n": t.append("\n"); line += 1
                        default: t.append("\\"); t.append(e)
                        }
                        i += 2; continue
                    }
                    t.append(s[i]); i += 1
                }
                i += 1
                out.append(LuaToken(kind: .string, text: String(t), line: start)); continue
            }
            if let n = longOpen(at: i) {
                let start = line
                out.append(LuaToken(kind: .string, text: readLong(n), line: start)); continue
            }
            var matched = false
            for sym in ["...", "..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>"] {
                let u = Array(sym.unicodeScalars)
                if i + u.count <= s.count, Array(s[i..<(i + u.count)]) == u {
                    out.append(LuaToken(kind: .symbol, text: sym, line: line)); i += u.count
                    matched = true
                    break
                }
            }
            if matched { continue }
            out.append(LuaToken(kind: .symbol, text: String(c), line: line)); i += 1
        }
        return out
    }
}
