import Foundation
import LuaHost
import SegworkData

// One chunk through the scorers and criteria, and its output rows.

extension PlanApplier {

    /// The CSV header line the output starts with (what `membership.csv` starts with).
    func header() -> Data {
        let empty = Column(name: plan.id, storage: .string(codes: [], dictionary: []))
        let parts = criteria.map { _ in LabelAssignment(codes: [], labels: []) }
        let names = scorerOutputs + definition.membershipColumns
        return Exporter.membership(ids: empty, assignment: SegmentAssignment(codes: [], labels: []),
                                   criteria: CriterionColumns(names: layout.criteria, parts: parts, combine: definition.combine),
                                   scores: names.map { Column(name: $0, storage: .string(codes: [], dictionary: [])) })
    }

    var scorerOutputs: [String] { plan.scorers.map { $0.output ?? $0.name } }

    /// Runs the scorers, then the criteria, on `table` and combines the labels; `lineOf` gives a row's input line.
    /// Returns the rows in `format`: CSV with its header line (`membership.csv`'s bytes), or JSON Lines.
    func label(_ table: Table, format: Format, lineOf: @escaping @Sendable (Int) -> Int) throws -> Data {
        var table = table
        let ids = table[plan.id]!
        let n = table.rowCount
        func naming<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch var e as PluginError {
                if let r = e.row, r >= 0, r < n { e.customerID = ids.string(at: r); e.place = "standard input, line \(lineOf(r))" }
                throw e
            }
        }
        let idsCopy = ids
        let rowDescription: @Sendable (Int) -> String = { row in
            " for customer \(row < idsCopy.count ? idsCopy.string(at: row) ?? "(missing id)" : "?") (standard input, line \(lineOf(row)))"
        }
        for (planned, plugin) in scorers {
            let inputs = plugin.manifest.uses.map { table[planned.uses[$0]!]!.pluginInput(as: $0) }
            plugin.rowDescription = rowDescription
            var scores = try naming { try plugin.score(columns: inputs, rowCount: n) }
            // As in a run: infinite scores (a division by zero) count as missing.
            for i in scores.values.indices where !scores.values[i].isFinite { scores.valid[i] = false; scores.values[i] = 0 }
            try table.add(Column(name: planned.output ?? planned.name, storage: .double(scores.values), validity: Bitmap(scores.valid)))
        }
        var parts: [LabelAssignment] = []
        for (planned, use, plugin) in criteria {
            let inputs = plugin.manifest.uses.map { table[planned.uses[$0]!]!.pluginInput(as: $0) }
            plugin.rowDescription = rowDescription
            let labels = try naming { try plugin.assign(columns: inputs, rowCount: n) }
            try naming { try Runner.checkLabels(labels, plugin, ids) }
            parts.append(use.labels.apply(labels))
        }
        let assignment = Runner.combine(parts, definition.combine, rows: n)
        labelsSeen.formUnion(Set(assignment.codes.filter { $0 >= 0 }).map { assignment.labels[Int($0)] })
        if labelsSeen.count > plan.limits.segments {
            throw ProfileError.tooManySegments(count: labelsSeen.count, limit: plan.limits.segments,
                                               criteria: definition.criteria.map(\.plugin), combine: definition.combine.rawValue)
        }
        let extra = (scorerOutputs + definition.membershipColumns).map { table[$0]! }
        let columns = CriterionColumns(names: layout.criteria, parts: parts, combine: definition.combine)
        if format == .jsonl { return jsonLines(ids, assignment, parts, extra) }
        return Exporter.membership(ids: ids, assignment: assignment, criteria: columns, scores: extra)
    }

    /// One JSON object per row, keys as the CSV header names them: text as strings, numbers as numbers, missing
    /// values (and no segment) as null. Written as bytes: labels and keys are encoded once per chunk.
    private func jsonLines(_ ids: Column, _ a: SegmentAssignment, _ parts: [LabelAssignment], _ extra: [Column]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(a.codes.count * 64)
        let keys = plan.outputs.map { Array((Self.jsonString($0) + ":").utf8) }
        let null = Array("null".utf8)
        let labels = a.labels.map { Array(Self.jsonString($0).utf8) }
        let partLabels = parts.map { $0.labels.map { Array(Self.jsonString($0).utf8) } }
        let criterionNames = layout.criteria.map { Array(Self.jsonString($0).utf8) }
        let criterionColumns = !layout.criteria.isEmpty
        for i in 0..<a.codes.count {
            var k = 0
            func field(_ value: [UInt8]) {
                out.append(k == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
                out.append(contentsOf: keys[k]); out.append(contentsOf: value)
                k += 1
            }
            field(ids.string(at: i).map { Array(Self.jsonString($0).utf8) } ?? null)
            field(a.codes[i] >= 0 ? labels[Int(a.codes[i])] : null)
            if criterionColumns {
                if layout.decidedBy { field(parts.firstIndex { $0.codes[i] >= 0 }.map { criterionNames[$0] } ?? null) }
                for (p, shown) in zip(parts, partLabels) { field(p.codes[i] >= 0 ? shown[Int(p.codes[i])] : null) }
            }
            for c in extra {
                guard let v = c.string(at: i) else { field(null); continue }
                switch c.type {
                case .integer, .double, .bool: field(Array(v.utf8))
                case .date, .string: field(Array(Self.jsonString(v).utf8))
                }
            }
            out.append(UInt8(ascii: "}")); out.append(UInt8(ascii: "\n"))
        }
        return Data(out)
    }

    /// `s` as a JSON string.
    static func jsonString(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
