import Foundation
import LuaHost
import SegworkData

/// Applies a dataset's `clean:` steps to its table, column by column (no row is ever materialised). Rows that
/// leave the table leave every column, so columns stay aligned; `records` remembers each remaining row's original
/// record number for `rejects.csv` and error messages.
package struct Cleaner {
    /// The dataset being cleaned.
    public let dataset: String
    /// Where its data came from (file as shown, or plugin), for data errors.
    public let origin: String
    /// The definition file, for definition errors.
    public let definitionFile: String
    /// Columns tagged `pii: true`: their values never reach `rejects.csv` or messages.
    public var pii: Set<String> = []

    /// The table as cleaned so far.
    var table: Table
    /// `kept[i]` is the 0-based record number (in the data as read) of row `i`; nil while no row has left.
    var kept: [Int32]?
    var rejects: [CleaningReject] = []
    /// Where each record of the data as read starts in its file, when it came from one.
    let rowLines: RowLines?
    /// Loaded cleaner plugins by step index (0-based), for `plugin` steps.
    var cleaners: [Int: Plugin] = [:]

    /// A cleaner for one dataset's table.
    public init(table: consuming Table, dataset: String, origin: String, definitionFile: String) {
        self.table = table; self.dataset = dataset; self.origin = origin; self.definitionFile = definitionFile
        rowLines = table.rowLines
    }

    /// The 0-based record number (in the data as read) of row `row` of the table as cleaned so far.
    func record(_ row: Int) -> Int { kept.map { Int($0[row]) } ?? row }

    /// The file line where record `record` (0-based, in the data as read) starts; for data without lines (a
    /// source plugin's), the record number counted as if after a one-line header.
    func line(ofRecord record: Int) -> Int { rowLines?.line(of: record) ?? record + 2 }

    /// Runs `steps` in order: the cleaned table, the dataset's report, and the rows rejected.
    public static func clean(_ table: consuming Table, steps: [CleanStep], dataset: String, origin: String,
                             definitionFile: String, pii: Set<String> = []) throws -> (table: Table, report: DatasetCleaning, rejects: [CleaningReject]) {
        let out = try run(consume table, steps: steps, dataset: dataset, origin: origin, definitionFile: definitionFile, pii: pii)
        return (out.table, out.report, out.rejects)
    }

    /// What `run` produced.
    public struct Result {
        /// The cleaned table.
        public var table: Table
        /// What each step did.
        public var report: DatasetCleaning
        /// Rows `validate` steps rejected.
        public var rejects: [CleaningReject]
        /// Each plugin step's effective parameters (after `prepare`), by step index (0-based), for the run record.
        public var pluginParams: [Int: [String: PluginValue]]
    }

    /// Runs `steps` in order. `cleaners` holds the loaded, configured cleaner plugin of every `plugin` step, by
    /// step index (0-based). The table is consumed: a caller that gives up its own reference (`consume`) lets the
    /// steps drop rows in place instead of holding a second copy of every column. `progress` gets one phase per
    /// step.
    public static func run(_ table: consuming Table, steps: [CleanStep], dataset: String, origin: String, definitionFile: String,
                           pii: Set<String> = [], cleaners: [Int: Plugin] = [:], progress: ReadProgress? = nil) throws -> Result {
        let rowsIn = table.rowCount
        var c = Cleaner(table: consume table, dataset: dataset, origin: origin, definitionFile: definitionFile)
        c.pii = pii
        c.cleaners = cleaners
        try c.checkColumns(steps)
        var reports: [CleanStepReport] = []
        var params: [Int: [String: PluginValue]] = [:]
        for (i, step) in steps.enumerated() {
            var r = CleanStepReport(step: i + 1, name: step.name, description: "", rowsRemoved: 0, valuesChanged: 0,
                                    valuesFilled: 0, rejects: 0)
            let before = c.table.rowCount
            progress?.begin("cleaning \(dataset): step \(i + 1) (\(step.name))")
            switch step.action {
            case .dedupe(let key, let keep): try c.dedupe(key: key, keep: keep, step, &r)
            case .standardise(let s): try c.standardise(s, step, &r)
            case .missing(let column, let action): try c.missing(column, action, step, &r)
            case .validate(let v): try c.validate(v, step, &r)
            case .plugin(let spec): params[i] = try c.runPlugin(spec, index: i, step, &r)
            }
            r.rowsRemoved = before - c.table.rowCount
            reports.append(r)
        }
        progress?.end()
        let report = DatasetCleaning(dataset: dataset, rowsIn: rowsIn, rowsOut: c.table.rowCount, steps: reports)
        return Result(table: c.table, report: report, rejects: c.rejects, pluginParams: params)
    }

    /// Every column a step names must exist by the time it runs (`flag` adds `<column>_missing`); checked before
    /// any step runs, so a typo costs nothing.
    func checkColumns(_ steps: [CleanStep]) throws {
        var names = Set(table.columnNames)
        for (i, step) in steps.enumerated() {
            for column in try columns(of: step, index: i) where !names.contains(column) {
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

    /// Keeps the rows listed (ascending), in every column.
    mutating func keep(_ rows: [Int32]) throws {
        guard rows.count != table.rowCount else { return }
        table.keepRows(rows)
        kept = kept.map { k in rows.map { k[Int($0)] } } ?? rows
    }

    private mutating func dedupe(key: [String], keep: DedupeKeep, _ step: CleanStep, _ r: inout CleanStepReport) throws {
        r.description = Self.describeDedupe(key: key, keep: keep)
        // The rows are chosen first, so that no column is still referenced here when they leave the table in place.
        try self.keep(try dedupeRows(key: key, keep: keep, step))
    }

    /// A dedupe step's description in the cleaning report (the push-down's too: `CleanPushDown`).
    static func describeDedupe(key: [String], keep: DedupeKeep) -> String {
        switch keep {
        case .first: return "dedupe by \(key.joined(separator: ", ")) keeping the first"
        case .last: return "dedupe by \(key.joined(separator: ", ")) keeping the last"
        case .latest(let name): return "dedupe by \(key.joined(separator: ", ")) keeping the latest \(name)"
        }
    }

    /// The rows `dedupe` keeps, ascending.
    private func dedupeRows(key: [String], keep: DedupeKeep, _ step: CleanStep) throws -> [Int32] {
        var by: Column?
        if case .latest(let name) = keep {
            by = table[name]!
            guard [.date, .integer, .double].contains(by!.type) else {
                throw error(step, "keeps the latest '\(name)', \(by!.type.withArticle) column; 'by' must be a date or number column (parse text dates with a standardise step first)")
            }
        }
        // Each row's group (the first row with an equal key, compared on typed values: RowGroups), then the row kept
        // so far per group. Rows with a missing key part are never duplicates of anything.
        let leader = RowGroups.leaders(key.map { table[$0]! })
        let n = table.rowCount
        var rows: [Int32] = []
        rows.reserveCapacity(n)
        switch keep {
        case .first:
            // A group's first row is its leader.
            for i in 0..<n where leader[i] < 0 || Int(leader[i]) == i { rows.append(Int32(i)) }
        case .last:
            var last = leader  // by leader row: the group's last row
            for i in 0..<n where leader[i] >= 0 { last[Int(leader[i])] = Int32(i) }
            for i in 0..<n where leader[i] < 0 || Int(last[Int(leader[i])]) == i { rows.append(Int32(i)) }
        case .latest:
            // The first row holding the group's greatest `by` (a missing `by` loses to any value; integers compare
            // as integers, so values past 2^53 do not tie).
            let later: (Int, Int) -> Bool
            switch by!.storage {
            case .integer(let v): later = { v[$0] > v[$1] }
            case .date(let v): later = { v[$0] > v[$1] }
            default: later = { by!.double(at: $0)! > by!.double(at: $1)! }
            }
            var chosen = [Int32](repeating: -1, count: n)  // by leader row
            for i in 0..<n {
                let g = Int(leader[i])
                guard g >= 0 else { continue }
                let current = Int(chosen[g])
                guard current >= 0 else { chosen[g] = Int32(i); continue }
                if by!.isValid(i) && (!by!.isValid(current) || later(i, current)) { chosen[g] = Int32(i) }
            }
            for i in 0..<n where leader[i] < 0 || Int(chosen[Int(leader[i])]) == i { rows.append(Int32(i)) }
        }
        return rows
    }

    private mutating func missing(_ name: String, _ action: MissingAction, _ step: CleanStep, _ r: inout CleanStepReport) throws {
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
            guard let filled = c.filling(absent, with: text) else {
                throw error(step, "fills '\(name)', \(c.type.withArticle) column, with '\(text)', which is not \(c.type.expectation); change 'value'")
            }
            try table.set(filled)
            r.valuesFilled = absent.count
        case .fillMedian:
            guard [.integer, .double, .date].contains(c.type) else {
                throw error(step, "fills '\(name)' with its median, but it is \(c.type.withArticle) column; use 'action: fill' with a value")
            }
            let text: String
            if case .integer(let values) = c.storage {
                // Exact on integers of any size (through Double, values past 2^53 lost digits and 2^63 crashed).
                var present = (0..<table.rowCount).filter { c.isValid($0) }.map { values[$0] }
                guard let median = integerMedian(&present) else {
                    r.description = "fill missing \(name) with its median: no values, nothing filled"
                    return
                }
                text = String(median)
            } else {
                var present = (0..<table.rowCount).compactMap { c.double(at: $0) }.filter { !$0.isNaN }
                guard let median = quantile(selecting: &present, 0.5) else {
                    r.description = "fill missing \(name) with its median: no values, nothing filled"
                    return
                }
                text = c.type == .double ? formatDouble(median) : CivilDate(days: Int32(median.rounded())).description
            }
            r.description = "fill missing \(name) with its median \(text)"
            try table.set(c.filling(absent, with: text)!)
            r.valuesFilled = absent.count
        }
    }
}

extension Column {
    /// A copy with the rows in `rows` set to `text` read as this column's type; nil when `text` is not of that type.
    func filling(_ rows: [Int], with text: String) -> Column? {
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
}
