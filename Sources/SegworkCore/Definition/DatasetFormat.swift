import Yams
import SegworkData

extension Definition {
    /// The keys of a dataset that describe how its delimited text is laid out (see `parseFormatKey`).
    package static let formatKeys = ["delimiter", "header", "columns", "decimal"]

    /// Parses one of `formatKeys` of dataset `path` into `format`:
    /// - `delimiter`: `,` `;` `|`, a tab (`"\t"` or `tab`), or `whitespace` (runs of spaces and tabs, no quoting);
    /// - `header`: true (default) or false;
    /// - `columns`: the column names of a file without a header (`header: false`), in order;
    /// - `decimal`: `"."` (default) or `","` (numbers written `11,77`; the delimiter is then `;` unless given).
    static func parseFormatKey(_ key: String, _ v: Node, _ path: String, _ y: YAMLFields,
                               into format: inout TextFormat) throws {
        let p = "\(path).\(key)"
        switch key {
        case "delimiter":
            let s = try y.string(v, p)
            guard let d = TextFormat.delimiter(named: s) else {
                throw y.error(v, "'\(p)' must be one of \(TextFormat.delimiterNames) (got '\(s)')")
            }
            format.delimiter = d
        case "header":
            format.header = try y.bool(v, p)
        case "columns":
            let names = try y.strings(v, p)
            if names.isEmpty { throw y.error(v, "'\(p)' lists no column; name every column of the file, in order") }
            var seen = Set<String>()
            for name in names {
                if name.isEmpty { throw y.error(v, "'\(p)' has an empty name; give every column a name") }
                if !seen.insert(name).inserted { throw y.error(v, "'\(p)' names '\(name)' twice; rename one of them") }
            }
            format.columns = names
        default:
            let s = try y.string(v, p)
            switch s {
            case ".": format.decimalComma = false
            case ",": format.decimalComma = true
            default: throw y.error(v, "'\(p)' must be \".\" (the default) or \",\" (numbers written 11,77) (got '\(s)')")
            }
        }
    }

    /// Checks a dataset's format options together, once all its keys are read: `header: false` needs `columns`
    /// and `columns` needs `header: false`; a JSON Lines `file:` takes none of them; a source plugin neither.
    static func checkFormat(_ d: DatasetSpec, _ spec: Node, _ path: String, _ y: YAMLFields) throws {
        let f = d.format
        if !f.header, f.columns == nil {
            throw y.error(spec, "'\(path)' has header: false but no columns; name the file's columns in order, e.g. columns: [customer_id, date, quantity, amount]")
        }
        if f.header, f.columns != nil {
            throw y.error(spec, "'\(path)' has columns but the file has a header (header: true is the default); add header: false, or remove columns to use the header's names")
        }
        guard !f.isDefault else { return }
        if d.source != nil {
            throw y.error(spec, "'\(path)' has delimiter, header, columns or decimal, which describe a data file; this dataset reads a source plugin, whose columns come from the plugin")
        }
        if d.postgres != nil {
            throw y.error(spec, "'\(path)' has delimiter, header, columns or decimal, which describe a data file; this dataset reads PostgreSQL, whose columns and types come from the query")
        }
        if let file = d.file, DataReader.jsonLinesExtensions.contains(DataReader.fileExtension(file)) {
            throw y.error(spec, "'\(path)' reads JSON Lines ('\(file)'), which has no delimiter, header line or decimal comma; remove delimiter, header, columns and decimal")
        }
    }
}
