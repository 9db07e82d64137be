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
    /// layout was not given: say which dataset options read it.
    static func layoutHint(_ columns: [String]) -> String {
        guard columns.count == 1, let only = columns.first,
              let separator = [(" ", "whitespace"), (";", "\";\""), ("|", "\"|\""), ("\t", "tab")].first(where: { only.contains($0.0) })
        else { return "" }
        return ". The file reads as one column, so its fields are probably separated by something else: give the dataset "
            + "delimiter: \(separator.1), and for a file without a header line header: false and columns: [...] "
            + "(docs/DEFINITIONS.md, \"Delimiters, files without a header, decimal commas\")"
    }
}
