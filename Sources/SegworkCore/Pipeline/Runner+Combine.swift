import Foundation
import LuaHost
import SegworkData

// How a run turns its criteria's labels into segments, and each segment's description.

extension Runner {
    /// Combines the criteria's labels into one segment per customer.
    static func combine(_ parts: [LabelAssignment], _ mode: Combine, rows: Int) -> SegmentAssignment {
        combine(parts, mode, rows: rows, describing: []).assignment
    }

    /// Combines the criteria's labels into one segment per customer, and describes each segment from
    /// `describing[k]` (criterion k's shown label → description; missing entries describe nothing):
    /// `SegmentDescriptions.combined` of the parts that made the segment.
    static func combine(_ parts: [LabelAssignment], _ mode: Combine, rows: Int,
                        describing: [[String: String]]) -> (assignment: SegmentAssignment, descriptions: [String: String]) {
        func descriptions(_ k: Int) -> [String: String] { k < describing.count ? describing[k] : [:] }
        if parts.count == 1 {
            let d = descriptions(0)
            return (SegmentAssignment(codes: parts[0].codes, labels: parts[0].labels),
                    Dictionary(uniqueKeysWithValues: parts[0].labels.compactMap { l in d[l].map { (l, $0) } }))
        }
        var labels: [String] = []
        var described: [String: String] = [:]
        var codeOf: [String: Int32] = [:]
        var codes = [Int32](repeating: -1, count: rows)
        for i in 0..<rows {
            let label: String?
            var decided: [Int] = []
            switch mode {
            case .firstMatch:
                if let k = parts.firstIndex(where: { $0.codes[i] >= 0 }) { decided = [k] }
            case .cross:
                if parts.allSatisfy({ $0.codes[i] >= 0 }) { decided = Array(parts.indices) }
            }
            label = decided.isEmpty ? nil : decided.map { parts[$0].labels[Int(parts[$0].codes[i])] }.joined(separator: " × ")
            guard let label else { continue }
            if let c = codeOf[label] { codes[i] = c } else {
                codes[i] = Int32(labels.count); codeOf[label] = codes[i]; labels.append(label)
                described[label] = SegmentDescriptions.combined(decided.map { k in
                    (label: parts[k].labels[Int(parts[k].codes[i])], descriptions: descriptions(k))
                })
            }
        }
        return (SegmentAssignment(codes: codes, labels: labels), described)
    }

    /// A note for each label `use`'s `descriptions:` describes that no customer got from this criterion (after
    /// `labels:`): a typo, usually.
    static func unusedDescriptions(_ use: PluginUse, _ shown: LabelAssignment, file: String) -> [String] {
        guard !use.descriptions.map.isEmpty else { return [] }
        let given = Set(Set(shown.codes).filter { $0 >= 0 }.map { shown.labels[Int($0)] })
        return use.descriptions.map.keys.filter { !given.contains($0) }.sorted().map { key in
            "\(file)\(use.descriptions.lines[key].map { ":\($0)" } ?? ""): descriptions: describes '\(key)', which no customer of '\(use.plugin)' got on this data (a typo? descriptions name labels as the definition shows them, after labels:)"
        }
    }
}
