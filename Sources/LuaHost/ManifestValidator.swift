import Foundation

/// Checks the table a plugin file returns and turns it into a `PluginManifest`, naming the field and
/// what is wrong when it is not valid.
struct ManifestValidator {
    /// The plugin file (for errors).
    let file: String
    /// The highest host API level this host supports.
    static let supportedAPI = 1
    /// Every field a plugin table may have.
    static let knownFields = ["api", "assign", "clean", "columns", "description", "descriptions", "kind", "labels",
                              "name", "output", "params", "prepare", "read", "score", "uses", "version"]
    /// The fields only some kinds use.
    static let kindFields: [PluginKind: Set<String>] = [
        .criterion: ["assign", "prepare", "uses", "labels", "descriptions"],
        .scorer: ["score", "prepare", "uses", "output"],
        .source: ["read", "columns"],
        .cleaner: ["clean", "prepare", "uses"],
    ]
    /// The declared column types of a source.
    static let columnTypes = ["integer", "double", "bool", "date", "string"]

    private func fail(_ field: String, _ problem: String) -> PluginError {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return PluginError(plugin: name, file: file, reason: .badManifest(field: field, problem: problem))
    }

    private func quoted(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .invalidString(let shown): return "a string that is not valid UTF-8 (\(shown))"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return "a \(value.typeName)"
        }
    }

    /// Validates the value the plugin file returned. Every bad field is reported, not only the first: one error
    /// listing them all (numbered), or the single problem when there is one.
    func validate(_ value: LuaValue) throws -> PluginManifest {
        guard case .table(let entries) = value else {
            throw fail("", "must return a table describing the plugin (it returned \(quoted(value)))")
        }
        var problems: [PluginError] = []
        func check<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let e as PluginError { problems.append(e); return nil } catch { return nil }
        }
        var fields: [String: LuaValue] = [:]
        for (key, item) in entries {
            guard case .string(let name) = key else {
                problems.append(fail("", "the returned table has a \(key.typeName) key \(quoted(key)); plugin fields are names"))
                continue
            }
            fields[name] = item
        }
        for name in fields.keys.sorted() where !Self.knownFields.contains(name) {
            let hint = Self.closest(to: name, in: Self.knownFields).map { " (did you mean '\($0)'?)" } ?? ""
            problems.append(fail(name, "is not a known plugin field\(hint); known fields: \(Self.knownFields.joined(separator: ", "))"))
        }
        let api = check { try apiLevel(fields["api"]) }
        let kind = check { try kindValue(fields["kind"]) }
        let name = check { try requiredString(fields, "name", example: "\"my_plugin\"") }
        if let name, !Self.isValidName(name) {
            problems.append(fail("name", "must start with a lower-case letter and use only a-z, 0-9 and _ (got \"\(name)\")"))
        }
        let version = check { try requiredString(fields, "version", example: "\"1.0.0\"") }
        if let version, SemanticVersion(lenient: version) == nil {
            problems.append(fail("version", "must be a semantic version such as \"1.2.0\" (MAJOR.MINOR.PATCH; got \(quoted(.string(version))))"))
        }
        let description = check { try requiredString(fields, "description", example: "\"what it does\"") }
        if let kind {
            for field in fields.keys.sorted() {
                let owners = Self.kindFields.filter { $0.value.contains(field) }.map(\.key)
                if !owners.isEmpty && !owners.contains(kind) {
                    problems.append(fail(field, "is not used by a \(kind.rawValue) plugin (it belongs to \(owners.map(\.rawValue).sorted().joined(separator: " and ")) plugins)"))
                }
            }
            let main = kind.mainFunction
            let signature = kind == .source ? "function(src, p)" : "function(row, p)"
            if let function = fields[main] {
                if case .function = function {} else { problems.append(fail(main, "must be a function (got a \(function.typeName))")) }
            } else {
                problems.append(fail(main, "is missing: a \(kind.rawValue) must provide \(main) = \(signature) ... end"))
            }
        }
        var hasPrepare = false
        if let prepare = fields["prepare"] {
            if case .function = prepare { hasPrepare = true } else {
                problems.append(fail("prepare", "must be a function (got a \(prepare.typeName))"))
            }
        }
        let uses = kind == nil || kind == .source ? [] : check { try usesList(fields["uses"]) }
        let params = check { try paramsTable(fields["params"]) }
        var output: String?
        if kind == .scorer {
            output = name
            if let value = fields["output"] {
                if let text = value.stringValue, !text.isEmpty { output = text } else {
                    problems.append(fail("output", "must be a non-empty string naming the score column (got \(quoted(value)))"))
                }
            }
        }
        let columns = kind == .source ? check { try sourceColumns(fields["columns"]) } : []
        let labels = fields["labels"] == nil ? nil : check { try labelList(fields["labels"]!) }
        let descriptions = fields["descriptions"].flatMap { value in
            check { try descriptionTable(value, labels: labels, labelsGiven: fields["labels"] != nil) }
        }
        if problems.count == 1 { throw problems[0] }
        if problems.count > 1 {
            let list = problems.enumerated().map { i, e -> String in
                guard case .badManifest(let field, let problem) = e.reason else { return "(\(i + 1)) \(e)" }
                return "(\(i + 1)) " + (field.isEmpty ? problem : "field '\(field)' \(problem)")
            }
            throw fail("", "has \(problems.count) problems: \(list.joined(separator: "; "))")
        }
        guard let api, let kind, let name, let version, let description, let uses, let params, let columns else {
            throw fail("", "is not a valid plugin table")  // unreachable: every nil above recorded a problem
        }
        return PluginManifest(api: api, kind: kind, name: name, version: version, description: description,
                              uses: uses, params: params, output: output, columns: columns, hasPrepare: hasPrepare,
                              labels: labels, descriptions: descriptions)
    }

    private func apiLevel(_ value: LuaValue?) throws -> Int {
        guard let value else { throw fail("api", "is missing: add api = \(Self.supportedAPI)") }
        let level: Int64
        switch value {
        case .int(let i): level = i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: level = Int64(d)
        default: throw fail("api", "must be an integer API level (got \(quoted(value)))")
        }
        guard level >= 1, level <= Self.supportedAPI else {
            throw fail("api", level > Self.supportedAPI
                ? "needs host API level \(level), but this host provides levels 1 to \(Self.supportedAPI); upgrade Segwork, or use a version of the plugin written for level \(Self.supportedAPI)"
                : "must be a host API level from 1 to \(Self.supportedAPI) (got \(level))")
        }
        return Int(level)
    }

    private func kindValue(_ value: LuaValue?) throws -> PluginKind {
        let kinds = PluginKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value else { throw fail("kind", "is missing: add kind = \"criterion\" (one of \(kinds))") }
        guard let text = value.stringValue, let kind = PluginKind(rawValue: text) else {
            throw fail("kind", "must be one of \(kinds) (got \(quoted(value)))")
        }
        return kind
    }

    private func requiredString(_ fields: [String: LuaValue], _ field: String, example: String) throws -> String {
        guard let value = fields[field] else { throw fail(field, "is missing: add \(field) = \(example)") }
        if case .invalidString(let shown) = value {
            throw fail(field, "is not valid UTF-8 text (got \(shown)); save the plugin file as UTF-8")
        }
        guard let text = value.stringValue else { throw fail(field, "must be a string (got \(quoted(value)))") }
        return text
    }

    private func usesList(_ value: LuaValue?) throws -> [String] {
        guard let value else { throw fail("uses", "is missing: list the columns the plugin reads, e.g. uses = { \"recency\" } (or uses = {})") }
        guard let items = value.sequence else { throw fail("uses", "must be a list of column names (got \(quoted(value)))") }
        var seen = Set<String>()
        return try items.enumerated().map { index, item in
            guard let name = item.stringValue, !name.isEmpty else {
                throw fail("uses", "entry \(index + 1) must be a column name string (got \(quoted(item)))")
            }
            guard seen.insert(name).inserted else { throw fail("uses", "lists '\(name)' twice") }
            return name
        }
    }

    /// `labels = { "Promoter", "Passive" }`: the labels a criterion may return, each a non-empty string, once.
    private func labelList(_ value: LuaValue) throws -> [String] {
        guard let items = value.sequence else {
            throw fail("labels", "must be a list of the labels assign may return, e.g. labels = { \"High\", \"Low\" } (got \(quoted(value)))")
        }
        var seen = Set<String>()
        return try items.enumerated().map { index, item in
            guard let label = item.stringValue, !label.isEmpty else {
                throw fail("labels", "entry \(index + 1) must be a non-empty label string (got \(quoted(item)))")
            }
            guard seen.insert(label).inserted else { throw fail("labels", "lists '\(label)' twice") }
            return label
        }
    }

    /// `descriptions = { Label = "what they have in common" }`: keys among the declared `labels`, values short text
    /// (`LabelRules.maxDescriptionLength`) without control characters. When `labels` itself is bad (`labelsGiven` but
    /// nil), its own error says so and the keys are not checked against it.
    private func descriptionTable(_ value: LuaValue, labels: [String]?, labelsGiven: Bool) throws -> [String: String] {
        let example = "descriptions = { Champions = \"Bought recently, often, and spend the most\" }"
        guard let entries = value.stringKeyed else {
            throw fail("descriptions", "must be a table of label = \"short description\", e.g. \(example) (got \(quoted(value)))")
        }
        guard labelsGiven else {
            throw fail("descriptions", "describes labels, so the plugin must declare them: add labels = { \(entries.keys.sorted().prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")) } listing every label assign may return")
        }
        var out: [String: String] = [:]
        for key in entries.keys.sorted() {
            let item = entries[key]!
            if let labels, !labels.contains(key) {
                let hint = Self.closest(to: key, in: labels).map { " (did you mean '\($0)'?)" } ?? ""
                throw fail("descriptions", "describes '\(key)', which is not one of the declared labels\(hint); declared: \(labels.joined(separator: ", "))")
            }
            if case .invalidString(let shown) = item {
                throw fail("descriptions", "entry '\(key)' is not valid UTF-8 text (got \(shown)); save the plugin file as UTF-8")
            }
            guard let text = item.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("descriptions", "entry '\(key)' must be a non-empty string (got \(quoted(item)))")
            }
            if let bad = text.unicodeScalars.first(where: { TerminalText.isControl($0.value) }) {
                throw fail("descriptions", "entry '\(key)' holds the control character U+\(String(format: "%04X", bad.value)) (a tab, line break, escape…); write it on one line")
            }
            let nfc = text.precomposedStringWithCanonicalMapping
            if nfc.unicodeScalars.count > LabelRules.maxDescriptionLength {
                throw fail("descriptions", "entry '\(key)' has \(nfc.unicodeScalars.count) characters; keep it to \(LabelRules.maxDescriptionLength) (one short sentence)")
            }
            out[key.precomposedStringWithCanonicalMapping] = nfc
        }
        return out
    }

    private func paramsTable(_ value: LuaValue?) throws -> [String: PluginValue] {
        guard let value else { return [:] }
        guard let fields = value.stringKeyed else {
            throw fail("params", "must be a table of named defaults, e.g. params = { threshold = 4 } (got \(quoted(value)))")
        }
        var out: [String: PluginValue] = [:]
        for key in fields.keys.sorted() {
            do { out[key] = try fields[key]!.plainValue(path: key) } catch let problem as PlainDataProblem {
                throw fail("params", "entry '\(problem.path)' \(problem.problem); defaults must be plain data (booleans, numbers, strings and tables of those)")
            }
        }
        return out
    }

    private func sourceColumns(_ value: LuaValue?) throws -> [SourceColumn] {
        let example = "columns = { { name = \"customer_id\", type = \"string\" } }"
        guard let value else { throw fail("columns", "is missing: a source declares what it emits, e.g. \(example)") }
        guard let items = value.sequence, !items.isEmpty else {
            throw fail("columns", "must be a non-empty list of { name = ..., type = ... } tables, e.g. \(example)")
        }
        var seen = Set<String>()
        let types = Self.columnTypes.joined(separator: ", ")
        return try items.enumerated().map { index, item in
            guard let entry = item.stringKeyed else { throw fail("columns", "entry \(index + 1) must be a table { name = ..., type = ... } (got \(quoted(item)))") }
            if let extra = entry.keys.sorted().first(where: { $0 != "name" && $0 != "type" }) {
                throw fail("columns", "entry \(index + 1) has an unknown field '\(extra)' (a column has only name and type)")
            }
            guard let name = entry["name"]?.stringValue, !name.isEmpty else { throw fail("columns", "entry \(index + 1) needs a name string") }
            guard let type = entry["type"]?.stringValue, Self.columnTypes.contains(type) else {
                throw fail("columns", "entry \(index + 1) ('\(name)') needs a type, one of \(types) (got \(entry["type"].map(quoted) ?? "nothing"))")
            }
            guard seen.insert(name).inserted else { throw fail("columns", "declares '\(name)' twice") }
            return SourceColumn(name: name, type: type)
        }
    }

    /// Whether `name` matches `[a-z][a-z0-9_]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The candidate within edit distance 2 of `word`, if any (for "did you mean" hints).
    static func closest(to word: String, in candidates: [String]) -> String? {
        let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }
}
