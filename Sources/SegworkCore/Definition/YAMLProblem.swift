import SegworkData
import Yams

/// Turns a Yams parse error into plain words for people: where (line and column, 1-based) and what to change.
/// libyaml's own wording ("found character that cannot start any token", "did not find expected key") says what
/// the parser expected, not what the writer did; the common cases are recognised here, the rest keep libyaml's
/// text after a plain prefix.
struct YAMLProblem {
    /// 1-based line, when known.
    var line: Int?
    /// 1-based column (in Unicode scalars), when known.
    var column: Int?
    /// What is wrong and what to do.
    var message: String

    init(_ error: YamlError, text: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            line = mark.line
            column = mark.column
            message = Self.explain(problem, context: context, mark: mark, text: text)
        case .reader(let problem, let offset, let value, _):
            if let offset {
                let before = text.utf8.prefix(offset)
                line = before.filter { $0 == 10 }.count + 1
                column = String(decoding: before.reversed().prefix { $0 != 10 }.reversed(), as: UTF8.self).unicodeScalars.count + 1
            }
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            message = "the file holds a character YAML does not allow\(character): \(problem); remove it, or write it as an escape such as \"\\t\" inside double quotes"
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line
            column = context.mark.column
            message = "the mapping starting here has a key more than once (\(duplicates.sorted().joined(separator: ", "))); keep one of them"
        default:
            message = "\(error)"
        }
    }

    /// The character at `mark` in `text`, when there is one.
    private static func character(at mark: Mark, in text: String) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let scalars = Array(lines[mark.line - 1].unicodeScalars)
        guard mark.column >= 1, mark.column <= scalars.count else { return nil }
        return Character(scalars[mark.column - 1])
    }

    /// Whether the line at `mark` has a tab in its leading white space (or at the mark).
    private static func tabIndents(_ mark: Mark, _ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return false }
        let line = lines[mark.line - 1]
        return line.prefix { $0 == " " || $0 == "\t" }.contains("\t") || character(at: mark, in: text) == "\t"
    }

    private static func explain(_ problem: String, context: YamlError.Context?, mark: Mark, text: String) -> String {
        let p = problem.lowercased()
        let started = context.map { " (the \(Self.structure($0.text)) it belongs to starts on line \($0.mark.line))" } ?? ""
        if p.contains("tab character") || (p.contains("cannot start any token") && tabIndents(mark, text)) {
            return "a tab character: tabs cannot indent YAML; indent with spaces only (replace each tab with spaces)"
        }
        if p.contains("cannot start any token") {
            let c = character(at: mark, in: text).map { "'\($0)'" } ?? "this character"
            return "\(c) cannot start a value in YAML; put the value in quotes (e.g. \"\(c == "'@'" || c == "'`'" ? "@value" : "value")\")"
        }
        if p.contains("mapping values are not allowed") {
            return "a ': ' appears where no key may start: quote a value that contains ': ' (e.g. description: \"a: b\"), or fix the indentation of this line"
        }
        if p.contains("did not find expected key") {
            return "this line is not indented like the keys around it\(started); align it with its sibling keys using spaces, or quote a value that starts with a special character"
        }
        if p.contains("did not find expected '-' indicator") {
            return "this line is not indented like the list items '- …' around it\(started); align it with the other items"
        }
        if p.contains("block sequence entries are not allowed") {
            return "a list item '- …' cannot follow a key on the same line; put each item on its own line below the key, indented"
        }
        if p.contains("could not find expected ':'") {
            return "a key without ':'\(started); write key: value, or quote text that runs over several lines"
        }
        if p.contains("did not find expected ',' or ']'") {
            return "a [ … ] list is not closed, or two of its items lack a ', ' between them\(started)"
        }
        if p.contains("did not find expected ',' or '}'") {
            return "a { … } mapping is not closed, or two of its entries lack a ', ' between them\(started)"
        }
        if p.contains("found unexpected end of stream") {
            return "the file ends inside a quoted string or a [ … ] / { … }\(started); close it"
        }
        if p.contains("did not find expected node content") {
            return "a value is missing here (e.g. a lone '-', or ', ,' in a list); write the value or remove the separator"
        }
        if p.contains("unknown escape character") {
            return "an unknown backslash escape inside double quotes; use single quotes for text with backslashes (e.g. 'C:\\data'), or write \\\\"
        }
        if p.contains("found undefined alias") {
            return "an alias '*name' refers to no anchor '&name' defined before it"
        }
        return "\(problem)\(started)"
    }

    private static func structure(_ context: String) -> String {
        if context.contains("mapping") { return "mapping" }
        if context.contains("sequence") { return "list" }
        if context.contains("scalar") || context.contains("quoted") { return "value" }
        return "part"
    }
}
