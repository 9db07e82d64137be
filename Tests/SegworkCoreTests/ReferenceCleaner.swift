import Foundation
@testable import SegworkCore
@testable import SegworkData

/// THE ORACLE, NOT PRODUCTION CODE. The built-in clean steps (`dedupe`, `standardise`, `missing`, `validate`) exactly as
/// they were at commit 1882b86, before issue 11 made them faster (Sources/SegworkCore/Clean/Cleaner.swift and
/// CleanColumns.swift there), with the helpers they relied on that a rewrite might change (`Column.gather`,
/// `Column.filling`, `TextColumnBuilder`, the type-7 quantile) copied too. CleanerOracleTests runs `Cleaner.run` and
/// this on the same random tables and requires the same table, rejects and report. Do not "fix" or speed up this
/// code: it is what the rewrites must reproduce. (Plugin steps are not here: issue 11 does not touch them.)
struct ReferenceCleaner {
    let dataset: String
    let origin: String
    let definitionFile: String
    var pii: Set<String> = []

    var table: Table
    var records: [Int]
    var rejects: [CleaningReject] = []
    let rowLines: RowLines?

    init(table: Table, dataset: String, origin: String, definitionFile: String) {
        self.table = table; self.dataset = dataset; self.origin = origin; self.definitionFile = definitionFile
        records = Array(0..<table.rowCount)
        rowLines = table.rowLines
    }

    func line(ofRecord record: Int) -> Int { rowLines?.line(of: record) ?? record + 2 }

    /// 1882b86's `Cleaner.run` without plugin steps.
    static func run(_ table: Table, steps: [CleanStep], dataset: String, origin: String, definitionFile: String,
                    pii: Set<String> = []) throws -> (table: Table, report: DatasetCleaning, rejects: [CleaningReject]) {
        var c = ReferenceCleaner(table: table, dataset: dataset, origin: origin, definitionFile: definitionFile)
        c.pii = pii
        try c.checkColumns(steps)
        var reports: [CleanStepReport] = []
        for (i, step) in steps.enumerated() {
            var r = CleanStepReport(step: i + 1, name: step.name, description: "", rowsRemoved: 0, valuesChanged: 0,
                                    valuesFilled: 0, rejects: 0)
            let before = c.table.rowCount
            switch step.action {
            case .dedupe(let key, let keep): try c.dedupe(key: key, keep: keep, step, &r)
            case .standardise(let s): try c.standardise(s, step, &r)
            case .missing(let column, let action): try c.missing(column, action, step, &r)
            case .validate(let v): try c.validate(v, step, &r)
            case .plugin: fatalError("the reference has no plugin steps")
            }
            r.rowsRemoved = before - c.table.rowCount
            reports.append(r)
        }
        let report = DatasetCleaning(dataset: dataset, rowsIn: table.rowCount, rowsOut: c.table.rowCount, steps: reports)
        return (c.table, report, c.rejects)
    }

    func checkColumns(_ steps: [CleanStep]) throws {
        var names = Set(table.columnNames)
        for (i, step) in steps.enumerated() {
            for column in step.columns where !names.contains(column) {
                let hint = closest(column, Array(names)).map { "did you mean '\($0)'? " } ?? ""
                throw DefinitionError(file: definitionFile, line: step.line,
                                      "dataset '\(dataset)': clean step \(i + 1) (\(step.name)) names column '\(column)', which \(origin) does not have; \(hint)columns: \(table.columnNames.joined(separator: ", "))")
            }
            if case .missing(let c, .flag) = step.action {
                let flag = c + "_missing"
                if names.contains(flag) {
                    throw DefinitionError(file: definitionFile, line: step.line,
                                          "dataset '\(dataset)': clean step \(i + 1) flags '\(c)' into a new column '\(flag)', which already exists; rename that column")
                }
                names.insert(flag)
            }
        }
    }

    func error(_ step: CleanStep, _ message: String) -> DefinitionError {
        DefinitionError(file: definitionFile, line: step.line, "dataset '\(dataset)': \(step.name) \(message)")
    }

    mutating func keep(_ rows: [Int32]) throws {
        guard rows.count != table.rowCount else { return }
        table = try Table(columns: table.columns.map { $0.referenceGather(rows, name: $0.name) })
        records = rows.map { records[Int($0)] }
    }

    /// 1882b86's dedupe: a dictionary from the key columns' texts (`string(at:)`) to the row kept, with one deliberate
    /// change since: texts compare by their UTF-8 bytes (as pandas, polars and DuckDB compare them), not by Swift's
    /// canonical equivalence, so a composed "é" and "e" + U+0301 are two values.
    mutating func dedupe(key: [String], keep: DedupeKeep, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        let keys = key.map { table[$0]! }
        var by: Column?
        switch keep {
        case .first: r.description = "dedupe by \(key.joined(separator: ", ")) keeping the first"
        case .last: r.description = "dedupe by \(key.joined(separator: ", ")) keeping the last"
        case .latest(let name):
            r.description = "dedupe by \(key.joined(separator: ", ")) keeping the latest \(name)"
            by = table[name]!
            guard [.date, .integer, .double].contains(by!.type) else {
                throw error(step, "keeps the latest '\(name)', \(by!.type.withArticle) column; 'by' must be a date or number column (parse text dates with a standardise step first)")
            }
        }
        var chosen: [[[UInt8]]: Int] = [:]
        var kept = [Bool](repeating: false, count: table.rowCount)
        for i in 0..<table.rowCount {
            var parts: [[UInt8]] = []
            for k in keys { guard let s = k.string(at: i) else { break }; parts.append(Array(s.utf8)) }
            guard parts.count == keys.count else { kept[i] = true; continue }
            guard let current = chosen[parts] else { chosen[parts] = i; kept[i] = true; continue }
            let replace: Bool
            switch keep {
            case .first: replace = false
            case .last: replace = true
            case .latest:
                let a = by!.double(at: current), b = by!.double(at: i)
                replace = b != nil && (a == nil || b! > a!)
            }
            if replace { kept[current] = false; kept[i] = true; chosen[parts] = i }
        }
        try self.keep(kept.indices.filter { kept[$0] }.map { Int32($0) })
    }

    mutating func missing(_ name: String, _ action: MissingAction, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        let c = table[name]!
        let absent = (0..<table.rowCount).filter { !c.isValid($0) }
        switch action {
        case .dropRow:
            r.description = "drop rows missing \(name)"
            try keep((0..<table.rowCount).filter { c.isValid($0) }.map { Int32($0) })
        case .flag:
            r.description = "flag rows missing \(name) in \(name)_missing"
            try table.add(Column(name: name + "_missing", storage: .bool((0..<table.rowCount).map { !c.isValid($0) })))
        case .fill(let text):
            r.description = "fill missing \(name) with \(text)"
            guard let filled = c.referenceFilling(absent, with: text) else {
                throw error(step, "fills '\(name)', \(c.type.withArticle) column, with '\(text)', which is not \(c.type.expectation); change 'value'")
            }
            try table.set(filled)
            r.valuesFilled = absent.count
        case .fillMedian:
            guard [.integer, .double, .date].contains(c.type) else {
                throw error(step, "fills '\(name)' with its median, but it is \(c.type.withArticle) column; use 'action: fill' with a value")
            }
            let present = (0..<table.rowCount).compactMap { c.double(at: $0) }.filter { !$0.isNaN }.sorted()
            guard let median = Self.quantile(sorted: present, 0.5) else {
                r.description = "fill missing \(name) with its median: no values, nothing filled"
                return
            }
            let text = c.type == .double ? formatDouble(median)
                : (c.type == .date ? CivilDate(days: Int32(median.rounded())).description : String(Int64(median.rounded())))
            r.description = "fill missing \(name) with its median \(text)"
            try table.set(c.referenceFilling(absent, with: text)!)
            r.valuesFilled = absent.count
        }
    }

    /// 1882b86's `quantile(sorted:_:)` (type 7, numpy's lerp from the nearer end).
    static func quantile(sorted s: [Double], _ q: Double) -> Double? {
        guard !s.isEmpty, !q.isNaN else { return nil }
        let n = s.count
        let virtual = Double(n - 1) * min(max(q, 0), 1)
        let below = virtual.rounded(.down)
        let i = min(Int(below), n - 1)
        let gamma = virtual - below
        let a = s[i]
        let b = s[min(i + 1, n - 1)]
        if gamma == 0 || a == b { return a }
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }
}

extension Column {
    /// 1882b86's `Column.filling`: a text is looked up in the dictionary with Swift string equality.
    func referenceFilling(_ rows: [Int], with text: String) -> Column? {
        var valid = validity ?? Bitmap(count: count, allSet: true)
        for i in rows { valid[i] = true }
        let s: Storage
        switch storage {
        case .integer(var v):
            guard let x = Int64(text) else { return nil }
            for i in rows { v[i] = x }; s = .integer(v)
        case .double(var v):
            guard let x = Double(text) else { return nil }
            for i in rows { v[i] = x }; s = .double(v)
        case .bool(var v):
            guard let x = ["true": true, "false": false][text] else { return nil }
            for i in rows { v[i] = x }; s = .bool(v)
        case .date(var v):
            guard let x = CivilDate(iso: Substring(text)) else { return nil }
            for i in rows { v[i] = x.days }; s = .date(v)
        case .string(var codes, var dictionary):
            let code = Int32(dictionary.firstIndex { $0.utf8.elementsEqual(text.utf8) } ?? dictionary.count)
            if Int(code) == dictionary.count { dictionary.append(text) }
            for i in rows { codes[i] = code }; s = .string(codes: codes, dictionary: dictionary)
        }
        return Column(name: name, storage: s, validity: valid)
    }

    /// 1882b86's `Column.gather` (rows ≥ 0 only, as the cleaner uses it).
    func referenceGather(_ rows: [Int32], name: String) -> Column {
        var valid = Bitmap(count: rows.count, allSet: true)
        for (i, r) in rows.enumerated() where r < 0 || !isValid(Int(r)) { valid[i] = false }
        func pick<T>(_ v: [T], _ zero: T) -> [T] { rows.map { $0 < 0 ? zero : v[Int($0)] } }
        let s: Storage
        switch storage {
        case .integer(let v): s = .integer(pick(v, 0))
        case .double(let v): s = .double(pick(v, 0))
        case .bool(let v): s = .bool(pick(v, false))
        case .date(let v): s = .date(pick(v, 0))
        case .string(let c, let d): s = .string(codes: pick(c, 0), dictionary: d)
        }
        return Column(name: name, storage: s, validity: valid)
    }
}
