import Foundation
import LuaHost
import Yams
import SegworkData

/// A segmentation definition: one YAML file in a workspace's `segmentations/` folder saying which datasets to
/// read, which features to derive, which plugins assign segments and scores, what to profile and what to export.
/// See `docs/DEFINITIONS.md` for every field.
public struct Definition: Sendable, Equatable {
    /// Name (the file's base name unless `name:` says otherwise); exports go to `exports/<name>/`.
    public var name: String
    /// One line for people.
    public var description: String
    /// The dataset with one row per customer.
    public var population: String
    /// The customer id column of the population.
    public var id: String
    /// All datasets, in file order.
    public var datasets: [DatasetSpec]
    /// RFM features from a transactions dataset, if any.
    public var rfm: RFMSpec?
    /// `days_since`: date column → new column with days from that date to the reference date.
    public var daysSince: [(column: String, output: String)]
    /// k-means clustering of the customers (`features.clusters`), if any.
    public var clusters: ClusterSpec?
    /// Criteria in order.
    public var criteria: [PluginUse]
    /// How several criteria make one label.
    public var combine: Combine
    /// Scorers in order; they run before criteria, so criteria may read their outputs.
    public var scorers: [PluginUse]
    /// What to profile.
    public var profile: ProfileSpec
    /// Profile formats to write (membership.csv is always written).
    public var formats: [ExportFormat]
    /// Checks every run of this definition must pass (`gates:`), nil when there are none.
    public var gates: GateSet?
    /// Fixed reference date, when the definition pins one (`as_of:`); `--as-of` overrides it.
    public var asOf: CivilDate?
    /// How segments are judged (`scorecard:`); the defaults when the definition does not say.
    public var scorecard = ScorecardSpec()
    /// Columns written to membership.csv after the segment and the scores (`membership.columns`).
    public var membershipColumns: [String] = []
    /// The exact text of the file (recorded with each run).
    public var text: String
    /// The file it came from.
    public var file: String
    /// The 1-based line of each field that names a column or a dataset, by path (`datasets.tx.join`,
    /// `features.rfm.amount`, `features.days_since.signup_date`, `profile.numeric[0]`, `profile.monetary`), so a
    /// name the data turns out not to have is reported where it was written. See `line(of:)`.
    public var lines: [String: Int] = [:]
    /// The population derived from a dataset's distinct ids (`population: { from: …, id: … }`), nil for a
    /// customers dataset; `population` then names the `from` dataset.
    public var derivedPopulation: DerivedPopulation?
    /// `population.id` as written, when given there.
    var populationID: String?

    public static func == (a: Definition, b: Definition) -> Bool { a.text == b.text && a.file == b.file }
}

/// How several criteria's labels become one segment.
public enum Combine: String, Sendable, CaseIterable {
    /// Every criterion must give a label; the segment is their labels joined by " × " (e.g. `Champions × Active`).
    /// A customer any criterion leaves unassigned is unassigned.
    case cross
    /// The first criterion, in order, that gives a label decides; later ones are not consulted for that customer.
    case firstMatch = "first_match"
}

/// A profile format.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// profiles.json
    case json
    /// profiles.csv
    case csv
    /// profiles.md
    case md
    /// report.html (with its chart data, report-data.json); diff.html for a diff
    case html

    /// The file name of `stem` in this format: `profiles.json`, `diff.md`.
    public func fileName(_ stem: String) -> String { "\(stem).\(rawValue)" }
}

/// One dataset of a definition: a file the host reads, or a Lua source plugin.
public struct DatasetSpec: Sendable, Equatable {
    /// Its name in the definition.
    public var name: String
    /// A file relative to the workspace (CSV, TSV or JSON Lines), or nil for a source plugin.
    public var file: String?
    /// A source plugin's name, or nil for a file.
    public var source: String?
    /// The name of a dataset imported with `seg import` (its latest snapshot is read), or nil.
    public var imported: String?
    /// A PostgreSQL table or query, or nil.
    public var postgres: PostgresSpec?
    /// Params for the source plugin.
    public var params: [String: PluginValue]
    /// `library:` and `version:` of the source plugin.
    public var sourcePin = PluginPin()
    /// Column type overrides.
    public var schema: [String: ColumnType]
    /// How its delimited text is laid out: `delimiter:`, `header:`, `columns:`, `decimal:` (default: by extension).
    public var format = TextFormat()
    /// Columns tagged `pii: true` in the schema, sorted: usable by plugins, never profiled or exported.
    public var pii: [String] = []
    /// Date columns written in other formats (`format:` in the schema), tried in order; their `schema` type is `date`.
    public var dateFormats: [String: [DateFormat]] = [:]
    /// `invalid_utf8: replace`: ill-formed UTF-8 in the file becomes U+FFFD (counted in a note) instead of an error.
    public var replaceInvalidUTF8 = false
    /// When set, the dataset is joined onto the population: this column matches the population id (one row per
    /// customer at most).
    public var join: String?
    /// Line in the definition, for messages.
    public var line: Int?
    /// Cleaning steps applied in order right after the dataset is read (`clean:`; see docs/CLEANING.md).
    public var clean: [CleanStep] = []
}

/// The RFM feature: recency, frequency and monetary value per customer from a transactions dataset.
public struct RFMSpec: Sendable, Equatable {
    /// The transactions dataset.
    public var transactions: String
    /// Its customer id column.
    public var customer: String
    /// Its order id column (frequency counts distinct orders); nil counts rows.
    public var order: String?
    /// Its date column.
    public var date: String
    /// Its amount column.
    public var amount: String
    /// Reference date, frequency, monetary and scoring options, and the preset (Definition/RFMOptions.swift).
    package var options = RFMOptions()
}

/// A criterion or scorer used by a definition.
public struct PluginUse: Sendable, Equatable {
    /// Plugin name.
    public var plugin: String
    /// Parameter overrides.
    public var params: [String: PluginValue]
    /// Field the plugin reads → table column that feeds it (for fields not named like the column).
    public var columns: [String: String]
    /// Line in the definition.
    public var line: Int?
    /// Lines of its parts: `params` (the mapping), `params.<name>` (each override), `columns.<field>`.
    public var fieldLines: [String: Int] = [:]
    /// `library:` and `version:` of the use.
    public var pin = PluginPin()
    /// `labels:` (criteria only): the plugin's labels renamed.
    public var labels = LabelRenames()
    /// `descriptions:` (criteria only): descriptions of the labels as shown, given or replacing the plugin's.
    public var descriptions = DescriptionOverrides()
}

/// What to profile.
public struct ProfileSpec: Sendable, Equatable {
    /// Numeric columns.
    public var numeric: [String]
    /// Categorical columns.
    public var categorical: [String]
    /// Revenue column, when set; the runner uses `monetary` when it is not and the RFM feature is on.
    public var monetary: String?
}

extension Definition {
    /// Reads and checks a definition file. Everything that can be checked without data is checked here.
    public static func load(path: String, displayPath: String? = nil) throws -> Definition {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionError(file: shown, "cannot be read; check that it exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DefinitionError(file: shown, "is not UTF-8 text")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text: text, file: shown, defaultName: base)
    }

    /// Parses definition text.
    public static func parse(text: String, file: String, defaultName: String) throws -> Definition {
        let y = YAMLFields(file: file)
        let root = try y.root(text)
        var def = Definition(name: defaultName, description: "", population: "", id: "", datasets: [], rfm: nil,
                             daysSince: [], criteria: [], combine: .cross, scorers: [],
                             profile: ProfileSpec(numeric: [], categorical: [], monetary: nil),
                             formats: ExportFormat.allCases, gates: nil, asOf: nil, text: text, file: file)
        var seen = Set<String>()
        for (key, node) in try y.mapping(root, "definition", known: knownKeys) {
            seen.insert(key)
            def.lines[key] = node.mark?.line
            switch key {
            case "name": def.name = try y.string(node, key)
            case "description": def.description = try y.string(node, key)
            case "population": try parsePopulation(node, y, into: &def)
            case "id": def.id = try y.string(node, key)
            case "datasets": def.datasets = try parseDatasets(node, y, lines: &def.lines)
            case "features": try parseFeatures(node, y, into: &def)
            case "criteria": def.criteria = try parseUses(node, "criteria", y)
            case "scorers": def.scorers = try parseUses(node, "scorers", y)
            case "combine":
                let s = try y.string(node, key)
                guard let c = Combine(rawValue: s) else {
                    throw y.error(node, "'combine' must be cross or first_match (got '\(s)')")
                }
                def.combine = c
            case "profile": def.profile = try parseProfile(node, y, lines: &def.lines)
            case "exports":
                def.formats = try y.strings(node, key).map { s in
                    guard let f = ExportFormat(rawValue: s) else {
                        throw y.error(node, "'exports' lists '\(s)'; formats are json, csv, md, html")
                    }
                    return f
                }
            case "gates": def.gates = try GateSet.parse(node, y)
            case "scorecard": def.scorecard = try parseScorecard(node, y, lines: &def.lines)
            case "membership": def.membershipColumns = try parseMembership(node, y, lines: &def.lines)
            case "as_of":
                let s = try y.string(node, key)
                guard let d = CivilDate(iso: Substring(s)) else {
                    throw y.error(node, "'as_of' must be a date written YYYY-MM-DD (got '\(s)')")
                }
                def.asOf = d
            default: break
            }
        }
        try settleID(&def, seen: seen)
        for required in ["population", "id", "datasets", "criteria"] where !seen.contains(required) {
            if required == "id", !def.id.isEmpty { continue }
            throw DefinitionError(file: file, "the required field '\(required)' is missing")
        }
        guard def.name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
            throw DefinitionError(file: file, line: def.line(of: "name"), "name '\(def.name)' must start with a letter or digit and use only letters, digits, '_', '-' and '.'")
        }
        let names = def.datasets.map(\.name)
        guard names.contains(def.population) else {
            throw DefinitionError(file: file, line: def.line(of: "population"), "population '\(def.population)' is not one of the datasets; \(didYouMean(def.population, names))datasets: \(names.joined(separator: ", "))")
        }
        if let rfm = def.rfm, !names.contains(rfm.transactions) {
            throw DefinitionError(file: file, line: def.line(of: "features.rfm.transactions"), "features.rfm.transactions '\(rfm.transactions)' is not one of the datasets; \(didYouMean(rfm.transactions, names))datasets: \(names.joined(separator: ", "))")
        }
        if def.criteria.isEmpty { throw DefinitionError(file: file, "'criteria' must list at least one criterion") }
        try checkPrivacy(def)
        return def
    }

    /// Every column tagged `pii: true` in any dataset's schema, sorted, each once.
    public var piiColumns: [String] { Array(Set(datasets.flatMap(\.pii))).sorted() }

    /// A personal column may feed plugins but never a profile: profiles are exported and stored.
    private static func checkPrivacy(_ def: Definition) throws {
        let pii = Set(def.piiColumns)
        guard !pii.isEmpty else { return }
        let roles = [("profile.numeric", def.profile.numeric), ("profile.categorical", def.profile.categorical),
                     ("profile.monetary", def.profile.monetary.map { [$0] } ?? []), ("membership.columns", def.membershipColumns)]
        for (role, names) in roles {
            for (i, name) in names.enumerated() where pii.contains(name) {
                let owner = def.datasets.first { $0.pii.contains(name) }!.name
                throw DefinitionError(file: def.file, line: def.lines["\(role)[\(i)]"] ?? def.lines[role], "\(role) names column '\(name)', which dataset '\(owner)' tags pii: true; personal columns may be used by criteria and scorers but are never profiled or exported. Remove it from \(role)")
            }
        }
    }

    private static func parseDatasets(_ node: Node, _ y: YAMLFields, lines: inout [String: Int]) throws -> [DatasetSpec] {
        try y.mapping(node, "datasets").map { name, spec in
            let path = "datasets.\(name)"
            var d = DatasetSpec(name: name, file: nil, source: nil, imported: nil, params: [:], schema: [:], join: nil,
                                line: spec.mark?.line)
            for (k, v) in try y.mapping(spec, path, known: datasetKeys) {
                if try d.sourcePin.parse(k, v, path, y) { continue }
                switch k {
                case "file": d.file = try y.string(v, "\(path).file")
                case "source": d.source = try y.string(v, "\(path).source")
                case "dataset": d.imported = try y.string(v, "\(path).dataset")
                case "postgres": d.postgres = try PostgresSpec.parse(v, "\(path).postgres", y)
                case "params": d.params = try params(v, "\(path).params", y)
                case "join":
                    d.join = try y.string(v, "\(path).join")
                    lines["\(path).join"] = v.mark?.line
                case "clean": d.clean = try CleanStep.parseList(v, "\(path).clean", y)
                case "invalid_utf8": d.replaceInvalidUTF8 = try parseInvalidUTF8(v, "\(path).invalid_utf8", y)
                case _ where formatKeys.contains(k): try parseFormatKey(k, v, path, y, into: &d.format)
                case "schema":
                    // Each entry's line is its key's: in the long form the value starts on the next line.
                    var keyLines: [String: Int] = [:]
                    for (k, _) in v.mapping ?? [:] {
                        if let name = k.scalar?.string, let line = k.mark?.line, keyLines[name] == nil { keyLines[name] = line }
                    }
                    for (col, t) in try y.mapping(v, "\(path).schema") {
                        lines["\(path).schema.\(col)"] = keyLines[col] ?? t.mark?.line
                        let entry = try parseSchemaEntry(t, "\(path).schema.\(col)", y)
                        if let type = entry.type { d.schema[col] = type }
                        if entry.pii { d.pii.append(col) }
                        if !entry.formats.isEmpty { d.dateFormats[col] = entry.formats }
                    }
                    d.pii.sort()
                default: break
                }
            }
            if [d.file, d.source, d.imported, d.postgres?.urlEnv].compactMap({ $0 }).count != 1 {
                throw y.error(spec, "dataset '\(name)' needs exactly one of 'file' (a CSV/JSONL file), 'dataset' (a dataset imported with seg import), 'source' (a source plugin) or 'postgres' (a PostgreSQL table or query)")
            }
            try checkFormat(d, spec, path, y)
            if d.source == nil, d.sourcePin != PluginPin() {
                throw DefinitionError(file: y.file, line: d.sourcePin.libraryLine ?? d.sourcePin.versionLine,
                                      "'\(path)' has 'library' or 'version', which pick a source plugin; this dataset has no 'source'")
            }
            return d
        }
    }

    private static func parseFeatures(_ node: Node, _ y: YAMLFields, into def: inout Definition) throws {
        for (k, v) in try y.mapping(node, "features", known: featuresKeys) {
            if k == "rfm" {
                var f: [String: String] = [:]
                var options: [(key: String, value: Node)] = []
                for (fk, fv) in try y.mapping(v, "features.rfm", known: rfmKeys) {
                    def.lines["features.rfm.\(fk)"] = fv.mark?.line
                    if RFMOptions.keys.contains(fk) { options.append((fk, fv)); continue }
                    f[fk] = try y.string(fv, "features.rfm.\(fk)")
                }
                for req in ["transactions", "customer", "date", "amount"] where f[req] == nil {
                    throw y.error(v, "'features.rfm' needs '\(req)'")
                }
                def.rfm = RFMSpec(transactions: f["transactions"]!, customer: f["customer"]!, order: f["order"],
                                  date: f["date"]!, amount: f["amount"]!,
                                  options: try RFMOptions.parse(options, y, hasOrder: f["order"] != nil))
            } else if k == "clusters" {
                def.clusters = try parseClusters(v, y, lines: &def.lines)
            } else {
                def.daysSince = try y.mapping(v, "features.days_since").map { col, out in
                    def.lines["features.days_since.\(col)"] = out.mark?.line
                    return (col, try y.string(out, "features.days_since.\(col)"))
                }
            }
        }
    }

    private static func parseUses(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [PluginUse] {
        try y.sequence(node, path).enumerated().map { i, item in
            let p = "\(path)[\(i)]"
            if item.scalar != nil {
                return PluginUse(plugin: try y.string(item, p), params: [:], columns: [:], line: item.mark?.line)
            }
            var use = PluginUse(plugin: "", params: [:], columns: [:], line: item.mark?.line)
            for (k, v) in try y.mapping(item, p, known: pluginUseKeys) {
                if try use.pin.parse(k, v, p, y) { continue }
                switch k {
                case "plugin": use.plugin = try y.string(v, "\(p).plugin")
                case "params":
                    use.params = try params(v, "\(p).params", y)
                    use.fieldLines["params"] = v.mark?.line
                    for (name, value) in v.mapping.map(Array.init) ?? [] {
                        if let name = name.scalar?.string { use.fieldLines["params.\(name)"] = value.mark?.line }
                    }
                case "columns":
                    for (field, col) in try y.mapping(v, "\(p).columns") {
                        use.columns[field] = try y.string(col, "\(p).columns.\(field)")
                        use.fieldLines["columns.\(field)"] = col.mark?.line
                    }
                case "labels":
                    guard path == "criteria" else {
                        throw y.error(v, "'\(p).labels' renames a criterion's labels; a scorer gives numbers, not labels")
                    }
                    use.labels = try LabelRenames.parse(v, "\(p).labels", y)
                case "descriptions":
                    guard path == "criteria" else {
                        throw y.error(v, "'\(p).descriptions' describes a criterion's segments; a scorer gives numbers, not labels")
                    }
                    use.descriptions = try DescriptionOverrides.parse(v, "\(p).descriptions", y)
                default: break
                }
            }
            if use.plugin.isEmpty { throw y.error(item, "'\(p)' needs 'plugin: <name>'") }
            return use
        }
    }

    private static func params(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [String: PluginValue] {
        guard case .object(let o) = try y.value(node, path) else { throw y.error(node, "'\(path)' must be a mapping") }
        return o
    }

    private static func parseProfile(_ node: Node, _ y: YAMLFields, lines: inout [String: Int]) throws -> ProfileSpec {
        var p = ProfileSpec(numeric: [], categorical: [], monetary: nil)
        lines["profile"] = node.mark?.line
        for (k, v) in try y.mapping(node, "profile", known: profileKeys) {
            let path = "profile.\(k)"
            switch k {
            case "numeric": p.numeric = try y.strings(v, path)
            case "categorical": p.categorical = try y.strings(v, path)
            default: p.monetary = try y.string(v, path)
            }
            lines[path] = v.mark?.line
            for (i, item) in (v.sequence.map(Array.init) ?? []).enumerated() { lines["\(path)[\(i)]"] = item.mark?.line }
        }
        return p
    }
}
