import Foundation
import LuaHost
import SegworkData

/// `plugin` steps: a Lua cleaner's `clean(row, p)` over the columns it uses. The rows go through the host's C loop
/// (typed columns in, typed columns out); this file checks the columns, turns the output back into columns, and
/// puts each error at the data line of the row it happened on.
extension Cleaner {
    /// The dataset columns step `index` reads: the fields of a plugin's `uses`, through the step's `columns:`
    /// mapping; the step's own `columns` for built-in steps.
    func columns(of step: CleanStep, index: Int) throws -> [String] {
        guard case .plugin(let spec) = step.action else { return step.columns }
        guard let plugin = cleaners[index] else {
            throw DefinitionError(file: definitionFile, line: step.line,
                                  "dataset '\(dataset)': clean step \(index + 1) uses plugin '\(spec.name)', which was not loaded")
        }
        let uses = plugin.manifest.uses
        for field in spec.columns.keys.sorted() where !uses.contains(field) {
            throw DefinitionError(file: definitionFile, line: step.line,
                                  "dataset '\(dataset)': clean step \(index + 1) maps '\(field)' in 'columns', but plugin '\(spec.name)' does not use it (it uses: \(uses.joined(separator: ", ")))")
        }
        let columns = uses.map { spec.columns[$0] ?? $0 }
        if let twice = columns.first(where: { c in columns.filter { $0 == c }.count > 1 }) {
            throw DefinitionError(file: definitionFile, line: step.line,
                                  "dataset '\(dataset)': clean step \(index + 1) feeds column '\(twice)' to two fields of plugin '\(spec.name)'; a cleaner writes each column back, so map each field to its own column")
        }
        return columns
    }

    /// Runs one plugin step; returns the plugin's parameters as they stood before the first row (after `prepare`).
    mutating func runPlugin(_ spec: CleanPluginSpec, index: Int, _ step: CleanStep,
                            _ r: inout CleanStepReport) throws -> [String: PluginValue] {
        let plugin = cleaners[index]!
        let fields = plugin.manifest.uses
        let sources = try columns(of: step, index: index).map { table[$0]! }
        let params = try PluginLoader.prepare(plugin, columns: zip(fields, sources).map { (field: $0, column: $1) },
                                              personal: pii) {
            DefinitionError.prepareRejected($0, overrides: spec.params, lines: [:], line: step.line, file: definitionFile)
        }
        let dates = Set(zip(fields, sources).filter { $0.1.type == .date }.map(\.0))
        let withheld = Set(zip(fields, sources).filter { pii.contains($0.1.name) }.map(\.0))
        let out: CleanedRows
        let (kept, rows, lines, origin, dataset) = (kept, table.rowCount, rowLines, origin, dataset)
        plugin.rowDescription = { row in
            guard row < rows else { return "" }
            let record = kept.map { Int($0[row]) } ?? row
            let line = lines?.line(of: record) ?? record + 2
            return " at \(origin), line \(line) (record \(record + 1) of dataset '\(dataset)', clean step \(index + 1))"
        }
        do {
            out = try plugin.clean(columns: zip(fields, sources).map { $1.pluginInput(as: $0) }, rowCount: table.rowCount,
                                   dates: dates, withheld: withheld)
        } catch let e as PluginError {
            throw located(e, step: index + 1)
        }
        var changed: [String: Int] = [:]
        for (cleaned, source) in zip(out.columns, sources) {
            try table.set(try column(cleaned, like: source, keep: out.keep, plugin: plugin, step: index + 1))
            changed[source.name] = cleaned.changed
        }
        r.valuesChanged = out.columns.reduce(0) { $0 + $1.changed }
        r.valuesChangedByColumn = changed
        let counts = sources.map { "\($0.name) \(changed[$0.name]!)" }.joined(separator: ", ")
        r.description = "plugin \(plugin.manifest.name) \(plugin.manifest.version): \(plugin.manifest.description)"
            + (sources.isEmpty ? "" : "; values changed: \(counts)")
        try keep(out.keep.indices.filter { out.keep[$0] }.map { Int32($0) })
        return params
    }

    /// A plugin error at a row becomes a data error at that row's line, keeping the plugin's file and line.
    func located(_ e: PluginError, step: Int) -> Error {
        guard let row = e.row, row >= 0, row < table.rowCount else { return e }
        var bare = e
        bare.row = nil
        return DataError(file: origin, line: line(ofRecord: record(row)), column: nil,
                         message: "record \(record(row) + 1) of dataset '\(dataset)' (clean step \(step)): \(bare.description)")
    }

    /// The cleaned values as a column of the source column's name and type. Text the plugin returned for a date
    /// column must be a date `YYYY-MM-DD`.
    private func column(_ c: CleanedColumn, like source: Column, keep: [Bool], plugin: Plugin, step: Int) throws -> Column {
        let valid = Bitmap(c.valid)
        switch c.values {
        case .integer(let v): return Column(name: source.name, storage: .integer(v), validity: valid)
        case .double(let v): return Column(name: source.name, storage: .double(v), validity: valid)
        case .bool(let v): return Column(name: source.name, storage: .bool(v), validity: valid)
        case .string(let codes, let dictionary):
            guard source.type == .date else {
                return Column(name: source.name, storage: .string(codes: codes, dictionary: dictionary), validity: valid)
            }
            let parsed = dictionary.map { CivilDate(iso: Substring($0)) }
            var days = [Int32](repeating: 0, count: codes.count)
            for i in codes.indices where c.valid[i] {
                guard let d = parsed[Int(codes[i])] else {
                    let shown = pii.contains(source.name) ? "a string (withheld: pii)" : "\"\(dictionary[Int(codes[i])])\""
                    throw located(PluginError(plugin: plugin.manifest.name, file: plugin.shownFile, reason: .badReturn(
                        field: "clean", expected: "nil or the row with each value of its column's type; '\(c.name)' is a date column, so a \"YYYY-MM-DD\" string or nil",
                        got: "table whose '\(c.name)' is \(shown), which is not a date YYYY-MM-DD"), row: i), step: step)
                }
                days[i] = d.days
            }
            return Column(name: source.name, storage: .date(days), validity: valid)
        }
    }
}
