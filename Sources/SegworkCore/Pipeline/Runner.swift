import Foundation
import LuaHost
import SegworkData

/// Options for one run.
package struct RunOptions: Sendable {
    /// Reference date; nil uses the definition's `as_of`, else the latest transaction date.
    public var asOf: CivilDate?
    /// Profile formats to write; nil uses the definition's `exports:`.
    public var formats: [ExportFormat]?
    /// Dataset name → file to read instead of what the definition says (snapshots when reproducing a version,
    /// imported datasets' snapshots).
    public var datasetFiles: [String: URL]
    /// Dataset name → the file name given to `seg import` for an imported dataset in `datasetFiles`: errors about
    /// its snapshot name that file (see `History.importedNames(for:)`).
    public var datasetNames: [String: String] = [:]
    /// Hashed ids and suppression for this run; nil uses the workspace's `privacy:` settings.
    public var privacy: PrivacyOptions?
    /// The terminal progress line (phases, rows read), or nil for none.
    public var progress: ReadProgress?
    /// Only the first this many customers of the population (`seg try --limit`), cut after joins and features:
    /// the plugins, their `prepare` and the profiles see only them. Nil: all.
    package var limit: Int?
    /// Keep the final customer table in `RunResult.table` (`seg try` shows sample rows from it).
    package var keepTable = false
    /// Run the rule-set checks (`RuleSetCheck`) and add them to the notes.
    package var ruleChecks = true
    /// Finds the stored version the run compares with (``PriorVersion``); nil compares with none.
    package var prior: PriorLookup?
    /// The Segwork version whose membership layout to write (`--verify` of a version an older release recorded,
    /// which had no criterion columns); nil: this one's.
    package var layoutOf: String?
    /// Called once the run has read, hashed and cleaned its dataset files and derived the features (dataset name →
    /// file, and their `InputInfo`), before scorers, criteria and profiles: `History.run` starts copying them into
    /// the store then, so the copies overlap the single-threaded plugin calls. (Started before the features, the
    /// copy slowed them by more than it saved: both compete for memory bandwidth.)
    package var inputsRead: (@Sendable (_ files: [String: URL], _ inputs: [InputInfo]) -> Void)?
    /// How a stored version recorded its inputs, when `datasetFiles` are its snapshots (`--verify`): a PostgreSQL
    /// dataset's snapshot is read with the column types and push-down it was read with.
    package var recordedInputs: [InputInfo] = []
    /// Creates options.
    public init(asOf: CivilDate? = nil, formats: [ExportFormat]? = nil, datasetFiles: [String: URL] = [:],
                privacy: PrivacyOptions? = nil, progress: ReadProgress? = nil) {
        self.asOf = asOf; self.formats = formats; self.datasetFiles = datasetFiles; self.privacy = privacy
        self.progress = progress
    }
}

/// Everything one run of one definition produced, before anything is written.
public struct RunResult: Sendable {
    /// The definition that ran.
    public var definition: Definition
    /// The profiles and run metadata.
    public var report: ProfileReport
    /// Export files by name (`profiles.json`, …, `membership.csv`).
    public var files: [String: Data]
    /// The membership with raw customer ids, for the version store (the exported one may be hashed).
    public var membership: Data
    /// Where the files go: `exports/<definition>/<run id>/`.
    public var exportDirectory: URL
    /// Things worth telling the user (rows left out and why).
    public var notes: [String]
    /// Names of the score columns, in order.
    public var scoreColumns: [String]
    /// The `math.random` seed plugins got.
    public var seed: Int64
    /// The clock plugins saw (`os.time()`), seconds since 1970: midnight UTC of the reference date.
    public var frozenTime: Int64
    /// Dataset name → the file read (for snapshots).
    public var datasetFiles: [String: URL]
    /// The bytes of every plugin and module the run used, by SHA-256 (stored with the version).
    public var pluginSources: [String: Data]
    /// What each criterion gave, in definition order, for the rule-set checks.
    package var criteria: [CriterionOutcome] = []
    /// Temporary files behind `datasetFiles` (PostgreSQL rows), removed when the result is released.
    package var temporaries: [TemporaryFile] = []
    /// Criterion plugin name → the fields it reads (`uses`), for `seg try`'s sample columns.
    package var criteriaUses: [String: [String]] = [:]
    /// The rule-set checks' findings (also in `notes`).
    package var ruleSet: [RuleSetNote] = []
    /// The final customer table, when `RunOptions.keepTable` asked for it.
    package var table: Table?
    /// The final segment of each customer, when `RunOptions.keepTable` asked for it.
    package var assignment: SegmentAssignment?
    /// The population's size before `RunOptions.limit`, when the limit cut it.
    package var limitedFrom: Int?
    /// What the store keeps with the version so `seg export` can rebuild every file (`VersionStore.storedFileNames`).
    public var storedFiles: [String: Data] = [:]
}

/// The two results `Runner.run` computes side by side: the profiles, and the report's row-level data. Each is
/// written once, by its own task, before either is read.
private final class ProfilingAndRows: @unchecked Sendable {
    var profiles: Result<ProfileSet, any Error>?
    var rows: ReportData?
}

/// Runs segmentation definitions of a workspace: datasets → features → scorers → criteria → profiles → exports.
package struct Runner: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// Its plugins.
    public let catalog: PluginCatalog

    /// A runner for `workspace`, with its plugins, or with `catalog` instead (`--verify` runs a version's stored
    /// plugin sources).
    public init(workspace: Workspace, catalog: PluginCatalog? = nil) {
        self.workspace = workspace
        self.catalog = catalog ?? workspace.catalog
    }

    /// Computes one definition. Writes nothing.
    public func run(_ definition: Definition, options: RunOptions = RunOptions()) throws -> RunResult {
        // Unknown plugins are reported before any data is read.
        let criterionFiles = try definition.criteria.map { try catalog.resolve($0.plugin, pin: $0.pin, usedIn: definition.file, line: $0.line) }
        let scorerFiles = try definition.scorers.map { try catalog.resolve($0.plugin, pin: $0.pin, usedIn: definition.file, line: $0.line) }
        var pluginNotes = try shadowing(definition)
        // A personal id column is always hashed; a missing salt is reported before any data is read.
        let hashIDs = (options.privacy?.hashIDs ?? workspace.privacy.hashIDs) || definition.piiColumns.contains(definition.id)
        let hasher = hashIDs ? try workspace.privacy.hasher(file: workspace.configDisplay) : nil
        let minGroupSize = options.privacy.map(\.minGroupSize) ?? workspace.privacy.minGroupSize

        var env = PluginEnvironment(limits: workspace.limits, fileRoot: workspace.root.path)
        env.randomSeed = Self.seed(definition.name)
        env.frozenTime = (options.asOf ?? definition.asOf).map { Int64($0.days) * 86_400 }
        var stage = DatasetStage(workspace: workspace, definition: definition, catalog: catalog, environment: env,
                                 fileOverrides: options.datasetFiles, importedNames: options.datasetNames,
                                 progress: options.progress, limit: options.limit)
        stage.recordedInputs = Dictionary(options.recordedInputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var data = try stage.run(asOf: options.asOf)
        env.frozenTime = Int64(data.asOf.days) * 86_400
        options.inputsRead?(data.files, data.inputs)
        // The version this run compares with (the scorecard's growth), found from what the run reads before any of it runs.
        let inputsID = try Self.inputsID(definition, data.inputs, plugins: criterionFiles + scorerFiles, asOf: data.asOf,
                                         privacy: "\(hasher?.fingerprint ?? "raw") \(minGroupSize ?? 0)")
        let prior = try options.prior?(inputsID)
        // Clustering keeps the cluster ids of that version (docs/CLUSTERING.md, "Stable ids").
        data.clusters = try ClusterFeature.add(definition, prior?.report.clusters, to: &data.table, notes: &data.notes)
        let clusterModels = ClusterFeature.pluginModels(data.clusters)

        // Load and configure every criterion and scorer, and check every column they read or the profile names,
        // before any of them runs: a typo costs milliseconds, not a whole run.
        let scorers = try zip(definition.scorers, scorerFiles).map { use, file in
            (use, file, try load(file, .scorer, use, definition, env))
        }
        let criteria = try zip(definition.criteria, criterionFiles).map { use, file in
            (use, file, try load(file, .criterion, use, definition, env))
        }
        var available = Set(data.table.columnNames)
        var scoreNames: [String] = []
        for (use, _, plugin) in scorers {
            try checkColumns(use, plugin, available, definition)
            let output = plugin.manifest.output ?? plugin.manifest.name
            try checkOutput(output, use, available, definition)
            available.insert(output)
            scoreNames.append(output)
        }
        for (use, _, plugin) in criteria { try checkColumns(use, plugin, available, definition) }
        let profileOptions = try profileOptions(definition, data.table, scoreNames)
        try checkMembership(definition, available, scores: scoreNames)
        try checkScorecard(definition, data.table, scores: scoreNames)
        let ids = data.table[definition.id]!
        let personalID = hasher != nil  // a pii id is always hashed

        var pluginInfos = data.sourcePlugins
        var sources = data.pluginSources
        for ((use, file, plugin), output) in zip(scorers, scoreNames) {
            options.progress?.begin("running scorer \(use.plugin)")
            let (inputs, params) = try prepare(plugin, use, data.table, personal: Set(definition.piiColumns),
                                               file: definition.file, models: clusterModels)
            plugin.rowDescription = Self.describeRow(ids, data.table.rowLines, data.populationOrigin, personal: personalID)
            var scores = try withCustomer(ids, data, personal: personalID, withheld: personalInputs(plugin, use, data.table, definition)) { try plugin.score(columns: inputs, rowCount: data.table.rowCount) }
            // Infinite scores (a division by zero) count as missing, like NaN and nil: statistics stay finite.
            for i in scores.values.indices where !scores.values[i].isFinite { scores.valid[i] = false; scores.values[i] = 0 }
            try data.table.add(Column(name: output, storage: .double(scores.values), validity: Bitmap(scores.valid)))
            pluginInfos.append(try PluginLoader.record(plugin, entry: file, params: params, catalog: catalog, sources: &sources))
        }
        var assignments: [LabelAssignment] = []
        var described: [[String: String]] = []
        var outcomes: [CriterionOutcome] = []
        for (use, file, plugin) in criteria {
            options.progress?.begin("running criterion \(use.plugin)")
            let (inputs, params) = try prepare(plugin, use, data.table, personal: Set(definition.piiColumns),
                                               file: definition.file, models: clusterModels)
            plugin.rowDescription = Self.describeRow(ids, data.table.rowLines, data.populationOrigin, personal: personalID)
            let labels = try withCustomer(ids, data, personal: personalID, withheld: personalInputs(plugin, use, data.table, definition)) { try plugin.assign(columns: inputs, rowCount: data.table.rowCount) }
            try Self.checkLabels(labels, plugin, ids)
            // `labels:` renames what the plugin returned before anything is combined, profiled or exported.
            let shown = use.labels.apply(labels)
            assignments.append(shown)
            for key in use.labels.unused(by: labels) {
                pluginNotes.append("\(definition.file)\(use.labels.lines[key].map { ":\($0)" } ?? ""): labels: renames '\(key)', which '\(use.plugin)' never returned on this data (a typo?)")
            }
            described.append(SegmentDescriptions.criterion(plugin.manifest.descriptions, labels: plugin.manifest.labels,
                                                           renames: use.labels, overrides: use.descriptions))
            pluginNotes += Self.unusedDescriptions(use, shown, file: definition.file)
            pluginInfos.append(try PluginLoader.record(plugin, entry: file, params: params, catalog: catalog, sources: &sources))
            if options.ruleChecks {
                let columns = plugin.manifest.uses.map { (field: $0, column: data.table[use.columns[$0] ?? $0]!) }
                // Values of personal columns never reach a note (which the run prints and exports).
                let personal = Set(plugin.manifest.uses.filter { definition.piiColumns.contains(use.columns[$0] ?? $0) })
                outcomes.append(RuleSetInputs.outcome(use, file.file, plugin, labels, columns: columns, params: params,
                                                      personal: personal))
            }
        }
        options.progress?.begin("profiling")
        let (assignment, descriptions) = Self.combine(assignments, definition.combine, rows: data.table.rowCount,
                                                      describing: described)
        if assignment.labels.count > workspace.limits.segments {
            throw ProfileError.tooManySegments(count: assignment.labels.count, limit: workspace.limits.segments,
                                               criteria: definition.criteria.map(\.plugin),
                                               combine: definition.combine.rawValue)
        }

        // The report's row-level data needs only the table and the segments: it is read while the profiles are computed.
        let concurrent = ProfilingAndRows()
        let table = data.table
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                concurrent.profiles = Result { try Profiler.profiles(table: table, assignment: assignment, options: profileOptions) }
            } else {
                concurrent.rows = ReportDataBuilder.rows(table: table, assignment: assignment, numeric: profileOptions.numeric,
                                                         categorical: profileOptions.categorical, monetary: profileOptions.monetary,
                                                         named: minGroupSize ?? 1)
            }
        }
        var profiles = try concurrent.profiles!.get()
        for i in profiles.segments.indices where !profiles.segments[i].unassigned {
            profiles.segments[i].description = descriptions[profiles.segments[i].label]
        }
        if let minGroupSize { profiles = Suppression.apply(profiles, k: minGroupSize) }
        let privacy = definition.piiColumns.isEmpty && hasher == nil && minGroupSize == nil ? nil
            : PrivacyInfo(piiColumns: definition.piiColumns, hashedIDs: hasher != nil, minGroupSize: minGroupSize)
        var runID = Self.runID(definition: definition, inputs: data.inputs, plugins: pluginInfos, asOf: data.asOf)
        if hasher != nil || minGroupSize != nil {
            // Hashing (and with which salt) and suppression change the output, so they change the id too.
            let salt = hasher.map { "salt \($0.fingerprint)" } ?? "ids raw"
            runID = String(SHA256.hex("run \(runID)\n\(salt)\nmin_group_size \(minGroupSize ?? 0)").prefix(12))
        }
        // The version this run compares with is part of what decides its output, so of its id too.
        if let prior { runID = String(SHA256.hex("run \(inputsID)\nprevious \(prior.reference.runID)").prefix(12)) }
        var run = RunInfo(definition: definition.name, runID: runID, asOf: data.asOf.description,
                          segworkVersion: segworkVersion, inputs: data.inputs, plugins: pluginInfos,
                          combine: definition.combine.rawValue, customers: data.table.rowCount, privacy: privacy)
        run.inputsID = inputsID
        run.previous = prior?.reference
        var report = ProfileReport(run: run, profiles: profiles)
        let scorecard = Self.scorecard(definition, profiles, assignment, data.table, prior, clusters: data.clusters)
        report.scorecard = scorecard
        report.clusters = ClusterFeature.suppress(data.clusters, k: minGroupSize)
        let extra = try membershipColumns(definition, data.table, scoreNames)
        // With two or more criteria, each one's own label (and under first_match which decided) after `segment`.
        let layout = MembershipLayout(definition: definition, segworkVersion: options.layoutOf ?? segworkVersion)
        let criterionColumns = layout.criteria.isEmpty ? nil
            : CriterionColumns(names: layout.criteria, parts: assignments, combine: definition.combine)
        let membership = Exporter.membership(ids: ids, assignment: assignment, criteria: criterionColumns,
                                             scores: scoreNames.map { data.table[$0]! } + extra)
        var stored: [String: Data] = [:]
        if let cleaning = data.cleaning {
            stored["cleaning.json"] = cleaning.json
            stored["rejects.csv"] = cleaning.rejectsCSV
        }
        options.progress?.begin("report data")
        let reportData = try ReportDataBuilder.make(rows: concurrent.rows!, report: report,
                                                    criteria: Array(zip(criterionColumns?.names ?? [], assignments)),
                                                    prior: prior, membership: membership, minGroupSize: minGroupSize)
        stored["report-data.json"] = reportData.json
        options.progress?.begin("exports")
        var files = try Exporter.files(report, formats: options.formats ?? definition.formats, stored: stored)
        options.progress?.end()
        files["membership.csv"] = hasher.map { $0.hashMembership(membership) } ?? membership
        let dir = workspace.exportDirectory(definition: definition.name, folder: runID)
        let ruleSet = RuleSetCheck.notes(outcomes, combine: definition.combine, rows: data.table.rowCount)
        var result = RunResult(definition: definition, report: report, files: files, membership: membership,
                               exportDirectory: dir, notes: pluginNotes + data.notes + ruleSet.map(\.message) + scorecard.notes,
                               scoreColumns: scoreNames, seed: env.randomSeed, frozenTime: env.frozenTime ?? 0,
                               datasetFiles: data.files, pluginSources: sources)
        result.criteria = outcomes
        for (use, _, plugin) in criteria { result.criteriaUses[use.plugin] = plugin.manifest.uses }
        result.ruleSet = ruleSet
        result.limitedFrom = data.limitedFrom
        result.storedFiles = stored
        result.temporaries = data.temporaries
        if options.keepTable { result.table = data.table; result.assignment = assignment }
        return result
    }

    /// The file of an export folder that holds the run's notes, one per line (absent when there are none). Not part of
    /// what a run id promises: the folder's is the latest run's, replaced each time; the store keeps the version's.
    package static let notesFile = "notes.txt"

    /// `notes.txt`: one line per note, escaped as on the terminal (notes can quote labels and values from the data);
    /// nil when there are none. The store keeps the version's own (`seg export` writes them again).
    package static func notesData(_ notes: [String]) -> Data? {
        guard !notes.isEmpty else { return nil }
        let lines = notes.map { TerminalText.escaped($0, limit: Int.max, keepNewlines: false) }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// A note for each plugin the definition uses (naming no library) that hides another of the same name.
    private func shadowing(_ definition: Definition) throws -> [String] {
        try PluginUses.all(in: definition).flatMap { use -> [String] in
            guard use.pin.library == nil else { return [] }
            let entry = try catalog.resolve(use.name, pin: use.pin, usedIn: definition.file, line: use.line)
            return (catalog.candidates[use.name] ?? []).filter { $0 != entry }.map { PluginShadow(winner: entry, hidden: $0).message }
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Stages a run's export folder. Files an earlier run with the same id wrote and this one does not (another
    /// `--format`) are kept: the same run id means the same bytes, so they are still true. A file both wrote must
    /// have the same bytes; otherwise the run is not reproducible: `AtomicWriteError.notReproducible` names the
    /// files and the folder is left as it was. Refuses to write through a symbolic link leading out of the workspace.
    /// With `erased` (an erasure rewrote the run id's folder: `seg forget`), the new files replace the old ones
    /// without that check, since the folder no longer holds what the run id's inputs hold.
    public func stage(_ result: RunResult, erased: Bool = false) throws -> AtomicWriter.StagedDirectory {
        var files = result.files
        // One line per note, escaped as on the terminal: notes can quote labels and values from the data.
        if let notes = Self.notesData(result.notes) { files[Self.notesFile] = notes }
        let dir = result.exportDirectory
        try AtomicWriter.checkNoLinkOutside(dir, root: workspace.root)
        var differing: [String] = []
        // notes.txt says what this run noticed (shadowed plugins, lock warnings, rows left out): the latest run's.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] where name != Self.notesFile {
            let url = dir.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            if let new = files[name] {
                if new != data { differing.append(name) }
            } else {
                files[name] = data
            }
        }
        if !differing.isEmpty && !erased {
            throw AtomicWriteError.notReproducible(runID: result.report.run.runID, place: workspace.display(dir) + "/",
                                                   files: differing)
        }
        return try AtomicWriter.stage(files, to: dir)
    }

    /// The run id: the first 12 hex digits of a hash over everything that decides the output, so the same inputs
    /// give the same id (and the same export folder, with the same bytes).
    static func runID(definition: Definition, inputs: [InputInfo], plugins: [PluginInfo], asOf: CivilDate) -> String {
        var parts = ["segwork \(segworkVersion)", "definition \(SHA256.hex(definition.text))", "as_of \(asOf)"]
        parts += inputs.map { "input \($0.name) \($0.sha256)" }
        parts += plugins.map { p in
            "plugin \(p.name) \(p.version) \(p.sha256) \(canonical(.object(p.params)))"
                + (p.modules ?? []).map { " module \($0.name) \($0.sha256)" }.joined()
        }
        return String(SHA256.hex(parts.joined(separator: "\n")).prefix(12))
    }

    /// A seed for `math.random` that is the same for every run of a definition.
    static func seed(_ name: String) -> Int64 {
        Int64(bitPattern: UInt64(SHA256.hex("seed \(name)").prefix(15), radix: 16) ?? 0)
    }
}

/// Deterministic text for a plugin value (sorted keys), used in hashes.
func canonical(_ v: PluginValue) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d): return formatDouble(d)
    case .string(let s): return "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    case .array(let a): return "[" + a.map(canonical).joined(separator: ",") + "]"
    case .object(let o): return "{" + o.keys.sorted().map { "\(canonical(.string($0))):\(canonical(o[$0]!))" }.joined(separator: ",") + "}"
    }
}
