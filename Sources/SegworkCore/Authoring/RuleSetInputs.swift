import Foundation
import LuaHost
import SegworkData

/// Builds a `CriterionOutcome` for the rule-set checks from a criterion that has just run.
enum RuleSetInputs {
    /// What `plugin` (loaded from `file`, used as `use`) gave, the labels it declares (`labels = {…}`) or returns as
    /// literals, and a threshold sweep over its inputs (`columns`, named as it reads them) with its effective `params`.
    static func outcome(_ use: PluginUse, _ file: URL, _ plugin: Plugin, _ labels: LabelAssignment,
                        columns: [(field: String, column: Column)], params: [String: PluginValue],
                        personal: Set<String> = []) -> CriterionOutcome {
        let scan = (try? String(contentsOf: file, encoding: .utf8)).map(PluginSourceScan.init(source:))
        var declared: [(label: String, line: Int?)] = []
        var seen = Set<String>()
        let declaredLines = Dictionary((scan?.declaredLabels ?? []).map { ($0.field, $0.line) }, uniquingKeysWith: { a, _ in a })
        for label in plugin.manifest.labels ?? [] where seen.insert(label).inserted {
            declared.append((label, declaredLines[label] ?? scan?.fieldLines["labels"]))
        }
        for literal in scan?.returnedLiterals ?? [] where seen.insert(literal.field).inserted {
            declared.append((literal.field, literal.line))
        }
        // Only labels missing on the data need the sweep.
        let returned = Set(labels.labels)
        var sweep: ThresholdSweepSummary?
        if declared.contains(where: { !returned.contains($0.label) }) {
            let s = ThresholdSweep(plugin: plugin, columns: columns, params: params, personal: personal)
            if s.sweptNumeric { sweep = ThresholdSweepSummary(reached: s.reached, ranges: s.ranges, complete: !s.incomplete) }
        }
        return CriterionOutcome(plugin: use.plugin, line: use.line, file: plugin.shownFile, assignment: labels,
                                declared: declared, sweep: sweep)
    }
}
