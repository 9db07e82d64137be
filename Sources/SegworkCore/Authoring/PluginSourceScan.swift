/// What a static look at a plugin file finds: its main functions and their parameter names, the row fields they
/// read, the `p` fields read anywhere, the `params` and `labels` declarations with their lines, and the string
/// literals `assign` returns directly.
///
/// Limits (documented in docs/PLUGINS.md, "Lint"): only reads written `row.x` or `row["x"]` on the function's own
/// first parameter count as row reads (`row.x = v` is a write) (a row passed to a helper, or indexed with a computed key, is not followed); a
/// parameter counts as read when the file writes `p.x` or `p["x"]` on any function's `p`, or mentions `"x"` as a
/// string anywhere outside `params` (so `p[name]` over a list of names counts), or a module it requires mentions `x`.
/// A label counts as documented when `assign` has `return "Label"`; labels built from tables or parameters are not
/// seen (declare them with `labels = {…}`).
package struct PluginSourceScan: Sendable {
    /// A function the plugin table defines.
    package struct Function: Sendable {
        /// Its parameter names, in order.
        package var params: [String]
        /// Line of its `function` keyword.
        package var line: Int
        /// Token indices of its body.
        package var body: Range<Int>
    }
    /// One read of a field: the field and its line.
    package struct FieldRead: Sendable, Equatable {
        /// The field name.
        package var field: String
        /// Its line.
        package var line: Int
    }
    /// `assign`, `score`, `clean`, `prepare`, `read` → where they are defined.
    package var functions: [String: Function] = [:]
    /// Row fields read by `assign`/`score`/`clean` on their first parameter.
    package var rowReads: [FieldRead] = []
    /// Fields a cleaner's `clean` writes into its row (`row.x = v`, `row["x"] = v`).
    package var rowWrites: [FieldRead] = []
    /// Names read as `p.x` / `p["x"]`, plus every string literal outside the `params` table.
    package var paramMentions: Set<String> = []
    /// Declared parameter → its line in `params = {…}`.
    package var paramLines: [String: Int] = [:]
    /// Line of each manifest field (`params =`, `labels =`, `name =`, `kind =`, …) in the returned table.
    package var fieldLines: [String: Int] = [:]
    /// Each `labels = {…}` entry and its line.
    package var declaredLabels: [FieldRead] = []
    /// String literals `assign` returns directly (`return "Champions"`), with their lines.
    package var returnedLiterals: [FieldRead] = []
    /// Modules required by name (`require "segutil"`).
    package var requires: [String] = []

    private static let mainFunctions: Set<String> = ["assign", "score", "clean", "prepare", "read"]
    private static let manifestFields: Set<String> = ["api", "kind", "name", "version", "description", "uses", "params",
                                                      "labels", "output", "columns", "assign", "score", "clean",
                                                      "prepare", "read"]

    /// Scans `source`.
    package init(source: String) {
        let t = LuaTokenizer.tokens(source)
        func at(_ i: Int) -> LuaToken? { i >= 0 && i < t.count ? t[i] : nil }
        // Functions: `name = function(a, b)` and `function name(a, b)` / `function M.name(a, b)`.
        for i in t.indices where t[i].kind == .name && t[i].text == "function" {
            var nameToken: LuaToken?
            var open = i + 1
            if let eq = at(i - 1), eq.is("="), let n = at(i - 2), n.kind == .name { nameToken = n }
            if let n = at(i + 1), n.kind == .name {
                var j = i + 1
                while let dot = at(j + 1), dot.is(".") || dot.is(":"), let next = at(j + 2), next.kind == .name { j += 2 }
                nameToken = at(j); open = j + 1
            }
            guard let name = nameToken?.text, Self.mainFunctions.contains(name), functions[name] == nil,
                  at(open)?.is("(") == true else { continue }
            var params: [String] = []
            var j = open + 1
            while let p = at(j), !p.is(")") { if p.kind == .name { params.append(p.text) }; j += 1 }
            let end = Self.matchingEnd(t, from: j + 1)
            functions[name] = Function(params: params, line: t[i].line, body: (j + 1)..<end)
        }
        // Row reads.
        for name in ["assign", "score", "clean"] {
            guard let f = functions[name], let row = f.params.first else { continue }
            for i in f.body where t[i].kind == .name && t[i].text == row && at(i - 1).map({ !$0.is(".") && !$0.is(":") }) ?? true {
                // `row.x = v` (a cleaner writing a field) is not a read; it is a write.
                if at(i + 3)?.is("=") == true, at(i + 1)?.is(".") == true, let field = at(i + 2), field.kind == .name {
                    rowWrites.append(FieldRead(field: field.text, line: field.line)); continue
                }
                if at(i + 4)?.is("=") == true, at(i + 1)?.is("[") == true, let s = at(i + 2), s.kind == .string {
                    rowWrites.append(FieldRead(field: s.text, line: s.line)); continue
                }
                if at(i + 3)?.is("=") == true && (at(i + 1)?.is(".") == true) { continue }
                if at(i + 4)?.is("=") == true && (at(i + 1)?.is("[") == true) { continue }
                if let dot = at(i + 1), dot.is("."), let field = at(i + 2), field.kind == .name {
                    rowReads.append(FieldRead(field: field.text, line: field.line))
                } else if let br = at(i + 1), br.is("["), let s = at(i + 2), s.kind == .string, at(i + 3)?.is("]") == true {
                    rowReads.append(FieldRead(field: s.text, line: s.line))
                }
            }
        }
        // `params = {…}` and `labels = {…}` of the returned table.
        var skip = Set<Int>()
        for i in t.indices where t[i].kind == .name && at(i + 1)?.is("=") == true && at(i + 2)?.is("{") == true
            && (t[i].text == "params" || t[i].text == "labels") && fieldLines[t[i].text] == nil {
            fieldLines[t[i].text] = t[i].line
            let close = Self.matchingBrace(t, from: i + 2)
            var depth = 0
            for j in (i + 2)...min(close, t.count - 1) {
                skip.insert(j)
                if t[j].is("{") { depth += 1 } else if t[j].is("}") { depth -= 1 }
                guard depth == 1 else { continue }
                if t[i].text == "params", t[j].kind == .name, at(j + 1)?.is("=") == true, at(j - 1).map({ $0.is("{") || $0.is(",") || $0.is(";") }) == true {
                    paramLines[t[j].text] = t[j].line
                }
                if t[i].text == "labels", t[j].kind == .string { declaredLabels.append(FieldRead(field: t[j].text, line: t[j].line)) }
            }
        }
        // The first `field =` of each manifest field (where a manifest error about it points).
        for i in t.indices where t[i].kind == .name && Self.manifestFields.contains(t[i].text) && at(i + 1)?.is("=") == true
            && at(i - 1).map({ $0.is("{") || $0.is(",") || $0.is(";") }) ?? false && fieldLines[t[i].text] == nil {
            fieldLines[t[i].text] = t[i].line
        }
        // Parameter mentions.
        var pNames: Set<String> = ["p"]
        for f in functions.values where f.params.count > 1 { pNames.insert(f.params[1]) }
        for i in t.indices where !skip.contains(i) {
            if t[i].kind == .string { paramMentions.insert(t[i].text); continue }
            guard t[i].kind == .name, pNames.contains(t[i].text) else { continue }
            if let dot = at(i + 1), dot.is("."), let field = at(i + 2), field.kind == .name { paramMentions.insert(field.text) }
        }
        // Literal labels assign returns.
        if let f = functions["assign"] {
            for i in f.body where t[i].is("return") && at(i + 1)?.kind == .string {
                let next = at(i + 2)
                let ends = next == nil || ["end", "else", "elseif", "until", ";"].contains(where: { next!.is($0) })
                if ends { returnedLiterals.append(FieldRead(field: t[i + 1].text, line: t[i + 1].line)) }
            }
        }
        for i in t.indices where t[i].is("require") {
            if let s = at(i + 1), s.kind == .string { requires.append(s.text) }
            else if at(i + 1)?.is("(") == true, let s = at(i + 2), s.kind == .string { requires.append(s.text) }
        }
    }

    /// Names a module's text mentions as a field or string (for parameters read through a module).
    package static func mentions(inModule source: String) -> Set<String> {
        var out = Set<String>()
        let t = LuaTokenizer.tokens(source)
        for (i, tok) in t.enumerated() {
            if tok.kind == .string { out.insert(tok.text) }
            if tok.kind == .name, i > 0, t[i - 1].is(".") { out.insert(tok.text) }
        }
        return out
    }

    /// Index of the `end` closing the block that starts at `from` (one level open), or the last index.
    private static func matchingEnd(_ t: [LuaToken], from: Int) -> Int {
        var depth = 1
        var i = from
        while i < t.count {
            let tok = t[i]
            if tok.kind == .name {
                switch tok.text {
                case "function", "if", "do", "repeat": depth += 1
                case "end", "until": depth -= 1; if depth == 0 { return i }
                default: break
                }
            }
            i += 1
        }
        return t.count
    }

    /// Index of the `}` closing the `{` at `from`.
    private static func matchingBrace(_ t: [LuaToken], from: Int) -> Int {
        var depth = 0
        for i in from..<t.count {
            if t[i].is("{") { depth += 1 } else if t[i].is("}") { depth -= 1; if depth == 0 { return i } }
        }
        return t.count - 1
    }
}
