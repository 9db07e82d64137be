import SegworkData
extension Definition {
    /// The line where the field at `path` (see `lines`) was written, else `fallback`.
    public func line(of path: String, or fallback: Int? = nil) -> Int? { lines[path] ?? fallback }

    /// `did you mean 'x'? ` when one of `candidates` is a likely typo of `name`, else the empty string.
    static func didYouMean(_ name: String, _ candidates: [String]) -> String {
        closest(name, candidates).map { "did you mean '\($0)'? " } ?? ""
    }

    /// A column this definition names (at `path`, e.g. `features.rfm.amount`) that `table` lacks: a definition
    /// error at the line it was written, with a did-you-mean and the columns there are. `owner` says whose
    /// columns they are (`dataset 'transactions'`, `the customer table`).
    func missingColumn(_ path: String, _ column: String, in columns: [String], owner: String,
                       fallbackLine: Int? = nil, hint: String = "") -> DefinitionError {
        DefinitionError(file: file, line: line(of: path, or: fallbackLine),
                        "\(path) names column '\(column)', which \(owner) does not have; \(Self.didYouMean(column, columns))columns: \(columns.joined(separator: ", "))\(Self.layoutHint(columns))\(hint)")
    }

    /// When a whole line of the file became one column name (`00001 19970101  1  11.77`, `id;amount`), the file's
    /// layout was not given: say which delimiter splits it (as `seg import` does, see `ImportLayoutCheck`). When every
    /// name looks like a value (`00001, 19970313, 3, 65.09`), the file seems to have no header line.
    static func layoutHint(_ columns: [String]) -> String {
        let docs = " (docs/DEFINITIONS.md, \"Delimiters, files without a header, decimal commas\")"
        if columns.count == 1, let only = columns.first,
           let (d, fields) = ReadHints.delimiter(splitting: only, into: nil, other: nil) {
            let name = TextFormat.name(of: d)
            let noHeader = fields.allSatisfy(ReadHints.looksLikeData)
                ? ", and as that line holds values, not names, header: false and columns: [...]"
                : ", and for a file without a header line header: false and columns: [...]"
            return ". The file reads as one column, but its first line splits into \(fields.count) fields with "
                + "delimiter: \(name): give the dataset delimiter: \(d == .whitespace || name == "tab" ? name : "\"\(name)\"")"
                + noHeader + docs
        }
        if let hint = ReadHints.dataAsHeader(columns) { return ". " + hint.prefix(1).uppercased() + hint.dropFirst() + docs }
        return ""
    }
}
