import Foundation
import LuaHost
import SegworkData

/// The first half of a run: read every dataset, join customer-level ones onto the population, derive features.
struct DatasetStage {
    let workspace: Workspace
    let definition: Definition
    let catalog: PluginCatalog
    let environment: PluginEnvironment
    /// Dataset name → the file to read instead of the definition's (a snapshot, an imported dataset).
    let fileOverrides: [String: URL]
    /// Dataset name → the file name given to `seg import`, for errors about an imported dataset.
    var importedNames: [String: String] = [:]
    /// Dataset name → how a version recorded it, for a PostgreSQL dataset read from its snapshot (`--verify`).
    var recordedInputs: [String: InputInfo] = [:]
    /// The terminal progress line, if shown.
    var progress: ReadProgress? = nil
    /// Keep only the first this many customers of the population, before joins and features (`seg try --limit`).
    var limit: Int? = nil

    /// The customer table with features, the inputs read, and the reference date.
    struct Output {
        var table: Table
        var inputs: [InputInfo]
        /// Source and cleaner plugins, in the order they ran.
        var sourcePlugins: [PluginInfo]
        var asOf: CivilDate
        var notes: [String]
        /// Dataset name → the file actually read (file and imported datasets).
        var files: [String: URL]
        /// Source and cleaner plugin name → its file.
        var pluginSources: [String: Data]
        /// What the `clean:` steps did; nil when no dataset has any.
        var cleaning: CleaningReport?
        /// Where the population came from (its file as shown, or its source plugin), for messages about a row.
        var populationOrigin = ""
        /// The population's size before `limit` cut it, when it did.
        var limitedFrom: Int?
        /// What `features.clusters` found, if the definition clusters (set by the runner, which clusters once it
        /// knows the version it compares with).
        var clusters: ClusterReport? = nil
        /// Temporary files holding what PostgreSQL datasets returned, kept until the run's snapshots are stored.
        var temporaries: [TemporaryFile] = []
    }

    func run(asOf requested: CivilDate?) throws -> Output {
        var tables: [String: (table: Table, origin: String)] = [:]
        var inputs: [InputInfo] = []
        var sources: [PluginInfo] = []
        var files: [String: URL] = [:]
        var sourceFiles: [String: Data] = [:]
        var temporaries: [TemporaryFile] = []
        /// PostgreSQL datasets whose RFM aggregates the database computed: the aggregates, not the rows.
        var aggregates: [String: (table: Table, origin: String)] = [:]
        var pushedCleaning: [String: (report: DatasetCleaning, rejects: [CleaningReject])] = [:]
        let warnings = ReadWarnings()
        // Cleaner plugins are found, loaded and configured before any data is read: a typo costs nothing.
        let cleaners = try loadCleaners()
        for spec in definition.datasets {
            if spec.file != nil || spec.imported != nil {
                let url: URL
                if let override = fileOverrides[spec.name] {
                    url = override
                } else if let file = spec.file {
                    url = workspace.resolve(file)
                } else {
                    throw DefinitionError(file: definition.file, line: spec.line,
                                          "dataset '\(spec.name)' reads the imported dataset '\(spec.imported!)'; import it with `seg import <workspace> \(spec.imported!) <file>` and run with `seg run`")
                }
                let shown = workspace.display(url)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw DefinitionError(file: definition.file, line: spec.line,
                                          "dataset '\(spec.name)': file '\(spec.file ?? shown)' does not exist (looked in \(shown))")
                }
                // Read through the path as shown, so errors name the file the way the user sees it.
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
                // A snapshot (`.seg/datasets/<sha>.csv`) holds the user's bytes: the progress line and errors name the user's file.
                let displayName = fileOverrides[spec.name] == nil ? nil : originalName(spec)
                progress?.begin("reading \(displayName ?? shown)", totalBytes: size)
                // The run id's hash of the file is computed meanwhile, in the gaps the parsing threads leave.
                let path = url.path
                let digest = Background { try SHA256.hex(fileAt: path) }
                var options = ReadOptions(
                    schema: spec.schema, textColumns: keyColumns(spec), dateFormats: spec.dateFormats,
                    replaceInvalidUTF8: spec.replaceInvalidUTF8, warnings: warnings, progress: progress)
                options.pii = Set(spec.pii)
                options.format = spec.format
                options.displayName = displayName
                // A schema entry naming a column the file lacks is the definition's mistake: its line, a did-you-mean.
                let definition = definition, owner = "dataset '\(spec.name)' (\(options.displayName ?? spec.file ?? shown))"
                options.unknownSchemaColumns = { unknown, columns in
                    let path = { (name: String) in "datasets.\(spec.name).schema.\(name)" }
                    let first = unknown.min { (definition.line(of: path($0)) ?? .max, $0) < (definition.line(of: path($1)) ?? .max, $1) }!
                    return definition.missingColumn(path(first), first, in: columns, owner: owner, fallbackLine: spec.line)
                }
                let table = try DataReader.read(path: shown, options: options)
                progress?.end()
                let recorded = spec.file ?? "dataset:\(spec.imported!)"
                inputs.append(InputInfo(name: spec.name, file: recorded, sha256: try digest.value(), rows: table.rowCount))
                files[spec.name] = url
                tables[spec.name] = (table, options.displayName ?? shown)
            } else if let pg = spec.postgres {
                let read = try readPostgres(spec, pg, asOf: requested, warnings: warnings)
                inputs.append(read.input)
                files[spec.name] = read.file
                if let t = read.temporary { temporaries.append(t) }
                if let c = read.cleaning { pushedCleaning[spec.name] = c }
                if read.input.postgres?.pushedDown == true { aggregates[spec.name] = (read.table, read.origin) }
                else { tables[spec.name] = (read.table, read.origin) }
            } else if let source = spec.source {
                let entry = try catalog.resolve(source, pin: spec.sourcePin, usedIn: definition.file, line: spec.line)
                let plugin = try PluginLoader.load(entry, catalog: catalog, expecting: .source, use: source, pin: spec.sourcePin,
                                                   params: spec.params, definition: definition, line: spec.line,
                                                   environment: environment)
                let params = try plugin.effectiveParams()
                progress?.begin("running source plugin \(source)")
                let output = try plugin.read()
                progress?.end()
                let origin = "plugin '\(source)' (\(entry.shown))"
                var table = try DataReader.table(from: output, declared: plugin.manifest.columns, origin: origin,
                                                 dateFormats: spec.dateFormats)
                try applySchema(spec, &table, origin: origin)
                let reads = try plugin.filesRead.map { rel in
                    FileRead(file: rel, sha256: try SHA256.hex(fileAt: workspace.resolve(rel).path))
                }
                inputs.append(InputInfo(name: spec.name, file: "plugin:\(source)", sha256: table.fingerprint(), rows: table.rowCount,
                                        reads: reads.isEmpty ? nil : reads))
                sources.append(try PluginLoader.record(plugin, entry: entry, params: params, catalog: catalog, sources: &sourceFiles))
                tables[spec.name] = (table, origin)
            }
        }
        let cleaning = try clean(&tables, cleaners: cleaners, plugins: &sources, files: &sourceFiles, pushed: pushedCleaning)
        progress?.end()
        // A misspelt pii tag would leave the real column unprotected: every tagged column must exist.
        for spec in definition.datasets {
            guard let (table, origin) = tables[spec.name] else { continue }
            for name in spec.pii where table[name] == nil {
                throw DefinitionError(file: definition.file, line: definition.line(of: "datasets.\(spec.name).schema.\(name)", or: spec.line),
                                      "dataset '\(spec.name)': schema tags column '\(name)' pii: true, but \(origin) has no such column; \(Definition.didYouMean(name, table.columnNames))columns: \(table.columnNames.joined(separator: ", "))")
            }
        }
        progress?.begin("joining datasets and deriving features")
        guard case (var population, let popOrigin)? = tables[definition.population] else {
            throw DefinitionError(file: definition.file, "population '\(definition.population)' was not read")
        }
        // An id column the population lacks is the definition's mistake (usually a typo): name its line.
        let idPath = definition.line(of: "population.id") == nil ? "id" : "population.id"
        guard population[definition.id] != nil else {
            throw definition.missingColumn(idPath, definition.id, in: population.columnNames,
                                           owner: "dataset '\(definition.population)'")
        }
        var notes: [String] = warnings.messages
        if let derived = definition.derivedPopulation {
            population = try derivedPopulation(derived, from: population, origin: popOrigin, notes: &notes)
        }
        let ids = population[definition.id]!
        var table = population
        // Ids must be present and unique, even with nothing to join.
        _ = try KeyIndex(ids: ids, origin: popOrigin, lines: population.rowLines, pii: isPII(definition.id, definition.population))
        for spec in definition.datasets where spec.join != nil && spec.name != definition.population {
            let (other, origin) = tables[spec.name]!
            let key = spec.join!
            guard let keyCol = other[key] else {
                throw definition.missingColumn("datasets.\(spec.name).join", key, in: other.columnNames,
                                               owner: "dataset '\(spec.name)'", fallbackLine: spec.line)
            }
            let rows = try KeyIndex(ids: keyCol, origin: origin, lines: other.rowLines,
                                    pii: isPII(key, spec.name)).match(ids)
            for c in other.columns where c.name != key {
                if table[c.name] != nil {
                    throw DataError(file: origin, line: nil, column: c.name,
                                    message: "column '\(c.name)' of dataset '\(spec.name)' is already in the customer table; rename it in one of the files")
                }
                try table.add(c.gather(rows, name: c.name))
            }
        }

        notes += cleaning.map { c in
            c.datasets.compactMap { d in
                let n = d.steps.reduce(0) { $0 + $1.rejects }
                return n == 0 ? nil : "\(n) \(d.dataset) \(n == 1 ? "row" : "rows") failed validation and went to rejects.csv"
            }
        } ?? []
        var reference = requested ?? definition.asOf
        if let rfm = definition.rfm, let (sums, origin) = aggregates[rfm.transactions] {
            let result = try RFMPushDown.compute(ids: ids, idOrigin: popOrigin, aggregates: sums, origin: origin,
                                                 spec: rfm, asOf: requested, definitionAsOf: definition.asOf)
            reference = result.asOf
            for c in result.columns { try addFeature(c, to: &table) }
            if result.afterAsOf > 0 { notes.append("\(result.afterAsOf) transactions after \(result.asOf) were left out") }
            if result.unmatched > 0 {
                notes.append("\(result.unmatched) transactions with no date or an unknown customer id were left out")
            }
        } else if let rfm = definition.rfm {
            let (tx, origin) = tables[rfm.transactions]!
            // A column name the definition got wrong is the definition's mistake: name its line, not the data file.
            for (role, name) in [("customer", rfm.customer), ("order", rfm.order), ("date", rfm.date), ("amount", rfm.amount)] {
                guard let name, tx[name] == nil else { continue }
                throw definition.missingColumn("features.rfm.\(role)", name, in: tx.columnNames,
                                               owner: "dataset '\(rfm.transactions)'")
            }
            let txFormat = definition.datasets.first { $0.name == rfm.transactions }?.format
            try definition.requireDates("features.rfm.date", column: rfm.date, in: tx, origin: origin, format: txFormat,
                                        pii: isPII(rfm.date, rfm.transactions))
            let result = try RFMFeature.compute(ids: ids, idOrigin: popOrigin, transactions: tx, origin: origin,
                                                spec: rfm, asOf: requested, definitionAsOf: definition.asOf,
                                                format: txFormat ?? TextFormat())
            reference = result.asOf
            for c in result.columns { try addFeature(c, to: &table) }
            if result.afterAsOf > 0 { notes.append("\(result.afterAsOf) transactions after \(result.asOf) were left out") }
            if result.unmatched > 0 {
                notes.append("\(result.unmatched) transactions with no date or an unknown customer id were left out")
            }
        }
        guard let asOf = reference else {
            throw DefinitionError(file: definition.file,
                                  "needs a reference date: pass --as-of YYYY-MM-DD, set 'as_of:' or use the rfm feature")
        }
        for (column, output) in definition.daysSince {
            guard let c = table[column] else {
                throw definition.missingColumn("features.days_since.\(column)", column, in: table.columnNames,
                                               owner: "the customer table")
            }
            try addFeature(DaysSinceFeature.compute(c, output: output, asOf: asOf, origin: popOrigin), to: &table)
        }
        var limitedFrom: Int?
        if let limit, limit < table.rowCount {
            // The first `limit` customers in file order, after joins and features (so the reference date and the
            // features are those of a full run); the plugins, their `prepare` and the profiles see only them.
            let rows = (0..<Int32(limit)).map { $0 }
            let lines = table.rowLines
            table = try Table(columns: table.columns.map { $0.gather(rows, name: $0.name) })
            table.rowLines = lines
            limitedFrom = population.rowCount
        }
        progress?.end()
        return Output(table: table, inputs: inputs, sourcePlugins: sources, asOf: asOf, notes: notes, files: files,
                      pluginSources: sourceFiles, cleaning: cleaning, populationOrigin: popOrigin,
                      limitedFrom: limitedFrom, temporaries: temporaries)
    }

    /// Runs each dataset's `clean:` steps, in definition order, before anything is joined or derived. Records each
    /// cleaner plugin that ran (name, version, file, hash, parameters) with the source plugins.
    /// `pushed`: what the steps of datasets cleaned in the database did (`CleanPushDown`), reported in their place.
    private func clean(_ tables: inout [String: (table: Table, origin: String)], cleaners: [String: [Int: (Plugin, PluginEntry)]],
                       plugins: inout [PluginInfo], files: inout [String: Data],
                       pushed: [String: (report: DatasetCleaning, rejects: [CleaningReject])]) throws -> CleaningReport? {
        var datasets: [DatasetCleaning] = []
        var rejects: [CleaningReject] = []
        for spec in definition.datasets where !spec.clean.isEmpty {
            if let done = pushed[spec.name] {
                datasets.append(done.report)
                rejects += done.rejects
                continue
            }
            // Taken out of `tables`, so the cleaner holds the only reference and drops rows in place.
            guard let (table, origin) = tables.removeValue(forKey: spec.name) else { continue }
            let loaded = cleaners[spec.name] ?? [:]
            let out = try Cleaner.run(consume table, steps: spec.clean, dataset: spec.name, origin: origin,
                                      definitionFile: definition.file, pii: Set(spec.pii),
                                      cleaners: loaded.mapValues { $0.0 }, progress: progress)
            for index in loaded.keys.sorted() {
                let (plugin, url) = loaded[index]!
                plugins.append(try PluginLoader.record(plugin, entry: url, params: out.pluginParams[index] ?? [:], catalog: catalog, sources: &files))
            }
            tables[spec.name] = (out.table, origin)
            datasets.append(out.report)
            rejects += out.rejects
        }
        return datasets.isEmpty ? nil : CleaningReport(datasets: datasets, rejects: rejects)
    }

    /// The cleaner plugin of every `plugin` clean step, loaded and configured: dataset → step index → plugin and file.
    /// A parameter the plugin does not declare, or of the wrong type, is a definition error at the step's line.
    private func loadCleaners() throws -> [String: [Int: (Plugin, PluginEntry)]] {
        var out: [String: [Int: (Plugin, PluginEntry)]] = [:]
        for spec in definition.datasets {
            for (index, step) in spec.clean.enumerated() {
                guard case .plugin(let use) = step.action else { continue }
                let file = try catalog.resolve(use.name, pin: use.pin, usedIn: definition.file, line: step.line)
                let plugin = try PluginLoader.load(file, catalog: catalog, expecting: .cleaner, use: use.name, pin: use.pin,
                                                   params: use.params, definition: definition, line: step.line,
                                                   environment: environment)
                out[spec.name, default: [:]][index] = (plugin, file)
            }
        }
        return out
    }

    /// The population made from the distinct ids of dataset `from` (see `PopulationBuilder`); a date column the
    /// dataset lacks is reported at the definition's line.
    private func derivedPopulation(_ derived: DerivedPopulation, from table: Table, origin: String,
                                   notes: inout [String]) throws -> Table {
        if let date = derived.date, table[date] == nil {
            throw definition.missingColumn("population.date", date, in: table.columnNames,
                                           owner: "dataset '\(derived.from)'")
        }
        if let date = derived.date {
            try definition.requireDates("population.date", column: date, in: table, origin: origin,
                                        format: definition.datasets.first { $0.name == derived.from }?.format,
                                        pii: isPII(date, derived.from))
        }
        let built = try PopulationBuilder.build(from: table, id: definition.id, date: derived.date, origin: origin)
        if built.missingIDs > 0 {
            notes.append("\(built.missingIDs) \(derived.from) \(built.missingIDs == 1 ? "row has" : "rows have") no "
                         + "\(definition.id) and \(built.missingIDs == 1 ? "is" : "are") not in the population")
        }
        return built.table
    }

    /// Whether `column` of dataset `dataset` is tagged `pii: true`.
    private func isPII(_ column: String, _ dataset: String) -> Bool {
        definition.datasets.first { $0.name == dataset }?.pii.contains(column) ?? false
    }

    /// The name errors give a dataset read from a snapshot: the definition's file, or for an imported dataset the
    /// file given to `seg import` (`importedNames`), else `dataset '<name>'`.
    private func originalName(_ spec: DatasetSpec) -> String {
        if let file = spec.file { return file }
        let imported = spec.imported ?? spec.name
        if let original = importedNames[spec.name] { return "\(original) (imported as dataset '\(imported)')" }
        return "imported dataset '\(imported)'"
    }

    /// Columns that hold keys (customer ids, order ids, join keys) are read as text unless the schema says
    /// otherwise: ids are labels, and `00123` must neither become `123` nor match `123`.
    func keyColumns(_ spec: DatasetSpec) -> Set<String> {
        var keys = Set<String>()
        if spec.name == definition.population { keys.insert(definition.id) }
        if let join = spec.join { keys.insert(join) }
        if let rfm = definition.rfm, rfm.transactions == spec.name {
            keys.insert(rfm.customer)
            if let order = rfm.order { keys.insert(order) }
        }
        return keys
    }

    private func addFeature(_ c: Column, to table: inout Table) throws {
        if table[c.name] != nil {
            throw DefinitionError(file: definition.file,
                                  "the feature column '\(c.name)' clashes with a column already in the customer table; rename that column")
        }
        try table.add(c)
    }

    /// Source plugins declare their types; a definition schema for a source dataset must agree with them.
    private func applySchema(_ spec: DatasetSpec, _ table: inout Table, origin: String) throws {
        for (name, type) in spec.schema.sorted(by: { $0.key < $1.key }) {
            guard let c = table[name] else {
                throw definition.missingColumn("datasets.\(spec.name).schema.\(name)", name, in: table.columnNames,
                                               owner: "\(origin), the source of dataset '\(spec.name)',", fallbackLine: spec.line)
            }
            if c.type != type {
                throw DefinitionError(file: definition.file, line: spec.line,
                                      "dataset '\(spec.name)': schema says '\(name)' is \(type.rawValue) but \(origin) declares \(c.type.rawValue); change the plugin's columns instead")
            }
        }
    }
}
