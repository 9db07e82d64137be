import Foundation
import LuaHost
import SegworkData

/// `seg apply`: labels and scores customer rows with a plan (``SegmentPlan``), a chunk of rows at a time, in
/// bounded memory. The plugins are loaded from the plan's sources through the run's catalog and loader, `prepare`
/// is given the frozen statistics (and must give back the recorded parameters), and each chunk goes through the
/// same C row loops (`Plugin.score`, `Plugin.assign`), label renames and `Runner.combine` as `seg run`; the output
/// rows are `membership.csv`'s (`Exporter.membership`), so a customer's line is the one `seg run` writes.
public final class PlanApplier {
    /// The input and output layouts.
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    /// The plan.
    public let plan: SegmentPlan
    let definition: Definition
    private let plugins: PlanPlugins
    var scorers: [(planned: SegmentPlan.PlannedPlugin, plugin: Plugin)] = []
    var criteria: [(planned: SegmentPlan.PlannedPlugin, use: PluginUse, plugin: Plugin)] = []
    let layout: MembershipLayout
    /// Customer rows applied so far.
    public private(set) var rows = 0
    /// Every segment label given so far: `limits.segments` counts them over the whole input, not per chunk.
    var labelsSeen = Set<String>()

    /// Loads the plan's plugins (their sources as the plan holds them), configures them with the definition's
    /// overrides and gives `prepare` the frozen statistics. `file` names the plan in errors.
    public init(plan: SegmentPlan, file: String) throws {
        self.plan = plan
        definition = try Definition.parse(text: plan.definitionText, file: plan.definitionFile, defaultName: plan.definition)
        guard definition.scorers.count == plan.scorers.count, definition.criteria.count == plan.criteria.count else {
            throw PlanError.badPlan(file: file, detail: "its definition text names \(definition.scorers.count) scorers and \(definition.criteria.count) criteria, but the plan holds \(plan.scorers.count) and \(plan.criteria.count); make it again with `seg plan`")
        }
        guard let asOf = CivilDate(iso: Substring(plan.asOf)) else {
            throw PlanError.badPlan(file: file, detail: "\"as_of\" is '\(plan.asOf)', not a date (YYYY-MM-DD)")
        }
        layout = MembershipLayout(definition: definition)
        plugins = try PlanPlugins(plan)
        var env = PluginEnvironment(limits: plan.limits.luaLimits)
        env.randomSeed = Runner.seed(definition.name)
        env.frozenTime = Int64(asOf.days) * 86_400
        do {
            for (use, planned) in zip(definition.scorers, plan.scorers) {
                scorers.append((planned, try load(use, planned, .scorer, env, file)))
            }
            for (use, planned) in zip(definition.criteria, plan.criteria) {
                criteria.append((planned, use, try load(use, planned, .criterion, env, file)))
            }
        } catch {
            plugins.remove()
            throw error
        }
    }

    deinit { plugins.remove() }

    private func load(_ use: PluginUse, _ planned: SegmentPlan.PlannedPlugin, _ kind: PluginKind, _ env: PluginEnvironment,
                      _ file: String) throws -> Plugin {
        let entry = try plugins.catalog.resolve(use.plugin, pin: use.pin, usedIn: definition.file, line: use.line)
        let plugin = try PluginLoader.load(entry, catalog: plugins.catalog, expecting: kind, use: use.plugin, pin: use.pin,
                                           params: use.params, definition: definition, line: use.line,
                                           fieldLines: use.fieldLines, environment: env)
        guard Set(plugin.manifest.uses) == Set(planned.stats.keys) else {
            throw PlanError.badPlan(file: file, detail: "plugin '\(planned.name)' uses \(plugin.manifest.uses.sorted().joined(separator: ", ")), but the plan has statistics for \(planned.stats.keys.sorted().joined(separator: ", "))")
        }
        try plugin.prepare(stats: planned.stats.mapValues(\.columnStatistics))
        let params = try plugin.effectiveParams()
        guard Self.same(.object(params), .object(planned.params)) else {
            throw PlanError.paramsDiffer(file: file, plugin: planned.name, detail: "came out of prepare with other parameters than the plan records; the plan was edited, or the plugin's prepare is not deterministic")
        }
        return plugin
    }

    /// Plugin values compared as JSON keeps them: a whole double is the same as the integer.
    static func same(_ a: PluginValue, _ b: PluginValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.keys.sorted() == y.keys.sorted() && x.allSatisfy { k, v in same(v, y[k]!) }
        default: return a == b
        }
    }

    /// Reads customer rows from `fd` (CSV with a header line, or JSON Lines) until its end, at most `chunkRows`
    /// at a time, and hands `write` the output: the header first (CSV), then each chunk's rows as soon as they are
    /// computed.
    public func apply(fd: Int32, format: Format, chunkRows: Int = 65_536, write: (Data) throws -> Void) throws {
        let headerBytes = header()
        // The header goes out with the first rows (or at the end of a valid input with none), never before an error.
        var headerWritten = format != .csv
        func writeHeader() throws { if !headerWritten { try write(headerBytes); headerWritten = true } }
        var input = RecordChunks(fd: fd, format: format == .csv ? .csv : .jsonl, chunkRows: max(1, chunkRows))
        while let chunk = try input.next() {
            // Blank lines only (the end of a stream, a pause in a pipe): nothing to read or write.
            if chunk.bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }) { continue }
            let table = try read(chunk, header: input.header, format: format)
            let out = try label(table, format: format, lineOf: { row in
                let l = table.rowLines?.line(of: row) ?? (row + 1)
                return format == .csv ? chunk.firstLine + l - 2 : chunk.firstLine + l - 1
            })
            try writeHeader()
            try write(format == .csv ? out.dropFirst(headerBytes.count) : out)
            rows += table.rowCount
        }
        if format == .csv && input.header == nil {
            throw PlanError.badInput(line: 1, column: nil, detail: "is empty; CSV input starts with a header line naming the columns \(plan.inputs.map(\.name).joined(separator: ", "))")
        }
        // A header and no rows (an empty partition): the output's header and no rows.
        if input.header != nil { try writeHeader() }
    }

    private struct Absent: Error { var names: [String] }

    /// One chunk as a table of the plan's input columns, typed as the plan says. A JSON Lines key no record of the
    /// chunk has is a column of missing values (engines leave nulls out of JSON).
    private func read(_ chunk: RecordChunks.Chunk, header: [UInt8]?, format: Format) throws -> Table {
        var schema = Dictionary(uniqueKeysWithValues: plan.inputs.map { ($0.name, $0.type) })
        func mapLine(_ l: Int?) -> Int {
            guard let l else { return chunk.firstLine }
            return format == .csv ? (l <= 1 ? 1 : chunk.firstLine + l - 2) : chunk.firstLine + l - 1
        }
        while true {
            var options = ReadOptions(schema: schema, textColumns: [plan.id])
            options.unknownSchemaColumns = { unknown, _ in Absent(names: unknown) }
            do {
                var table = format == .csv
                    ? try DataReader.parseCSV((header ?? []) + chunk.bytes, origin: "standard input", options: options)
                    : try DataReader.parseJSONLines(chunk.bytes, origin: "standard input", options: options)
                for input in plan.inputs where table[input.name] == nil {
                    if input.name == plan.id { throw PlanError.badInput(line: chunk.firstLine, column: plan.id, detail: "is missing from every record of this chunk; each row needs its customer id") }
                    try table.add(Self.missing(input, rows: table.rowCount))
                }
                // Every row needs its id, however the input was cut into chunks (as every customer of a run has one).
                if let ids = table[plan.id], let row = (0..<table.rowCount).first(where: { !ids.isValid($0) }) {
                    throw PlanError.badInput(line: mapLine(table.rowLines?.line(of: row) ?? (format == .csv ? row + 2 : row + 1)),
                                             column: plan.id, detail: "has no customer id; each row needs one")
                }
                return table
            } catch let a as Absent {
                guard format == .jsonl else {
                    throw PlanError.badInput(line: 1, column: a.names.first, detail: "is missing from the header; the plan reads \(plan.inputs.map(\.name).joined(separator: ", "))")
                }
                for name in a.names { schema[name] = nil }
            } catch let e as DataError {
                throw PlanError.badInput(line: mapLine(e.line), column: e.column, detail: e.message)
            }
        }
    }

    static func missing(_ input: SegmentPlan.InputColumn, rows n: Int) -> Column {
        let storage: Column.Storage
        switch input.type {
        case .integer: storage = .integer(Array(repeating: 0, count: n))
        case .double: storage = .double(Array(repeating: 0, count: n))
        case .bool: storage = .bool(Array(repeating: false, count: n))
        case .date: storage = .date(Array(repeating: 0, count: n))
        case .string: storage = .string(codes: Array(repeating: 0, count: n), dictionary: [""])
        }
        return Column(name: input.name, storage: storage, validity: Bitmap(count: n, allSet: false))
    }
}
