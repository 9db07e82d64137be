import Foundation
import LuaHost
import SegworkData

/// `seg plan`: freezes what `seg apply` needs to label and score customers one row at a time (``SegmentPlan``).
///
/// The statistics each scorer's and criterion's `prepare` sees come either from a local run of the definition
/// (`Runner.run`, as `seg try` runs it: nothing is written, no version is stored, since a plan is not a version) or
/// from a statistics file an engine computed (``PlanStatsFile``). Either way each plugin is loaded from the
/// workspace's libraries, configured with the definition's overrides, given the statistics, and its parameters
/// afterwards are recorded with its source and modules.
public enum PlanBuilder {
    /// Where the statistics come from.
    public enum Statistics: Sendable {
        /// A run of the definition on the workspace's data (reference date: `asOf`, else as `seg run` picks it).
        case localRun
        /// A statistics file, read already; `file` names it in errors.
        case file(PlanStatsFile, file: String)
    }

    /// Makes the plan of definition `name` of `workspace`.
    public static func make(_ workspace: Workspace, definition name: String, statistics: Statistics,
                            asOf: CivilDate? = nil) throws -> SegmentPlan {
        guard let def = try workspace.definitions(named: [name]).first else {
            throw DefinitionError(file: workspace.display(workspace.root.appendingPathComponent("segmentations")),
                                  "no definition named '\(name)'")
        }
        if def.clusters != nil {
            throw PlanError.unsupported(definition: def.file, detail: "uses features.clusters; a plan cannot freeze a clustering yet (seg apply would need the centroids and the standardisation to assign new customers). Run it with `seg run`, or compute the cluster column in the engine and give it to a criterion as a plain column")
        }
        if def.criteria.isEmpty {
            throw PlanError.unsupported(definition: def.file, detail: "has no criteria; a plan labels customers, so it needs at least one criterion")
        }
        let personal = Set(def.piiColumns)
        // What each column's statistics, type and the population size are, by source.
        let stats: (String) -> PlanColumnStats?
        let provenance: SegmentPlan.StatisticsProvenance
        let referenceDate: CivilDate
        var recorded: [PluginInfo]? = nil
        var missing: (String, String) -> Error
        switch statistics {
        case .localRun:
            var options = RunOptions(asOf: asOf)
            options.keepTable = true
            options.ruleChecks = false
            let result = try Runner(workspace: workspace).run(def, options: options)
            let table = result.table!
            stats = { name in table[name].map { PlanColumnStats($0, personal: personal.contains(name)) } }
            provenance = .init(source: "local-run", quantiles: "exact", rows: table.rowCount)
            referenceDate = CivilDate(iso: Substring(result.report.run.asOf))!
            recorded = result.report.run.plugins.filter { $0.kind == "scorer" || $0.kind == "criterion" }
            missing = { column, plugin in DefinitionError(file: def.file, "plugin '\(plugin)' uses column '\(column)', which the customer table does not have") }
        case .file(let s, let file):
            // The built-in features have fixed types: a statistics file that says otherwise would only fail in apply.
            var fixed: [String: ColumnType] = [:]
            if let rfm = def.rfm {
                fixed = ["recency_days": .integer, "frequency": .integer, "monetary": .double]
                if rfm.options.scoresOn { for n in ["r_score", "f_score", "m_score", "rfm_score"] { fixed[n] = .integer } }
            }
            for (_, output) in def.daysSince { fixed[output] = .integer }
            for (name, type) in fixed.sorted(by: { $0.key < $1.key }) {
                if let c = s.columns[name], c.type != type, !(c.type == .integer && type == .double) {
                    throw PlanError.badStats(file: file, field: "columns.\(name).type", detail: "is \(c.type.rawValue), but the definition's features make '\(name)' \(type.withArticle) column")
                }
            }
            stats = { name in
                guard var c = s.columns[name] else { return nil }
                if personal.contains(name) { c = PlanColumnStats(c.columnStatistics.withholdingValues(), type: c.type) }
                return c
            }
            provenance = .init(source: "stats-file", quantiles: s.quantiles, relativeError: s.relativeError, engine: s.engine,
                               rows: s.rows)
            guard let date = asOf ?? s.asOf ?? def.asOf else {
                throw PlanError.badStats(file: file, field: "as_of", detail: "the reference date is not known: give \"as_of\" in the file (the date the engine computed recency for), or pass --as-of")
            }
            referenceDate = date
            missing = { column, plugin in
                PlanError.badStats(file: file, field: "columns.\(column)", detail: "is missing; plugin '\(plugin)' uses it, so its statistics must be in the file (a score column's too, when a criterion reads it)")
            }
        }

        var env = PluginEnvironment(limits: workspace.limits, fileRoot: workspace.root.path)
        env.randomSeed = Runner.seed(def.name)
        env.frozenTime = Int64(referenceDate.days) * 86_400
        let catalog = workspace.catalog
        var sources: [String: Data] = [:]
        var scoreNames: [String] = []
        var inputs: [SegmentPlan.InputColumn] = [.init(name: def.id, type: .string)]
        func addInput(_ name: String, _ type: ColumnType) {
            if !inputs.contains(where: { $0.name == name }) && !scoreNames.contains(name) { inputs.append(.init(name: name, type: type)) }
        }
        func plan(_ use: PluginUse, _ kind: PluginKind) throws -> SegmentPlan.PlannedPlugin {
            let entry = try catalog.resolve(use.plugin, pin: use.pin, usedIn: def.file, line: use.line)
            let plugin = try PluginLoader.load(entry, catalog: catalog, expecting: kind, use: use.plugin, pin: use.pin,
                                               params: use.params, definition: def, line: use.line,
                                               fieldLines: use.fieldLines, environment: env)
            var uses: [String: String] = [:], given: [String: PlanColumnStats] = [:]
            for field in use.columns.keys.sorted() where !plugin.manifest.uses.contains(field) {
                throw DefinitionError(file: def.file, line: use.fieldLines["columns.\(field)"] ?? use.line,
                                      "'columns' maps '\(field)', but plugin '\(use.plugin)' does not use it")
            }
            for field in plugin.manifest.uses {
                let column = use.columns[field] ?? field
                guard let s = stats(column) else { throw missing(column, use.plugin) }
                uses[field] = column
                given[field] = s
                addInput(column, s.type)
            }
            do { try plugin.prepare(stats: given.mapValues(\.columnStatistics)) } catch let e as PluginError {
                throw DefinitionError.prepareRejected(e, overrides: use.params, lines: use.fieldLines, line: use.line, file: def.file) ?? e
            }
            let params = try plugin.effectiveParams()
            let info = try PluginLoader.record(plugin, entry: entry, params: params, catalog: catalog, sources: &sources)
            let modules = (info.modules ?? []).map { m in
                SegmentPlan.PlannedModule(name: m.name, library: m.library,
                                          bundled: catalog.libraries.first { $0.name == m.library }?.isBundled ?? false,
                                          file: m.file, sha256: m.sha256, source: String(decoding: sources[m.sha256] ?? Data(), as: UTF8.self))
            }
            let output = kind == .scorer ? plugin.manifest.output ?? plugin.manifest.name : nil
            return SegmentPlan.PlannedPlugin(name: info.name, kind: info.kind, version: info.version, library: entry.library.name,
                                             bundled: entry.library.isBundled, file: info.file, sha256: info.sha256,
                                             source: String(decoding: sources[info.sha256] ?? Data(), as: UTF8.self),
                                             modules: modules, uses: uses, output: output, params: params, stats: given)
        }
        var scorers: [SegmentPlan.PlannedPlugin] = []
        for use in def.scorers {
            let p = try plan(use, .scorer)
            scorers.append(p)
            scoreNames.append(p.output!)
        }
        let criteria = try def.criteria.map { try plan($0, .criterion) }
        // The plan's parameters are what `seg run` records for the same data, or the plan is refused.
        if let recorded {
            for (p, r) in zip(scorers + criteria, recorded) where p.params != r.params || p.sha256 != r.sha256 {
                throw PlanError.paramsDiffer(file: def.file, plugin: p.name, detail: "came out of prepare with other parameters than the local run recorded; is its prepare deterministic?")
            }
        }
        for name in def.membershipColumns { addInput(name, stats(name)?.type ?? .string) }
        let layout = MembershipLayout(definition: def)
        var features: [String] = []
        if let rfm = def.rfm {
            // Scores are ranks over the whole population (ties by row order): the engine's work, like the rest.
            let scores = rfm.options.scoresOn ? ["r_score", "f_score", "m_score", "rfm_score"] : []
            features.append("rfm: " + (RFMFeature.outputs + scores).joined(separator: ", "))
        }
        features += def.daysSince.map { "days_since: \($0.output) (from \($0.column))" }
        return SegmentPlan(format: SegmentPlan.currentFormat, segwork: segworkVersion, definition: def.name, definitionFile: def.file,
                           definitionText: def.text, id: def.id, asOf: referenceDate.description,
                           limits: .init(workspace.limits), statistics: provenance, inputs: inputs,
                           outputs: [def.id, "segment"] + layout.columns + scoreNames + def.membershipColumns,
                           scorers: scorers, criteria: criteria, features: features)
    }
}
