import Yams
import SegworkData

extension Definition {
    /// One schema entry: the short form `col: integer`, or the long form
    /// `col: { type: date, format: "%d/%m/%Y", pii: true }` (every key optional; without `type` or `format` the
    /// reader infers the type). `format` is one date format or a list tried in order; it makes the column a date
    /// and is checked here, so an unknown directive is reported with the definition's file and line.
    static func parseSchemaEntry(_ t: Node, _ path: String,
                                 _ y: YAMLFields) throws -> (type: ColumnType?, pii: Bool, formats: [DateFormat]) {
        func type(_ node: Node, _ p: String) throws -> ColumnType {
            let s = try y.string(node, p)
            guard let type = ColumnType(rawValue: s) else {
                throw y.error(node, "'\(p)' must be one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(s)')")
            }
            return type
        }
        if t.scalar != nil { return (try type(t, path), false, []) }
        var out: (type: ColumnType?, pii: Bool, formats: [DateFormat]) = (nil, false, [])
        var formatNode: Node?
        for (k, v) in try y.mapping(t, path, known: schemaEntryKeys) {
            switch k {
            case "type": out.type = try type(v, "\(path).type")
            case "pii": out.pii = try y.bool(v, "\(path).pii")
            default:
                formatNode = v
                let items = v.sequence != nil ? try y.sequence(v, "\(path).format") : [v]
                if items.isEmpty { throw y.error(v, "'\(path).format' lists no format; give one such as \"%d/%m/%Y\"") }
                out.formats = try items.map { item in
                    let pattern = try y.string(item, "\(path).format")
                    do { return try DateFormat(pattern) } catch let e as DateFormat.Problem {
                        throw y.error(item, "'\(path).format': \(e)")
                    }
                }
            }
        }
        if let formatNode, let declared = out.type, declared != .date {
            throw y.error(formatNode, "'\(path)' has a date format but type \(declared.rawValue); a format is for date columns: write type: date or leave type out")
        }
        if !out.formats.isEmpty { out.type = .date }
        return out
    }

    /// `invalid_utf8: error` (the default: the read stops at the first bad byte, naming its line) or `replace`
    /// (each bad sequence becomes U+FFFD and the run notes how many).
    static func parseInvalidUTF8(_ node: Node, _ path: String, _ y: YAMLFields) throws -> Bool {
        let s = try y.string(node, path)
        switch s {
        case "error": return false
        case "replace": return true
        default: throw y.error(node, "'\(path)' must be error (stop at the first invalid byte) or replace (write U+FFFD for each invalid sequence) (got '\(s)')")
        }
    }
}
