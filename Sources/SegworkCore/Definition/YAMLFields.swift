import LuaHost
import Yams
import SegworkData

/// Reads typed fields out of a parsed YAML node, turning every mistake into a `DefinitionError` that names the
/// file, the line and the field path (e.g. `criteria[1].params`).
struct YAMLFields {
    /// The file the YAML came from, for messages.
    let file: String

    /// Parses `text`; an empty document is an error.
    func root(_ text: String) throws -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DefinitionError(file: file, "the file is empty; expected a YAML mapping")
            }
            return node
        } catch let e as DefinitionError {
            throw e
        } catch let e as YamlError {
            let problem = YAMLProblem(e, text: text)
            throw DefinitionError(file: file, line: problem.line, column: problem.column,
                                  "is not valid YAML: \(problem.message)")
        }
    }

    func error(_ node: Node?, _ message: String) -> DefinitionError {
        DefinitionError(file: file, line: node?.mark?.line, message)
    }

    /// The entries of a mapping in file order; checks that every key is one of `known`.
    func mapping(_ node: Node, _ path: String, known: [String]? = nil) throws -> [(key: String, value: Node)] {
        guard let m = node.mapping else {
            throw error(node, "'\(path)' must be a mapping (key: value lines)")
        }
        var out: [(String, Node)] = []
        var seen = Set<String>()
        for (k, v) in m {
            guard let key = k.scalar?.string else { throw error(k, "keys in '\(path)' must be plain text") }
            if !seen.insert(key).inserted { throw error(k, "'\(key)' appears twice in '\(path)'") }
            if let known, !known.contains(key) {
                let hint = closest(key, known).map { "; did you mean '\($0)'?" } ?? ""
                throw error(k, "unknown field '\(key)' in '\(path)'\(hint) (known: \(known.joined(separator: ", ")))")
            }
            out.append((key, v))
        }
        return out
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar, node.tag.description != Tag.Name.null.rawValue else {
            throw error(node, "'\(path)' must be text")
        }
        return s.string
    }

    func int(_ node: Node, _ path: String) throws -> Int {
        guard node.scalar != nil, let i = node.int else { throw error(node, "'\(path)' must be a whole number") }
        return i
    }

    func double(_ node: Node, _ path: String) throws -> Double {
        guard node.scalar != nil, let d = node.float ?? node.int.map(Double.init) else {
            throw error(node, "'\(path)' must be a number")
        }
        return d
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard node.scalar != nil, let b = node.bool else { throw error(node, "'\(path)' must be true or false") }
        return b
    }

    /// A list of strings; a single string is accepted as a one-element list.
    func strings(_ node: Node, _ path: String) throws -> [String] {
        if node.scalar != nil { return [try string(node, path)] }
        guard let seq = node.sequence else { throw error(node, "'\(path)' must be a list of names") }
        return try seq.enumerated().map { try string($0.element, "\(path)[\($0.offset)]") }
    }

    func sequence(_ node: Node, _ path: String) throws -> [Node] {
        guard let seq = node.sequence else { throw error(node, "'\(path)' must be a list") }
        return Array(seq)
    }

    /// Any plain value (for plugin params).
    func value(_ node: Node, _ path: String) throws -> PluginValue {
        switch node {
        case .scalar(let s):
            switch node.tag.description {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return .bool(node.bool ?? false)
            case Tag.Name.int.rawValue:
                guard let i = Int64(s.string) ?? node.int.map(Int64.init) else {
                    throw error(node, "'\(path)': \(s.string) is too large a number")
                }
                return .int(i)
            case Tag.Name.float.rawValue: return .double(node.float ?? .nan)
            default: return .string(s.string)
            }
        case .sequence(let seq):
            return .array(try seq.enumerated().map { try value($0.element, "\(path)[\($0.offset)]") })
        case .mapping:
            var o: [String: PluginValue] = [:]
            for (k, v) in try mapping(node, path) { o[k] = try value(v, "\(path).\(k)") }
            return .object(o)
        case .alias:
            throw error(node, "'\(path)': YAML aliases are not supported here; write the value out")
        }
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
func closest(_ word: String, _ candidates: [String]) -> String? {
    let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best, best.1 <= max(1, word.count / 3) else { return nil }
    return best.0
}
