import Foundation
import SegworkData

/// The checks and the overflow-safe scaling behind ``ClusterMatrix`` (docs/CLUSTERING.md): a clustering column
/// that is empty or was read as text because of a bad value gets an error naming the value and where it is; a
/// column whose values are too large to square is scaled without overflow, or refused by name.
enum ClusterChecks {
    /// Refuses `c`, named in `features.clusters.<role>` at `line`, when no customer has a value in it.
    static func requireValues(_ c: Column, role: String, line: Int?, _ def: Definition) throws {
        guard c.count > 0, !(0..<c.count).contains(where: { c.isValid($0) }) else { return }
        throw DefinitionError(file: def.file, line: line,
                              "features.clusters.\(role) names '\(c.name)', which is empty for every customer: no row of its dataset has a value there. Fill the column, or remove it from features.clusters.\(role)")
    }

    /// The error for a text column listed under `features.clusters.columns`. When most of its values are numbers,
    /// the column is numeric with a bad value: the error names the first one and where it is (the reader's
    /// "read as text because of" note in `notes`, else the customer), and says to fix it or declare the type.
    /// Otherwise the column is really text: list it under `categorical`.
    static func notNumeric(_ c: Column, line: Int?, _ def: Definition, _ table: Table, notes: [String]) -> DefinitionError {
        var numbers = 0, texts = 0
        var firstBad: Int?
        for r in 0..<c.count where c.isValid(r) {
            guard let s = c.string(at: r) else { continue }
            if let v = Double(s.trimmingCharacters(in: .whitespaces)), v.isFinite { numbers += 1 } else {
                texts += 1
                if firstBad == nil { firstBad = r }
            }
        }
        guard numbers > texts, let bad = firstBad else {
            return DefinitionError(file: def.file, line: line, "features.clusters.columns names '\(c.name)', \(c.type.withArticle) column; list it under features.clusters.categorical instead")
        }
        let value = c.string(at: bad) ?? ""
        let marker = ": the column is read as text because of "
        var place = def.piiColumns.contains(def.id) ? "a customer has '\(value)'"
            : "customer \(table[def.id]?.string(at: bad) ?? "?") has '\(value)'"
        if let note = notes.first(where: { $0.contains(", column '\(c.name)'\(marker)") }),
           let head = note.range(of: ", column '\(c.name)'\(marker)") {
            let rest = note[head.upperBound...]
            let shown = rest.range(of: " (record").map { String(rest[..<$0.lowerBound]) } ?? "'\(value)'"
            place = "\(note[..<head.lowerBound]) has \(shown)"
        }
        return DefinitionError(file: def.file, line: line, "features.clusters.columns names '\(c.name)', a numeric column read as text because of one value: \(place), which is not a finite number. Fix or empty that value (a customer with no value is left unclustered), or declare the column's type in its dataset's schema (e.g. `schema: { \(c.name): double }`) so that every such value is an error naming its line")
    }

    /// Center and scale of `t` for `zscore` and `log` (population sd; 1 when the sd is 0), and the scaled values.
    /// When the values are too large to square (|t| > 1e150) the mean and variance are taken of t / max|t|, so
    /// nothing overflows; otherwise the plain two-pass formula.
    static func standardize(_ t: [Double]) -> (center: Double, by: Double, scaled: [Double]) {
        let m = t.count
        guard m > 0 else { return (0, 1, []) }
        let big = t.reduce(0) { max($0, abs($1)) }
        guard big > 1e150 else {
            let center = t.reduce(0, +) / Double(m)
            let variance = t.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(m)
            let by = variance > 0 ? variance.squareRoot() : 1
            return (center, by, t.map { ($0 - center) / by })
        }
        let u = t.map { $0 / big }
        let mu = u.reduce(0, +) / Double(m)
        let variance = u.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(m)
        guard variance > 0 else { return (mu * big, 1, t.map { $0 / big - mu }) }
        let sd = variance.squareRoot()
        return (mu * big, sd * big, u.map { ($0 - mu) / sd })
    }

    /// Refuses a value that is not finite, or one whose scaled value is too large for squared distances
    /// (`minmax` over a range that overflows, or `none` on values beyond 1e100): the error names the column, the
    /// customer and the value.
    static func requireScalable(_ x: [Double], scaled: [Double], by: Double, scale: ClusterSpec.Scale, column: String,
                                rows: [Int], _ table: Table, _ def: Definition) throws {
        let widest = by.isFinite ? nil : x.indices.max { abs(x[$0]) < abs(x[$1]) }
        let bad = x.firstIndex { !$0.isFinite } ?? widest ?? scaled.firstIndex { !$0.isFinite || abs($0) > 1e100 }
        guard let bad else { return }
        let who = def.piiColumns.contains(def.id) ? "a customer" : "customer \(table[def.id]?.string(at: rows[bad]) ?? "?")"
        throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.scale.\(column)", or: def.line(of: "features.clusters.columns")),
                              "features.clusters: '\(column)' cannot be scaled by \(scale.rawValue): \(who) has \(formatDouble(x[bad])), too large for squared distances. Use zscore or log for this column, or fix the value")
    }

    /// How many distinct rows the matrix has, counted up to `limit + 1` (enough to tell whether k ≤ limit fits).
    static func distinctRows(_ values: [Double], rows: Int, cols: Int, upTo limit: Int) -> Int {
        var seen = Set<[Double]>()
        for i in 0..<rows {
            seen.insert(Array(values[(i * cols)..<(i * cols + cols)]))
            if seen.count > limit { break }
        }
        return seen.count
    }
}
