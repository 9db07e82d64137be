import Foundation
import LuaHost
import SegworkData

/// `seg try`: evaluates one definition on its data without storing a version or writing exports, and picks a few
/// example rows per segment.
package struct DefinitionTrial: Sendable {
    /// One example row: the customer id, then the columns the criteria read and the scores, as text.
    package struct Sample: Sendable, Codable, Equatable {
        /// Column → value (`null` when missing; `(pii)` for a column tagged pii).
        package var values: [String: String?]
    }
    /// The run (nothing of it is written).
    package var result: RunResult
    /// The sample columns, in order: id, criteria inputs (as the table names them), scores.
    package var columns: [String]
    /// Segment label (`(unassigned)` for customers without one) → its example rows, first by row order.
    package var samples: [(segment: String, rows: [[String?]])]

    /// Runs `definition` of `workspace` with at most `limit` customers (the first ones in the population file) and
    /// keeps `sample` example rows per segment.
    package static func run(_ workspace: Workspace, definition name: String, limit: Int?, sample: Int) throws -> DefinitionTrial {
        guard let definition = try workspace.definitions(named: [name]).first else {
            throw DefinitionError(file: workspace.display(workspace.root.appendingPathComponent("segmentations")),
                                  "no definition named '\(name)'")
        }
        var options = RunOptions()
        options.limit = limit
        options.keepTable = true
        let result = try Runner(workspace: workspace).run(definition, options: options)
        let table = result.table!, assignment = result.assignment!
        var columns = [definition.id]
        for use in definition.criteria {
            for field in result.criteriaUses[use.plugin] ?? [] {
                let column = use.columns[field] ?? field
                if !columns.contains(column) { columns.append(column) }
            }
        }
        columns += result.scoreColumns.filter { !columns.contains($0) }
        let pii = Set(definition.piiColumns)
        let picked = columns.compactMap { name in table[name].map { (name, $0) } }
        var byCode: [Int32: [Int]] = [:]
        for (row, code) in assignment.codes.enumerated() where (byCode[code]?.count ?? 0) < sample {
            byCode[code, default: []].append(row)
        }
        var samples: [(String, [[String?]])] = []
        for segment in result.report.segments where segment.count > 0 {
            let code = segment.unassigned ? -1 : assignment.labels.firstIndex(of: segment.label).map(Int32.init) ?? -2
            let rows = (byCode[code] ?? []).map { row in
                picked.map { name, column -> String? in pii.contains(name) ? "(pii)" : Self.cell(column, row) }
            }
            samples.append((segment.label, rows))
        }
        return DefinitionTrial(result: result, columns: picked.map(\.0), samples: samples)
    }

    /// A sample cell: numbers with a fraction rounded to 2 decimals, everything else as `Column.string(at:)`.
    static func cell(_ column: Column, _ row: Int) -> String? {
        if case .double(let v) = column.storage, column.isValid(row), v[row].isFinite, v[row] != v[row].rounded() {
            return String(format: "%.2f", v[row])
        }
        return column.string(at: row)
    }

    /// The text `seg try` prints: the run summary (nothing stored), the samples per segment, and the notes.
    package func text(workspace: Workspace) -> String {
        let run = result.report.run
        var head: [String] = []
        if let total = result.limitedFrom {
            head.append("limited run: the first \(run.customers) of \(total) customers (in population file order); counts, shares and what prepare computed cover only them")
        }
        let summary = RunSummary.text(report: result.report, scoreColumns: result.scoreColumns,
                                      version: "try (nothing stored)", destination: nil, notes: result.notes)
        var lines = head + [summary]
        if samples.contains(where: { !$0.rows.isEmpty }) { lines.append("  samples (first rows of each segment, in population order):") }
        for (segment, rows) in samples where !rows.isEmpty {
            lines.append("    \(segment)")
            let table = TextTable.render([columns] + rows.map { $0.map { $0 ?? "" } })
            lines += table.split(separator: "\n").map { "      " + $0 }
        }
        return TerminalText.escaped(lines.joined(separator: "\n"), limit: Int.max)
    }

    /// The same as JSON: definition, customers, limited_from, segments (label, customers, share), samples, notes and
    /// the rule-set findings.
    package func json() throws -> Data {
        struct Segment: Codable { var label: String; var customers: Int; var share: Double? }
        struct Finding: Codable { var kind: String; var line: Int?; var message: String }
        struct Out: Codable {
            var definition: String; var customers: Int; var limited_from: Int?
            var segments: [Segment]; var columns: [String]; var samples: [String: [[String?]]]
            var notes: [String]; var rule_set: [Finding]
        }
        let out = Out(definition: result.report.run.definition, customers: result.report.run.customers,
                      limited_from: result.limitedFrom,
                      segments: result.report.segments.map { Segment(label: $0.label, customers: $0.count, share: $0.share) },
                      columns: columns, samples: Dictionary(samples.map { ($0.segment, $0.rows) }, uniquingKeysWith: { a, _ in a }),
                      notes: result.notes, rule_set: result.ruleSet.map { Finding(kind: $0.kind.rawValue, line: $0.line, message: $0.message) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(out) + Data("\n".utf8)
    }
}
