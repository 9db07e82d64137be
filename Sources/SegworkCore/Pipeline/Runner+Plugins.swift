import Foundation
import LuaHost
import SegworkData

/// The checks and calls around each plugin of a run: columns it reads and writes, its labels, `prepare`, where a
/// failing row came from, and what the profile names. `Runner.run` calls these in order.
extension Runner {
    func checkColumns(_ use: PluginUse, _ plugin: Plugin, _ available: Set<String>, _ def: Definition) throws {
        for field in use.columns.keys.sorted() where !plugin.manifest.uses.contains(field) {
            throw DefinitionError(file: def.file, line: use.fieldLines["columns.\(field)"] ?? use.line,
                                  "'columns' maps '\(field)', but plugin '\(use.plugin)' does not use it; \(Definition.didYouMean(field, plugin.manifest.uses))(it uses: \(plugin.manifest.uses.joined(separator: ", ")))")
        }
        for field in plugin.manifest.uses {
            let column = use.columns[field] ?? field
            guard available.contains(column) else {
                let mapped = use.columns[field] != nil
                let hint = Definition.didYouMean(column, available.sorted())
                let fix = mapped ? "Change the mapping 'columns: {\(field): \(column)}'"
                    : "Add it to a dataset, or map it with 'columns: {\(field): <column>}'"
                throw DefinitionError(file: def.file, line: use.fieldLines["columns.\(field)"] ?? use.line,
                                      "plugin '\(use.plugin)' uses column '\(column)', which the customer table does not have; \(hint)available: \(available.sorted().joined(separator: ", ")). \(fix)")
            }
        }
    }

    /// Loads a scorer or criterion with the definition's parameter overrides.
    func load(_ entry: PluginEntry, _ kind: PluginKind, _ use: PluginUse, _ def: Definition, _ env: PluginEnvironment) throws -> Plugin {
        try PluginLoader.load(entry, catalog: catalog, expecting: kind, use: use.plugin, pin: use.pin, params: use.params,
                              definition: def, line: use.line, fieldLines: use.fieldLines, environment: env)
    }

    /// Labels that reports use for their own groups cannot be segment labels: the empty string, `(all)`,
    /// `(unassigned)` and `(absent)`. Names the plugin and the first customer given such a label.
    static func checkLabels(_ a: LabelAssignment, _ plugin: Plugin, _ ids: Column) throws {
        let reserved = ReservedLabel.all
        guard let bad = a.labels.firstIndex(where: { $0.isEmpty || reserved.contains($0) }),
              let row = a.codes.firstIndex(of: Int32(bad)) else { return }
        let got = a.labels[bad].isEmpty ? "empty label" : "reserved label '\(a.labels[bad])'"
        throw PluginError(plugin: plugin.manifest.name, file: plugin.shownFile,
                          reason: .badReturn(field: "assign", expected: "a non-empty label other than (all), (unassigned) and (absent)", got: got),
                          row: row, customerID: ids.string(at: row))
    }

    /// A scorer's output must be a plain column name that does not clash with the table or the membership file.
    func checkOutput(_ output: String, _ use: PluginUse, _ available: Set<String>, _ def: Definition) throws {
        let reserved = ["segment", def.id]
        guard output.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil, !reserved.contains(output) else {
            throw DefinitionError(file: def.file, line: use.line,
                                  "scorer '\(use.plugin)' writes column '\(output)'; an output must be letters, digits and '_' (not starting with a digit) and not \(reserved.map { "'\($0)'" }.joined(separator: " or ")); change 'output' in the plugin")
        }
        if available.contains(output) {
            throw DefinitionError(file: def.file, line: use.line,
                                  "scorer '\(use.plugin)' writes column '\(output)', which already exists; set a different 'output' in the plugin")
        }
    }

    /// The plugin's inputs (named as the plugin expects) and its parameters as they stand after `prepare` has
    /// seen the inputs' statistics (recorded before any row is processed, so a plugin that changes `p` while it
    /// runs cannot change what the run records).
    func prepare(_ plugin: Plugin, _ use: PluginUse, _ table: Table, personal: Set<String>,
                         file: String, models: [String: PluginValue] = [:]) throws -> ([ColumnInput], [String: PluginValue]) {
        let columns = plugin.manifest.uses.map { (field: $0, column: table[use.columns[$0] ?? $0]!) }
        let params = try PluginLoader.prepare(plugin, columns: columns, personal: personal, models: models) {
            DefinitionError.prepareRejected($0, overrides: use.params, lines: use.fieldLines, line: use.line, file: file)
        }
        return (columns.map { $0.column.pluginInput(as: $0.field) }, params)
    }

    /// Names a customer row for the watchdog's message: ` for customer C7 (data/customers.csv, line 8)`, or with
    /// `row 7` when the population's lines are not known (a source plugin's data, or rows dropped by cleaning).
    /// ` for customer C1 (data/customers.csv, line 2)`; for a personal id (pii, or hashed in the exports) the id is
    /// never shown: ` for the customer at data/customers.csv, line 2`.
    static func describeRow(_ ids: Column, _ lines: RowLines?, _ origin: String, personal: Bool = false) -> @Sendable (Int) -> String {
        let lines = lines.flatMap { $0.count == ids.count ? $0 : nil }
        return { row in
            let place = lines.map { "\(origin), line \($0.line(of: row))" } ?? "row \(row + 1)"
            if personal { return " for the customer at \(place)" }
            let id = row < ids.count ? ids.string(at: row) ?? "(missing id)" : "?"
            return " for customer \(id) (\(place))"
        }
    }

    /// Runs a per-row plugin call; a plugin error names the customer (unless the id is personal) and where its row
    /// came from.
    /// `withheld`: the personal (`pii: true`) columns the plugin reads; their values on the failing row are cut out
    /// of what the plugin's message and returned value say, since a plugin may quote the value it choked on.
    func withCustomer<T>(_ ids: Column, _ data: DatasetStage.Output, personal: Bool, withheld: [Column] = [],
                         _ body: () throws -> T) throws -> T {
        do { return try body() } catch var e as PluginError {
            if let r = e.row, r >= 0, r < ids.count {
                if !personal { e.customerID = ids.string(at: r) }
                if let lines = data.table.rowLines, lines.count == ids.count { e.place = "\(data.populationOrigin), line \(lines.line(of: r))" }
                let values = withheld.compactMap { $0.string(at: r) } + (personal ? [ids.string(at: r)].compactMap { $0 } : [])
                if !values.isEmpty { e.reason = Self.withholding(values, in: e.reason) }
            }
            throw e
        }
    }

    /// The personal columns among those `plugin` reads for `use`.
    func personalInputs(_ plugin: Plugin, _ use: PluginUse, _ table: Table, _ def: Definition) -> [Column] {
        let pii = Set(def.piiColumns)
        return plugin.manifest.uses.compactMap { field in
            let name = use.columns[field] ?? field
            return pii.contains(name) ? table[name] : nil
        }
    }

    /// `reason` with every whole-token occurrence of the values (as written, and as Lua prints a number: `6.0`,
    /// `%.14g`) replaced by `(withheld: personal)`.
    static func withholding(_ values: [String], in reason: PluginError.Reason) -> PluginError.Reason {
        var forms = Set<String>()
        for v in values where !v.isEmpty {
            forms.insert(v)
            if let d = Double(v), d.isFinite {
                forms.insert(String(format: "%.14g", d))
                if d == d.rounded(), abs(d) < 1e15 { forms.insert("\(Int64(d)).0"); forms.insert("\(Int64(d))") }
            }
        }
        let ordered = forms.sorted { $0.count > $1.count }  // "6.0" before "6"
        func scrub(_ text: String) -> String {
            var out = text
            for form in ordered { out = replacingTokens(form, in: out) }
            return out
        }
        switch reason {
        case .runtime(let m): return .runtime(scrub(m))
        case .badReturn(let field, let expected, let got): return .badReturn(field: field, expected: expected, got: scrub(got))
        case .tooManyLabels(let limit, let label): return .tooManyLabels(limit: limit, label: scrub(label))
        default: return reason
        }
    }

    private static func replacingTokens(_ token: String, in text: String) -> String {
        let marker = "(withheld: personal)"
        var out = "", rest = Substring(text)
        func isWord(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
        while let range = rest.range(of: token) {
            let before = range.lowerBound == rest.startIndex ? out.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let bounded = !(isWord(before) && isWord(token.first)) && !(isWord(after) && isWord(token.last))
            out += rest[..<range.lowerBound] + (bounded ? marker : token)
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// What to profile. Every column named must exist (in the data or as a score) and fit its role; this is checked
    /// before any plugin runs. Without `profile.numeric`, the features and scores are profiled.
    func profileOptions(_ def: Definition, _ table: Table, _ scores: [String]) throws -> ProfileOptions {
        var numeric = def.profile.numeric
        if numeric.isEmpty {
            numeric = (def.rfm != nil ? RFMFeature.outputs : []) + def.daysSince.map(\.output) + scores
        }
        // RFM's monetary is revenue only as a sum (`monetary: mean` is spend per order, day …).
        let monetary = def.profile.monetary ?? (def.rfm.map { $0.options.merged().monetary != .mean } == true ? "monetary" : nil)
        func type(_ name: String) -> ColumnType? { scores.contains(name) ? .double : table[name]?.type }
        let names = (table.columnNames + scores).sorted()
        let available = names.joined(separator: ", ")
        for (role, list) in [("numeric", numeric), ("categorical", def.profile.categorical), ("monetary", monetary.map { [$0] } ?? [])] {
            for (i, name) in list.enumerated() {
                // The line of the entry (`profile.numeric[2]`), else of the list, else of `profile:`.
                let line = def.line(of: "profile.\(role)[\(i)]", or: def.line(of: "profile.\(role)", or: def.line(of: "profile")))
                guard let t = type(name) else {
                    throw DefinitionError(file: def.file, line: line, "profile.\(role) names column '\(name)', which the customer table does not have; \(Definition.didYouMean(name, names))available: \(available)")
                }
                if role == "numeric", ![.integer, .double, .date].contains(t) {
                    throw DefinitionError(file: def.file, line: line, "profile.numeric names '\(name)', \(t.withArticle) column; list it under profile.categorical instead")
                }
                if role == "monetary", ![.integer, .double].contains(t) {
                    throw DefinitionError(file: def.file, line: line, "profile.monetary names '\(name)', \(t.withArticle) column; the revenue column must be numeric")
                }
            }
        }
        return ProfileOptions(numeric: numeric, categorical: def.profile.categorical, monetary: monetary)
    }
}
