import Foundation
import LuaHost
import SegworkData

/// Computes a run's `ReportData` from its table, its segments and the version it compares with. Deterministic:
/// the same rows, labels and previous versions give the same data.
package enum ReportDataBuilder {
    /// Bins of a histogram of a continuous column.
    static let histogramBins = 20

    /// The report data of a run: `criteria` are the criteria's own labels (after renames) in definition order,
    /// `prior` the version the run compares with, `membership` the run's (raw) membership, `minGroupSize` the
    /// workspace's `privacy.min_group_size`.
    package static func make(table: Table, assignment: SegmentAssignment, report: ProfileReport,
                             criteria: [(name: String, labels: LabelAssignment)], prior: PriorVersion?,
                             membership: Data, minGroupSize: Int? = nil) throws -> ReportData {
        let rows = rows(table: table, assignment: assignment, numeric: report.numericColumns.map(\.name),
                        categorical: report.categoricalColumns.map(\.name), monetary: report.monetary, named: minGroupSize ?? 1)
        return try make(rows: rows, report: report, criteria: criteria, prior: prior, membership: membership,
                        minGroupSize: minGroupSize)
    }

    /// The part of the report data read from the rows (histograms, mixes, the recency × frequency grid), which needs
    /// only the table, the segments and the profile's columns: the runner computes it while it profiles. Each
    /// histogram, mix and the grid reads its own columns, so they are computed side by side too.
    package static func rows(table: Table, assignment: SegmentAssignment, numeric names: [String], categorical: [String],
                             monetary: String?, named: Int) -> ReportData {
        var data = ReportData()
        let groups = GroupIndex(assignment: assignment)
        let numeric = names.compactMap { table[$0] }
        let categorical = categorical.compactMap { table[$0] }
        let parts = Parts(count: numeric.count + categorical.count + 1)
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            if i < numeric.count {
                parts.set(i, .histogram(histogram(numeric[i], groups)))
            } else if i < numeric.count + categorical.count {
                parts.set(i, .mix(mix(categorical[i - numeric.count], groups, named: named)))
            } else {
                parts.set(i, .grid(rfmGrid(table, monetary: monetary.flatMap { table[$0] })))
            }
        }
        for part in parts.all {
            switch part {
            case .histogram(let h): data.histograms.append(h)
            case .mix(let m): data.categoricalMix.append(m)
            case .grid(let g): data.rfmGrid = g
            }
        }
        return data
    }

    /// The report data from its `rows` part and what the run knows besides: the criteria, the versions before it.
    package static func make(rows: ReportData, report: ProfileReport, criteria: [(name: String, labels: LabelAssignment)],
                             prior: PriorVersion?, membership: Data, minGroupSize: Int?) throws -> ReportData {
        var data = rows
        if criteria.count >= 2 { data.criteria = criteriaMatrix(criteria[0], criteria[1]) }
        data.history = (prior?.history ?? []) + [point(report, version: nil)]
        if let prior, let previous = prior.membership {
            data.migration = try migration(from: prior.reference, previous, to: membership, definition: report.run.definition)
        }
        if let k = minGroupSize, k > 1 { suppress(&data, below: k) }
        return data
    }

    /// Applies `privacy.min_group_size` (see `ReportData.suppressedBelow`).
    static func suppress(_ data: inout ReportData, below k: Int) {
        data.suppressedBelow = k
        func small(_ n: Int) -> Bool { n > 0 && n < k }
        func groups(_ g: inout [ReportData.GroupCounts]) {
            for i in g.indices {
                if i > 0, g[i].counts.reduce(0, +) + g[i].missing < k {
                    g[i].counts = g[i].counts.map { _ in 0 }; g[i].missing = 0; g[i].suppressed = true
                } else {
                    g[i].counts = g[i].counts.map { small($0) ? 0 : $0 }
                    if small(g[i].missing) { g[i].missing = 0 }
                }
            }
        }
        for i in data.histograms.indices {
            groups(&data.histograms[i].groups)
            if small(data.histograms[i].clipped) { data.histograms[i].clipped = 0 }
        }
        for i in data.categoricalMix.indices { groups(&data.categoricalMix[i].groups) }
        if var grid = data.rfmGrid {
            for r in grid.count.indices {
                for c in grid.count[r].indices where small(grid.count[r][c]) {
                    grid.count[r][c] = 0
                    grid.revenue?[r][c] = 0
                }
            }
            data.rfmGrid = grid
        }
        if var m = data.criteria {
            // Ordered by customers, the axes would tell the order of counts written as 0: by label instead.
            func order(_ labels: [String]) -> [Int] {
                labels.indices.sorted { a, b in
                    let x = labels[a] == ReservedLabel.unassigned, y = labels[b] == ReservedLabel.unassigned
                    return x != y ? y : ByteOrder.less(labels[a], labels[b])
                }
            }
            let rows = order(m.rows), columns = order(m.columns)
            m.counts = rows.map { r in columns.map { c in small(m.counts[r][c]) ? 0 : m.counts[r][c] } }
            m.rows = rows.map { m.rows[$0] }
            m.columns = columns.map { m.columns[$0] }
            data.criteria = m
        }
        if var m = data.migration {
            m.cells = m.cells.filter { !small($0[2]) }
            m.flows = m.flows.filter { !small($0.count) }
            data.migration = m
        }
        for i in data.history.indices {
            data.history[i].segments = data.history[i].segments.map { s in
                ReportData.LabelCount(label: s.label, count: small(s.count) ? 0 : s.count)
            }
        }
    }

    /// One computed part of the report data.
    enum Part: Sendable {
        case histogram(ReportData.Histogram)
        case mix(ReportData.CategoryMix)
        case grid(ReportData.RFMGrid?)
    }

    /// The parts computed side by side, each written once into its own slot, read in order when all are done.
    final class Parts: @unchecked Sendable {
        private var slots: [Part?]
        private let lock = NSLock()
        let count: Int
        init(count: Int) { self.count = count; slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ part: Part) { lock.lock(); slots[i] = part; lock.unlock() }
        var all: [Part] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
    }

    /// A version's segment sizes.
    package static func point(_ r: ProfileReport, version: String?) -> ReportData.HistoryPoint {
        ReportData.HistoryPoint(version: version, runID: r.run.runID, asOf: r.run.asOf, customers: r.run.customers,
                                segments: r.segments.map { ReportData.LabelCount(label: $0.label, count: $0.count) })
    }

    /// Each row's position among the report's groups: 1… for the segments in report order (by customers, then label
    /// in byte order, as `Profiler` orders them; `(unassigned)` last); 0 is the population.
    struct GroupIndex {
        let labels: [String]
        let of: [Int]

        init(assignment: SegmentAssignment) {
            var sizes = [Int](repeating: 0, count: assignment.labels.count)
            for c in assignment.codes where c >= 0 { sizes[Int(c)] += 1 }
            let order = assignment.labels.indices.sorted {
                sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : ByteOrder.less(assignment.labels[$0], assignment.labels[$1])
            }
            var position = [Int](repeating: 0, count: assignment.labels.count)
            for (rank, code) in order.enumerated() { position[code] = rank + 1 }
            labels = [ReservedLabel.population] + order.map { assignment.labels[$0] } + [ReservedLabel.unassigned]
            let unassigned = labels.count - 1
            of = assignment.codes.map { $0 < 0 ? unassigned : position[Int($0)] }
        }

        /// Counts of `bins` per group from each row's bin (-1: missing).
        func counts(bins: Int, bin: (Int) -> Int) -> [ReportData.GroupCounts] {
            var counts = [[Int]](repeating: [Int](repeating: 0, count: bins), count: labels.count)
            var missing = [Int](repeating: 0, count: labels.count)
            for row in of.indices {
                let b = bin(row), g = of[row]
                if b < 0 { missing[g] += 1; missing[0] += 1 } else { counts[g][b] += 1; counts[0][b] += 1 }
            }
            return labels.indices.map { ReportData.GroupCounts(label: labels[$0], counts: counts[$0], missing: missing[$0]) }
        }
    }

    // MARK: - Histograms

    static func histogram(_ column: Column, _ groups: GroupIndex) -> ReportData.Histogram {
        let numbers = Self.numbers(column)
        var values = numbers.filter { !$0.isNaN }
        SortDoubles.sort(&values)
        let edges = histogramEdges(sorted: values, integral: column.type != .double)
        var clipped = 0
        let last = edges.count - 2
        let counts = groups.counts(bins: max(edges.count - 1, 0)) { row in
            let v = numbers[row]
            guard last >= 0, !v.isNaN else { return -1 }
            if v < edges[0] || v > edges[last + 1] { clipped += 1 }
            if v >= edges[last + 1] { return last }
            var lo = 0, hi = last   // the bin whose lower edge is the largest ≤ v
            while lo < hi { let mid = (lo + hi + 1) / 2; if edges[mid] <= v { lo = mid } else { hi = mid - 1 } }
            return lo
        }
        return ReportData.Histogram(column: column.name, type: column.type, edges: edges, clipped: clipped, groups: counts)
    }

    /// A numeric column's values as doubles, NaN where missing or not finite, in one pass over its storage.
    static func numbers(_ column: Column) -> [Double] {
        var out: [Double]
        switch column.storage {
        case .integer(let v): out = v.map { Double($0) }
        case .double(let v): out = v.map { $0.isFinite ? $0 : .nan }
        case .date(let v): out = v.map { Double($0) }
        case .bool(let v): out = v.map { $0 ? 1 : 0 }
        case .string(let codes, _): out = [Double](repeating: .nan, count: codes.count)
        }
        if let valid = column.validity { for i in out.indices where !valid[i] { out[i] = .nan } }
        return out
    }

    /// Edges spanning the 1st to 99th percentile (type 7), at a round step: one bin per value for integers and
    /// dates over at most 30 values, else about `histogramBins` bins. Empty for no values.
    static func histogramEdges(sorted values: [Double], integral: Bool) -> [Double] {
        guard let first = values.first, let lastValue = values.last else { return [] }
        var lo = quantile(sorted: values, 0.01) ?? first, hi = quantile(sorted: values, 0.99) ?? lastValue
        if lo == hi { lo = first; hi = lastValue }
        if integral {
            lo = lo.rounded(.down); hi = hi.rounded(.up)
            if hi - lo <= 30 { return stride(from: lo, through: hi + 1, by: 1).map { $0 } }
        }
        if lo == hi { return [lo, lo + 1] }
        var step = niceStep((hi - lo) / Double(histogramBins))
        if integral { step = max(step.rounded(.up), 1) }
        let start = (lo / step).rounded(.down) * step
        let bins = max(Int(((hi - start) / step).rounded(.up)), 1)
        return (0...bins).map { ProfileMath.round(start + Double($0) * step) ?? start }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }

    // MARK: - Categorical mix

    /// The mix of a categorical column; a value is named only when at least `named` customers hold it (the
    /// workspace's `min_group_size`), so a rare value never shows, not even as a name: it is counted in `(other)`.
    static func mix(_ column: Column, _ groups: GroupIndex, named: Int = 1) -> ReportData.CategoryMix {
        let ids = Profiler.ValueIDs(column)
        var population = [Int](repeating: 0, count: ids.names.count)
        for id in ids.ids where id >= 0 { population[Int(id)] += 1 }
        let ordered = population.indices.filter { population[$0] > 0 }.sorted { a, b in
            population[a] != population[b] ? population[a] > population[b] : ByteOrder.less(ids.names[a], ids.names[b])
        }
        let shown = Array(ordered.lazy.filter { population[$0] >= named }.prefix(ReportData.CategoryMix.limit))
        let hasOther = ordered.count > shown.count
        var slot = [Int](repeating: shown.count, count: ids.names.count)
        for (k, id) in shown.enumerated() { slot[id] = k }
        let counts = groups.counts(bins: shown.count + (hasOther ? 1 : 0)) { row in
            let id = ids.ids[row]
            return id < 0 ? -1 : slot[Int(id)]
        }
        return ReportData.CategoryMix(column: column.name, values: shown.map { ids.names[$0] } + (hasOther ? ["(other)"] : []),
                                      groups: counts)
    }

    // MARK: - Recency × frequency

    static func rfmGrid(_ table: Table, monetary: Column?) -> ReportData.RFMGrid? {
        let source: String
        let r: Binned, f: Binned
        if let rs = table["r_score"], let fs = table["f_score"] {
            source = "scores"
            r = Binned(scores: rs, descending: true); f = Binned(scores: fs, descending: false)
        } else if let rd = table["recency_days"], let fq = table["frequency"], rd.isNumeric, fq.isNumeric {
            source = "quantiles"
            r = Binned(quintiles: rd); f = Binned(quintiles: fq)
        } else {
            return nil
        }
        var count = [[Int]](repeating: [Int](repeating: 0, count: f.labels.count), count: r.labels.count)
        var revenue = [[Double]](repeating: [Double](repeating: 0, count: f.labels.count), count: r.labels.count)
        var missing = 0
        let money = monetary.map(numbers)
        for row in 0..<table.rowCount {
            let a = r.bin[row], b = f.bin[row]
            guard a >= 0, b >= 0 else { missing += 1; continue }
            count[a][b] += 1
            if let money, !money[row].isNaN { revenue[a][b] += money[row] }
        }
        return ReportData.RFMGrid(source: source, recency: r.labels, frequency: f.labels, count: count,
                                  revenue: monetary == nil ? nil : revenue.map { $0.map { ProfileMath.round($0) ?? 0 } },
                                  missing: missing)
    }

    /// Each row's bin (-1: missing) and the bins' labels.
    struct Binned {
        var bin: [Int]
        var labels: [String]

        /// Bins of integer scores: one per score, highest first when `descending`.
        init(scores: Column, descending: Bool) {
            let numbers = ReportDataBuilder.numbers(scores)
            let ordered = Set(numbers.lazy.filter { !$0.isNaN }.map { Int64($0) }).sorted(by: descending ? (>) : (<))
            var index: [Int64: Int] = [:]
            for (k, v) in ordered.enumerated() { index[v] = k }
            bin = numbers.map { $0.isNaN ? -1 : index[Int64($0)] ?? -1 }
            labels = ordered.map { "\(scores.name.prefix(1).uppercased())\($0)" }
        }

        /// Bins cut at the quintiles (type 7) of a numeric column, smallest values first; equal cuts merge.
        init(quintiles column: Column) {
            let numbers = ReportDataBuilder.numbers(column)
            var values = numbers.filter { !$0.isNaN }
            SortDoubles.sort(&values)
            var cuts: [Double] = []
            for q in [0.2, 0.4, 0.6, 0.8] {
                if let c = quantile(sorted: values, q)?.rounded(.down), c != cuts.last, c < (values.last ?? 0) { cuts.append(c) }
            }
            bin = numbers.map { v in v.isNaN ? -1 : cuts.firstIndex { v <= $0 } ?? cuts.count }
            let lows = [values.first ?? 0] + cuts.map { $0 + 1 }, highs = cuts + [values.last ?? 0]
            labels = zip(lows, highs).map { lo, hi in
                lo >= hi ? formatDouble(hi) : "\(formatDouble(lo))–\(formatDouble(hi))"
            }
        }
    }

    // MARK: - Criteria and migration

    static func criteriaMatrix(_ a: (name: String, labels: LabelAssignment),
                               _ b: (name: String, labels: LabelAssignment)) -> ReportData.CriteriaMatrix {
        func axis(_ l: LabelAssignment) -> (labels: [String], slot: [Int], none: Int) {
            var sizes = [Int](repeating: 0, count: l.labels.count), none = 0
            for c in l.codes { if c >= 0 { sizes[Int(c)] += 1 } else { none += 1 } }
            let order = l.labels.indices.filter { sizes[$0] > 0 }.sorted {
                sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : ByteOrder.less(l.labels[$0], l.labels[$1])
            }
            var slot = [Int](repeating: -1, count: l.labels.count)
            for (k, i) in order.enumerated() { slot[i] = k }
            return (order.map { l.labels[$0] } + (none > 0 ? [ReservedLabel.unassigned] : []), slot, order.count)
        }
        let (rows, rowSlot, rowNone) = axis(a.labels), (columns, colSlot, colNone) = axis(b.labels)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: columns.count), count: rows.count)
        for i in a.labels.codes.indices {
            let r = a.labels.codes[i] >= 0 ? rowSlot[Int(a.labels.codes[i])] : rowNone
            let c = b.labels.codes[i] >= 0 ? colSlot[Int(b.labels.codes[i])] : colNone
            counts[r][c] += 1
        }
        return ReportData.CriteriaMatrix(criteria: [a.name, b.name], rows: rows, columns: columns, counts: counts)
    }

    /// The migration from `previous` (its stored membership) to this run's membership, as `seg diff` counts it.
    static func migration(from previous: PreviousRun, _ before: Data, to after: Data, definition: String) throws -> ReportData.Migration {
        // Records with only what the diff reads: the definition and the memberships (numbers name the sides in errors).
        func record(_ number: Int, _ runID: String, _ membership: Data) -> VersionRecord {
            VersionRecord(number: number, createdAt: "", definition: definition, definitionText: "", definitionSHA256: "",
                          runID: runID, asOf: "", segworkVersion: "", seed: 0, frozenTime: 0, inputs: [], plugins: [],
                          customers: -1, segments: 0, profilesJSON: Data(), membershipCSV: membership)
        }
        let number = Int(previous.version.dropFirst()) ?? 0
        let d = try DiffEngine.diff(from: record(number, previous.runID, before), to: record(0, "", after), includeMovers: false)
        return ReportData.Migration(d, previous: previous)
    }
}

extension ReportData.Migration {
    /// The migration of a diff, with its largest off-diagonal flows.
    init(_ d: VersionDiff, previous: PreviousRun) {
        let flows = d.matrix.cells.filter { $0.from != $0.to }.sorted {
            $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to)
        }.prefix(Self.topFlows)
        self.init(previous: previous, labels: d.labels, cells: d.matrix.cells.map { [$0.from, $0.to, $0.count] },
                  moved: d.moved, stayed: d.stayed, entered: d.entered, left: d.left,
                  flows: flows.map { ReportData.Flow(from: d.labels[$0.from], to: d.labels[$0.to], count: $0.count) })
    }
}
