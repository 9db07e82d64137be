/// The first value that made an inferred column text although the values before it had another type (numbers,
/// true/false, dates): a run note names its file, line, column and record, so a column does not silently turn to
/// text because of one late value.
struct TextFallback {
    /// What the values before it allowed the column to be.
    struct Allowed {
        var canInt, canDouble, canBool, canDate, canDateTime: Bool
        init(_ canInt: Bool, _ canDouble: Bool, _ canBool: Bool, _ canDate: Bool, _ canDateTime: Bool) {
            self.canInt = canInt; self.canDouble = canDouble; self.canBool = canBool
            self.canDate = canDate; self.canDateTime = canDateTime
        }

        /// "integers", "numbers", "true/false", "dates", or nil when nothing but text fits.
        var phrase: String? {
            if canInt { return "integers" }
            if canDouble { return "numbers" }
            if canBool { return "true/false" }
            if canDate { return "dates (YYYY-MM-DD)" }
            if canDateTime { return "date-times (YYYY-MM-DDThh:mm:ss)" }
            return nil
        }
    }

    /// The 1-based physical line of the value's record.
    var line: Int
    /// The 0-based record (row) of the value, counted in the whole file once chunks are combined.
    var row: Int
    /// The value quoted for a message; nil for a personal (pii) column.
    var value: String?
    /// What the values before it allowed.
    var prior: Allowed
    /// How many values came before it.
    var priorCount: Int

    /// The run note for column `column` of `origin`, or nil when no value came before (the column was text from
    /// its first value) or the values before fit no other type either.
    /// `decimalComma`: the dataset reads decimal commas (the number advice of `ReadHints.number` depends on it).
    func note(origin: String, column: String, decimalComma: Bool = false) -> String? {
        guard priorCount > 0, let kind = prior.phrase else { return nil }
        let shown = value ?? "the value [value withheld (pii column)]"
        let before = priorCount == 1 ? "the value before it was" : "the \(priorCount) values before it were all"
        var advice = "Fix the value, or declare the column's type in the schema so that every such value is an error "
            + "naming its line"
        if prior.canInt || prior.canDouble, let value, value.count > 2,
           let hint = ReadHints.number(String(value.dropFirst().dropLast()), decimalComma: decimalComma) {
            advice = hint.prefix(1).uppercased() + hint.dropFirst()
        }
        return DataError(file: origin, line: line, column: column,
                         message: "the column is read as text because of \(shown) (record \(row + 1)); \(before) "
                             + "\(kind). \(advice)").description
    }
}
