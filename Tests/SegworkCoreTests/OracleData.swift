import Foundation
@testable import SegworkCore
@testable import SegworkData

/// Seeded random awkward tables and clean-step lists for CleanerOracleTests.
enum OracleData {
    typealias RNG = CleanerOracleTests.SplitMix64

    /// Texts that read alike, are canonically equal (é composed and decomposed, Å and the Ångström sign), differ only
    /// in whitespace (space, tab, no-break space, em space, zero-width space) or case (ß, dotted İ, dotless ı, ǅ), look
    /// like numbers ("007", "7", "1.0", "NaN", "-0"), dates in several formats, formulas and line breaks.
    static let texts = ["a", "A", " a", "a ", "a  b", "a b", "a\tb", "a\u{00A0}b", "a\u{2003}b", "a\u{200B}b", "", " ",
                        "\t\n", "café", "cafe\u{301}", "CAFÉ", " Café ", "\u{212B}", "\u{00C5}", "A\u{30A}", "ß", "SS",
                        "ss", "İstanbul", "istanbul", "ıi", "ǅ", "ǆ", "007", "7", "07", "1.0", "1", "NaN", "nan", "-0",
                        "0", "=1+1", "line\nbreak", "2024-01-05", "05/01/2024", "5/1/24", "Jan 5, 2024", "jan 05, 2024",
                        "31/02/2024", " 2024-01-05", "2024-02-29", "1969-12-31", "true", "x,y", "\"q\"", "ü", "u\u{308}"]
    static let doubles: [Double] = [0, -0.0, .nan, 1.5, 0.1, 0.2, 0.1 + 0.2, 0.3, 1e300, -1e300, .leastNonzeroMagnitude, -2.5, 7, 1e15,
                                    123_456_789.125, .infinity, -.infinity]
    static let integers: [Int64] = [0, 1, -1, 2, 3, 4, 5, 7, 10, -3, 100, 9_007_199_254_740_993, -(1 << 52)]
    static let days: [Int32] = [-2, -1, 0, 1, 19_000, 19_000, 19_001, 19_723, -25_000, 2_932_896]
    static let dateFormats = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%b %d, %Y", "%d %b %Y"]
    static let regexes = ["[a-z]+", ".*\\d.*", "\\S+", "(?i)caf[eé]", ".+", "[0-9]{1,3}", "\\w+( \\w+)?"]

    static func pick<T>(_ pool: [T], _ rng: inout RNG) -> T { pool[Int.random(in: 0..<pool.count, using: &rng)] }

    /// Missing ~12% of rows, sometimes no bitmap at all (every row present).
    static func validity(_ n: Int, _ rng: inout RNG) -> Bitmap? {
        if Int.random(in: 0..<5, using: &rng) == 0 { return nil }
        return Bitmap((0..<n).map { _ in Int.random(in: 0..<8, using: &rng) != 0 })
    }

    /// A string column whose dictionary is drawn with replacement (so a text may sit at two codes), codes skewed so
    /// values repeat, and codes of missing rows pointing anywhere.
    static func text(_ name: String, _ n: Int, _ rng: inout RNG) -> Column {
        let dictionary = (0..<Int.random(in: 3...14, using: &rng)).map { _ in pick(texts, &rng) }
        let codes = (0..<n).map { _ in Int32(min(Int.random(in: 0..<dictionary.count, using: &rng),
                                                  Int.random(in: 0..<dictionary.count, using: &rng))) }
        return Column(name: name, storage: .string(codes: codes, dictionary: dictionary), validity: validity(n, &rng))
    }

    static func table(_ rng: inout RNG) -> Table {
        let n = Int.random(in: 120...320, using: &rng)
        let few = { (rng: inout RNG, pool: Int) in Int.random(in: 2...pool, using: &rng) }
        let ints = Array(integers.shuffled(using: &rng).prefix(few(&rng, integers.count)))
        let dbls = Array(doubles.shuffled(using: &rng).prefix(few(&rng, doubles.count)))
        let dys = Array(days.shuffled(using: &rng).prefix(few(&rng, days.count)))
        var columns = [text("s1", n, &rng), text("s2", n, &rng)]
        columns.append(Column(name: "i", storage: .integer((0..<n).map { _ in pick(ints, &rng) }), validity: validity(n, &rng)))
        columns.append(Column(name: "d", storage: .double((0..<n).map { _ in pick(dbls, &rng) }), validity: validity(n, &rng)))
        columns.append(Column(name: "t", storage: .date((0..<n).map { _ in pick(dys, &rng) }), validity: validity(n, &rng)))
        columns.append(Column(name: "b", storage: .bool((0..<n).map { _ in Bool.random(using: &rng) }), validity: validity(n, &rng)))
        var table = try! Table(columns: columns.shuffled(using: &rng))
        // Rows as read from a file whose values sometimes hold line breaks.
        var lines = RowLines()
        var line = 2
        for _ in 0..<n { lines.append(line: line); line += Int.random(in: 0..<6, using: &rng) == 0 ? 3 : 1 }
        table.rowLines = lines
        return table
    }

    /// `count` steps on the table's columns (and on columns earlier steps add). Mostly valid steps; now and then one
    /// that must fail the same way (a text operation on a number column, a fill value of the wrong type, a range of
    /// dates on a number column, `on_error: stop`).
    static func steps(for table: Table, count: Int, _ rng: inout RNG) -> [CleanStep] {
        var names = table.columnNames
        var types = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type) })
        var steps: [CleanStep] = []
        for _ in 0..<count {
            let column = pick(names, &rng)
            let type = types[column]!
            let action: CleanStep.Action
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                let key = Array(names.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)))
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: action = .dedupe(key: key, keep: .first)
                case 1: action = .dedupe(key: key, keep: .last)
                default:
                    let numeric = names.filter { [.integer, .double, .date].contains(types[$0]!) }
                    let by = numeric.isEmpty || Int.random(in: 0..<15, using: &rng) == 0 ? pick(names, &rng) : pick(numeric, &rng)
                    action = .dedupe(key: key, keep: .latest(by: by))
                }
            case 1:
                let textColumns = names.filter { types[$0] == .string }
                let target = textColumns.isEmpty || Int.random(in: 0..<12, using: &rng) == 0 ? column : pick(textColumns, &rng)
                var s = StandardiseSpec(column: target)
                s.trim = Bool.random(using: &rng)
                s.collapseWhitespace = Bool.random(using: &rng)
                s.textCase = [nil, .upper, .lower][Int.random(in: 0..<3, using: &rng)]
                if Bool.random(using: &rng) {
                    for _ in 0..<Int.random(in: 1...4, using: &rng) { s.map[pick(texts, &rng)] = pick(texts + ["X", "CAFÉ", "café"], &rng) }
                }
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    s.dates = Array(dateFormats.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)))
                    if types[target] == .string { types[target] = .date }
                }
                if !s.trim && !s.collapseWhitespace && s.textCase == nil && s.map.isEmpty && s.dates.isEmpty { s.trim = true }
                action = .standardise(s)
            case 2:
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: action = .missing(column: column, action: .dropRow)
                case 1:
                    if !names.contains(column + "_missing") { names.append(column + "_missing"); types[column + "_missing"] = .bool }
                    action = .missing(column: column, action: .flag)
                case 2:
                    // Mostly number and date columns (a text or bool column is an error, which one in ten keeps).
                    let numeric = names.filter { [.integer, .double, .date].contains(types[$0]!) }
                    let target = numeric.isEmpty || Int.random(in: 0..<10, using: &rng) == 0 ? column : pick(numeric, &rng)
                    action = .missing(column: target, action: .fillMedian)
                default: action = .missing(column: column, action: .fill(fillValue(type, &rng)))
                }
            default:
                var v = ValidateSpec(column: column)
                v.required = Int.random(in: 0..<3, using: &rng) == 0
                // A range on a text or bool column is an error: one in ten tries it.
                if Bool.random(using: &rng), [.integer, .double, .date].contains(type) || Int.random(in: 0..<10, using: &rng) == 0 {
                    let dates = Int.random(in: 0..<10, using: &rng) == 0 ? type != .date : type == .date
                    let a = dates ? Double(pick(days, &rng)) : pick([-1, 0, 0.1, 1.5, 5, 1e300, -1e300], &rng)
                    let b = dates ? Double(pick(days, &rng)) : pick([-1, 0, 0.3, 1.5, 7, 1e300], &rng)
                    v.range = (min: min(a, b), max: max(a, b), dates: dates)
                }
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    v.allowed = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                        pick(texts + ["0", "1.5", "1e+300", "NaN", "inf", "true", "false", "2022-0108", "2022-01-08", "7"], &rng)
                    }
                }
                if Int.random(in: 0..<3, using: &rng) == 0 { v.regex = pick(regexes, &rng) }
                if !v.required && v.range == nil && v.allowed == nil && v.regex == nil { v.required = true }
                if Int.random(in: 0..<12, using: &rng) == 0 { v.onError = .stop }
                action = .validate(v)
            }
            steps.append(CleanStep(action: action, line: 5 + steps.count))
        }
        return steps
    }

    /// A fill value for a column of `type`; one in ten is of another type (an error both must report alike).
    static func fillValue(_ type: ColumnType, _ rng: inout RNG) -> String {
        if Int.random(in: 0..<10, using: &rng) == 0 { return pick(["x", "1.5", "2024-13-01", "yes"], &rng) }
        switch type {
        case .integer: return pick(["0", "-1", "42", "9007199254740993"], &rng)
        case .double: return pick(["0", "-0.0", "1e300", "0.1", "1.50"], &rng)
        case .bool: return pick(["true", "false"], &rng)
        case .date: return pick(["1969-12-31", "2024-02-29", "2000-01-01"], &rng)
        case .string: return pick(texts.filter { !$0.isEmpty }, &rng)
        }
    }
}
