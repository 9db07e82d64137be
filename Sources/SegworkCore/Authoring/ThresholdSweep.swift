import Foundation
import LuaHost
import SegworkData

/// Evaluates a criterion's `assign`, in its real sandbox with its prepared `p`, over a bounded sweep of values, to
/// tell "never returned on this data" from "never returned for any value tried".
///
/// Values per column: for a numeric column, the data's range widened by half its span (at least 1) on each side, in
/// at most 120 even steps, plus every whole number and half-way point within 1 of each numeric parameter value (the
/// thresholds), the data's percentiles, and missing; for an integer column only whole numbers. Text and boolean
/// columns take their (up to 20) most frequent values and missing; date columns are held at their data values. When
/// every column has few values the sweep is the full grid (at most `gridLimit` rows); otherwise each numeric column is
/// swept on its own while the others are held at the values of the first rows of the data. Deterministic.
package struct ThresholdSweep {
    /// The most rows one sweep evaluates.
    package static let gridLimit = 6_000
    /// Rows of the data the other columns are held at when a column is swept on its own.
    static let heldRows = 24

    /// Labels returned somewhere in the sweep → an example input (`recency_days = 400`).
    package var reached: [String: String] = [:]
    /// Whether any numeric column was swept (otherwise the sweep says nothing beyond the data).
    package var sweptNumeric = false
    /// What was swept, for messages: `recency_days in -180...540`.
    package var ranges: [String] = []

    /// Whether the sweep stopped at its time budget before trying every value, or left an input unvaried (a date
    /// column, a column with no values): then no label is called unreachable.
    package var incomplete = false
    /// The most wall-clock time one sweep may take, on top of the run: a criterion that is fast on the data may be slow
    /// on made-up values, and the notes are not worth a long wait.
    package static let timeBudget: TimeInterval = 1.0

    /// Runs the sweep. `columns` are the plugin's inputs as `uses` names them, `params` its effective parameters;
    /// `personal` the fields whose column is `pii: true`: their values and their data-derived range are never shown
    /// (in `reached` they read `age (pii)`). Rows whose call fails (a plugin that rejects out-of-range values) are
    /// skipped. The plugin's log lines are dropped while it runs on made-up values.
    package init(plugin: Plugin, columns: [(field: String, column: Column)], params: [String: PluginValue],
                 personal: Set<String> = []) {
        self.personal = personal
        let thresholds = params.values.compactMap { v -> Double? in
            switch v { case .int(let i): return Double(i); case .double(let d): return d.isFinite ? d : nil; default: return nil }
        }
        var axes: [Axis] = []
        for (field, column) in columns {
            let axis = Axis(field: field, column: column, thresholds: thresholds)
            if axis.values.isEmpty || axis.values.count == 1 { incomplete = true }  // held at the data, or only missing
            if axis.numeric {
                sweptNumeric = true
                ranges.append(personal.contains(field) ? "\(field) (pii) around the data's range" : axis.rangeText)
            }
            axes.append(axis)
        }
        guard sweptNumeric else { return }
        // A date column has no values of its own (it is held at the data's), so it forces the one-at-a-time sweep.
        let total = axes.contains { $0.values.isEmpty } ? Int.max : axes.reduce(1) { $0 * $1.count }
        var rows: [[Value]] = []
        if total <= Self.gridLimit {
            rows = [[]]
            for axis in axes { rows = rows.flatMap { r in axis.values.map { r + [$0] } } }
        } else {
            let rowCount = columns.first?.column.count ?? 0
            let held = (0..<min(Self.heldRows, rowCount)).map { r in axes.map { $0.dataValue(r) } }
            for (a, axis) in axes.enumerated() where axis.numeric {
                for base in held where rows.count < Self.gridLimit {
                    for v in axis.values { var r = base; r[a] = v; rows.append(r) }
                }
            }
        }
        plugin.logMuted = true
        defer { plugin.logMuted = false }
        evaluate(plugin, axes, rows)
    }

    private let personal: Set<String>

    private mutating func evaluate(_ plugin: Plugin, _ axes: [Axis], _ rows: [[Value]]) {
        // In batches, small once a batch is slow (a call may take up to the per-call limit), within `timeBudget`; a
        // batch that fails is retried row by row so one rejected value does not hide the rest.
        let started = Date()
        var batch = 1  // grows while calls are fast, back to 1 when one is slow: the budget is overshot by one call at most
        var start = 0
        func outOfTime() -> Bool { Date().timeIntervalSince(started) > Self.timeBudget }
        while start < rows.count {
            if outOfTime() { incomplete = true; return }
            let part = Array(rows[start..<min(start + batch, rows.count)])
            let t = Date()
            if let labels = run(plugin, axes, part) { record(labels, axes, part) } else {
                for row in part {
                    if outOfTime() { incomplete = true; return }
                    if let l = run(plugin, axes, [row]) { record(l, axes, [row]) }
                }
            }
            batch = Date().timeIntervalSince(t) / Double(part.count) < 0.002 ? min(batch * 4, 256) : 1
            start += part.count
        }
    }

    private mutating func record(_ a: LabelAssignment, _ axes: [Axis], _ rows: [[Value]]) {
        for (i, code) in a.codes.enumerated() where code >= 0 {
            let label = a.labels[Int(code)]
            guard reached[label] == nil else { continue }
            reached[label] = zip(axes, rows[i]).map { personal.contains($0.field) ? "\($0.field) (pii)" : "\($0.field) = \($1.text)" }
                .joined(separator: ", ")
        }
    }

    private func run(_ plugin: Plugin, _ axes: [Axis], _ rows: [[Value]]) -> LabelAssignment? {
        let inputs = axes.enumerated().map { a, axis in axis.input(rows.map { $0[a] }) }
        return try? plugin.assign(columns: inputs, rowCount: rows.count)
    }

    /// One input value of the sweep.
    enum Value {
        case missing, integer(Int64), double(Double), bool(Bool), text(String)
        var text: String {
            switch self {
            case .missing: return "nil"
            case .integer(let i): return String(i)
            case .double(let d): return formatDouble(d)
            case .bool(let b): return String(b)
            case .text(let s): return "\"\(s)\""
            }
        }
    }

    /// The values one column takes.
    struct Axis {
        let field: String
        let column: Column
        var values: [Value] = []
        var numeric = false
        var rangeText = ""
        var count: Int { values.count }

        init(field: String, column: Column, thresholds: [Double]) {
            self.field = field; self.column = column
            let stats = column.statistics()
            switch column.storage {
            case .integer, .double:
                let integer: Bool
                if case .integer = column.storage { integer = true } else { integer = false }
                guard let lo = stats.min, let hi = stats.max else { values = [.missing]; return }
                numeric = true
                let pad = max(1, (hi - lo) / 2)
                var a = (lo - pad).rounded(.down), b = (hi + pad).rounded(.up)
                if !a.isFinite || !b.isFinite { a = lo; b = hi }  // near the doubles' limits: the data's own range
                var set = Set<Double>()
                let steps = 120.0
                for k in 0...Int(steps) { set.insert(a + (b - a) * Double(k) / steps) }
                for t in thresholds { for d in stride(from: -1.0, through: 1.0, by: 0.5) { set.insert(t.rounded(.down) + d); set.insert(t + d) } }
                for q in stats.percentiles { set.insert(q) }
                set.insert(lo); set.insert(hi)
                let sorted = set.filter { $0.isFinite }.map { integer ? $0.rounded() : $0 }.sorted()
                var seen = Set<Double>()
                values = sorted.filter { seen.insert($0).inserted }.map { integer ? .integer(Int64($0)) : .double($0) }
                values.append(.missing)
                rangeText = "\(field) in \(formatDouble(a))...\(formatDouble(b))"
            case .bool:
                values = [.bool(false), .bool(true), .missing]
            case .string:
                values = stats.top.prefix(20).map { .text($0.value) } + [.missing]
            case .date:
                values = []  // held at data values
            }
        }

        /// The data's value at row `r`.
        func dataValue(_ r: Int) -> Value {
            guard r < column.count, column.isValid(r) else { return .missing }
            switch column.storage {
            case .integer(let v): return .integer(v[r])
            case .double(let v): return .double(v[r])
            case .bool(let v): return .bool(v[r])
            case .date, .string: return .text(column.string(at: r) ?? "")
            }
        }

        /// A plugin input holding `values` (text for dates, as the plugin sees them).
        func input(_ values: [Value]) -> ColumnInput {
            let valid = Bitmap(values.map { if case .missing = $0 { return false }; return true })
            let v: ColumnInput.Values
            switch column.storage {
            case .integer: v = .integer(values.map { if case .integer(let i) = $0 { return i }; return 0 })
            case .double: v = .double(values.map { if case .double(let d) = $0 { return d }; return 0 })
            case .bool: v = .bool(values.map { if case .bool(let b) = $0 { return b }; return false })
            case .string, .date:
                var dict: [String] = [], codeOf: [String: Int32] = [:]
                let codes = values.map { value -> Int32 in
                    guard case .text(let s) = value else { return 0 }
                    if let c = codeOf[s] { return c }
                    codeOf[s] = Int32(dict.count); dict.append(s); return Int32(dict.count - 1)
                }
                v = .string(codes: codes, dictionary: dict)
            }
            return ColumnInput(name: field, values: v, validity: valid.words)
        }
    }
}
