import Foundation
import LuaHost
import SegworkData

/// What one criterion of a run gave, with what its plugin declares or documents: the input of the rule-set checks.
package struct CriterionOutcome: Sendable {
    /// The plugin's name.
    package var plugin: String
    /// Its line in the definition.
    package var line: Int?
    /// The plugin file as the user names it.
    package var file: String
    /// The labels it gave, per customer.
    package var assignment: LabelAssignment
    /// Labels its manifest declares (`labels = {…}`) or its `assign` returns as literals, in file order, each once,
    /// with their line in the plugin file.
    package var declared: [(label: String, line: Int?)]
    /// The threshold sweep, when the criterion reads a numeric column.
    package var sweep: ThresholdSweepSummary?
}

/// The part of a `ThresholdSweep` the checks use.
package struct ThresholdSweepSummary: Sendable {
    /// Label → an input that gives it.
    package var reached: [String: String]
    /// What was swept (`score in -5...15`).
    package var ranges: [String]
    /// False when the sweep stopped at its time budget: a label it did not reach may still be reachable.
    package var complete = true
}

/// One rule-set observation: a note for `seg run`/`seg try`, a warning for `seg plugins lint`.
package struct RuleSetNote: Sendable, Equatable {
    /// Kinds, for tests and JSON.
    package enum Kind: String, Sendable { case deadCriterion = "dead-criterion", unreturnedLabel = "unreturned-label",
                                          unreachableLabel = "unreachable-label", emptyCombination = "empty-combination",
                                          unassigned }
    /// What it is.
    package var kind: Kind
    /// The definition line it is about (the criterion's), when known.
    package var line: Int?
    /// The message.
    package var message: String
}

/// The rule-set checks of issue 9: criteria that never decide, labels never returned (on the data, or for any value
/// of a threshold sweep), label combinations that are always empty, and who is left unassigned by which criterion.
package enum RuleSetCheck {
    /// The most empty combinations listed by name.
    static let shownCombinations = 5
    /// Larger label grids are not enumerated.
    static let combinationLimit = 100_000

    /// The notes for one run of a definition whose criteria gave `outcomes` over `rows` customers.
    package static func notes(_ outcomes: [CriterionOutcome], combine: Combine, rows: Int) -> [RuleSetNote] {
        guard !outcomes.isEmpty, rows > 0 else { return [] }
        var notes: [RuleSetNote] = []
        if combine == .firstMatch && outcomes.count > 1 { notes += deadCriteria(outcomes, rows: rows) }
        for o in outcomes { notes += labelNotes(o) }
        if combine == .cross && outcomes.count > 1 { notes += emptyCombinations(outcomes, rows: rows) }
        notes += unassigned(outcomes, combine: combine, rows: rows)
        return notes
    }

    private static func deadCriteria(_ outcomes: [CriterionOutcome], rows: Int) -> [RuleSetNote] {
        var decides = [Int](repeating: 0, count: outcomes.count)
        var labelled = [Int](repeating: 0, count: outcomes.count)
        for i in 0..<rows {
            var decided = false
            for (k, o) in outcomes.enumerated() where o.assignment.codes[i] >= 0 {
                labelled[k] += 1
                if !decided { decides[k] += 1; decided = true }
            }
        }
        return outcomes.indices.compactMap { k in
            guard decides[k] == 0 else { return nil }
            let o = outcomes[k]
            let why = labelled[k] == 0 ? "it returned nil for every customer"
                : "every customer it labels (\(labelled[k])) was decided by an earlier criterion"
            return RuleSetNote(kind: .deadCriterion, line: o.line,
                               message: "criterion '\(o.plugin)' (criteria[\(k)]) never decides under first_match: \(why); remove it, reorder the criteria or change its parameters")
        }
    }

    private static func labelNotes(_ o: CriterionOutcome) -> [RuleSetNote] {
        let used = Set(o.assignment.codes)
        let returned = Set(o.assignment.labels.enumerated().filter { i, _ in used.contains(Int32(i)) }.map(\.1))
        let missing = o.declared.filter { !returned.contains($0.label) }
        // At most `shownLabels` notes per criterion, then one that counts the rest: a plugin may declare thousands.
        let more = missing.count - shownLabels
        let tail = more > 0 ? [RuleSetNote(kind: .unreturnedLabel, line: o.line,
                                           message: "\(more) more labels of '\(o.plugin)' (\(o.file)) are never returned on this data")] : []
        return missing.prefix(shownLabels).map { label, line in
            let place = "\(o.file)\(line.map { ":\($0)" } ?? "")"
            if let example = o.sweep?.reached[label] {
                return RuleSetNote(kind: .unreturnedLabel, line: o.line,
                                   message: "label '\(label)' of '\(o.plugin)' (\(place)) is never returned on this data (it is for \(example))")
            }
            if let sweep = o.sweep, sweep.complete {
                return RuleSetNote(kind: .unreachableLabel, line: o.line,
                                   message: "label '\(label)' of '\(o.plugin)' (\(place)) is never returned on this data, nor for any value tried (\(sweep.ranges.joined(separator: "; "))): check its condition")
            }
            return RuleSetNote(kind: .unreturnedLabel, line: o.line,
                               message: "label '\(label)' of '\(o.plugin)' (\(place)) is never returned on this data")
        } + tail
    }

    /// Labels named one by one per criterion in the "never returned" notes.
    static let shownLabels = 5

    private static func emptyCombinations(_ outcomes: [CriterionOutcome], rows: Int) -> [RuleSetNote] {
        // Among customers every criterion labels: which labels occur, and which tuples.
        var both = 0
        var labelCounts = outcomes.map { [Int](repeating: 0, count: $0.assignment.labels.count) }
        var tuples: [[Int32]: Int] = [:]
        for i in 0..<rows {
            let codes = outcomes.map { $0.assignment.codes[i] }
            guard codes.allSatisfy({ $0 >= 0 }) else { continue }
            both += 1
            for (k, c) in codes.enumerated() { labelCounts[k][Int(c)] += 1 }
            tuples[codes, default: 0] += 1
        }
        guard both > 0 else { return [] }
        let present = labelCounts.map { counts in counts.indices.filter { counts[$0] > 0 } }
        let total = present.reduce(1.0) { $0 * Double($1.count) }
        guard total <= Double(combinationLimit) else { return [] }
        var grid: [[Int32]] = [[]]
        for labels in present { grid = grid.flatMap { t in labels.map { t + [Int32($0)] } } }
        let empty = grid.filter { tuples[$0] == nil }
        guard !empty.isEmpty else { return [] }
        // Expected count if the criteria were independent: the surprising empty cells first.
        func expected(_ t: [Int32]) -> Double {
            Double(both) * t.enumerated().reduce(1.0) { $0 * Double(labelCounts[$1.offset][Int($1.element)]) / Double(both) }
        }
        let ranked = empty.sorted { a, b in
            expected(a) != expected(b) ? expected(a) > expected(b) : a.lexicographicallyPrecedes(b)
        }
        let names = ranked.prefix(shownCombinations).map { t in
            "'" + t.enumerated().map { outcomes[$0.offset].assignment.labels[Int($0.element)] }.joined(separator: " × ")
                + "' (about \(Int(expected(t).rounded())) expected if independent)"
        }
        let more = empty.count > shownCombinations ? ", …" : ""
        return [RuleSetNote(kind: .emptyCombination, line: outcomes[0].line,
                            message: "\(empty.count) of \(grid.count) label combinations never occur although each label does: \(names.joined(separator: ", "))\(more)")]
    }

    private static func unassigned(_ outcomes: [CriterionOutcome], combine: Combine, rows: Int) -> [RuleSetNote] {
        var by = [Int](repeating: 0, count: outcomes.count)
        var count = 0
        for i in 0..<rows {
            switch combine {
            case .firstMatch:
                if outcomes.allSatisfy({ $0.assignment.codes[i] < 0 }) { count += 1; by[outcomes.count - 1] += 1 }
            case .cross:
                if let k = outcomes.firstIndex(where: { $0.assignment.codes[i] < 0 }) { count += 1; by[k] += 1 }
            }
        }
        guard count > 0 else { return [] }
        let share = String(format: "%.1f%%", Double(count) / Double(rows) * 100)
        let who: String
        if outcomes.count == 1 {
            who = "'\(outcomes[0].plugin)' returned nil"
        } else if combine == .firstMatch {
            who = "every criterion returned nil"
        } else {
            who = "the first criterion to return nil was "
                + outcomes.indices.filter { by[$0] > 0 }.map { "'\(outcomes[$0].plugin)' for \(by[$0])" }.joined(separator: ", ")
        }
        return [RuleSetNote(kind: .unassigned, line: nil,
                            message: "\(count) of \(rows) customers (\(share)) are unassigned: \(who)")]
    }
}
