import Foundation
import SegworkData

/// Computes segment profiles: for every segment, the unassigned group and the whole population,
/// the customer count and share, numeric statistics with an index against the population, the top
/// values of categorical columns with their lift, and revenue totals. Results are deterministic:
/// they depend only on the table, the assignment and the options, never on hashing or addresses.
package enum Profiler {
    /// The label of the whole-population profile.
    public static let populationLabel = ReservedLabel.population
    /// The label of the unassigned group.
    public static let unassignedLabel = ReservedLabel.unassigned

    /// Profiles of the segments (by count descending, ties by label in byte order) followed by the
    /// unassigned group, which is always present, even with 0 customers. Use
    /// ``profiles(table:assignment:options:)`` to also get the population profile.
    ///
    /// Throws ``ProfileError`` when a named column is missing from the table (the message lists the
    /// available columns), has a type that does not fit its role, or the assignment does not match the table.
    public static func profile(table: Table, assignment: SegmentAssignment,
                               options: ProfileOptions) throws -> [SegmentProfile] {
        try profiles(table: table, assignment: assignment, options: options).segments
    }

    /// The population profile, the segment profiles in report order, and the profiled columns.
    public static func profiles(table: Table, assignment: SegmentAssignment,
                                options: ProfileOptions) throws -> ProfileSet {
        try validate(assignment: assignment, rows: table.rowCount, topN: options.topN)
        let numericColumns = try resolve(options.numeric, role: "numeric", in: table,
                                         allowed: [.integer, .double, .date])
        let categoricalColumns = try resolve(options.categorical, role: "categorical", in: table,
                                             allowed: ColumnType.allCases)
        // One column in both roles would give two different `missing` rows for it in the tidy CSV.
        if let both = options.categorical.first(where: options.numeric.contains) {
            throw ProfileError.duplicateColumn(name: both, role: "numeric and categorical")
        }
        let monetary = try options.monetary.map {
            try resolve([$0], role: "monetary", in: table, allowed: [.integer, .double])[0]
        }

        let groups = Groups(assignment: assignment)
        let n = table.rowCount
        // Index `groups.count` stands for the population in every per-group array below.
        let numeric = numericColumns.map { numericSummaries($0, groups: groups) }
        let categorical = categoricalColumns.map { categoricalSummaries($0, groups: groups, topN: options.topN) }
        let revenue = monetary.map { revenues($0, groups: groups) }
        let totalRevenue = revenue?[groups.count]

        func make(_ g: Int, label: String, unassigned: Bool) -> SegmentProfile {
            let count = g == groups.count ? n : groups.sizes[g]
            return SegmentProfile(
                label: label, unassigned: unassigned, count: count,
                share: ProfileMath.round(ProfileMath.ratio(Double(count), Double(n))),
                revenue: ProfileMath.round(revenue?[g]),
                revenueShare: ProfileMath.round(ProfileMath.ratio(revenue?[g], totalRevenue)),
                numeric: numeric.map { $0[g] }, categorical: categorical.map { $0[g] })
        }

        let population = make(groups.count, label: populationLabel, unassigned: false)
        var segments = assignment.labels.indices.map { make($0, label: assignment.labels[$0], unassigned: false) }
        segments.sort { a, b in
            a.count != b.count ? a.count > b.count : ByteOrder.less(a.label, b.label)
        }
        segments.append(make(groups.unassigned, label: unassignedLabel, unassigned: true))
        return SegmentDrivers.attach(ProfileSet(
            population: population, segments: segments,
            numericColumns: numericColumns.map { ProfiledColumn(name: $0.name, type: $0.type) },
            categoricalColumns: categoricalColumns.map { ProfiledColumn(name: $0.name, type: $0.type) },
            monetary: monetary?.name))
    }

    // MARK: - Validation

    private static func validate(assignment: SegmentAssignment, rows: Int, topN: Int) throws {
        if topN < 0 { throw ProfileError.badTopN(topN) }
        if assignment.codes.count != rows {
            throw ProfileError.rowCountMismatch(codes: assignment.codes.count, rows: rows)
        }
        var seen = Set<String>()
        for label in assignment.labels {
            if label.isEmpty || label == populationLabel || label == unassignedLabel {
                throw ProfileError.reservedLabel(label)
            }
            if !seen.insert(label).inserted { throw ProfileError.duplicateLabel(label) }
        }
        let k = Int32(assignment.labels.count)
        for (row, code) in assignment.codes.enumerated() where code < -1 || code >= k {
            throw ProfileError.badCode(row: row, code: code, labels: Int(k))
        }
    }

    private static func resolve(_ names: [String], role: String, in table: Table,
                                allowed: [ColumnType]) throws -> [Column] {
        var seen = Set<String>()
        return try names.map { name in
            guard seen.insert(name).inserted else { throw ProfileError.duplicateColumn(name: name, role: role) }
            guard let column = table[name] else {
                throw ProfileError.unknownColumn(name: name, role: role, available: table.columnNames)
            }
            guard allowed.contains(column.type) else {
                throw ProfileError.wrongType(name: name, role: role, type: column.type, allowed: allowed)
            }
            return column
        }
    }

    // MARK: - Statistics

    /// Group index of every row: segment codes as they are, unassigned rows in group `labels.count`.
    private struct Groups {
        /// Groups: one per label plus the unassigned group.
        let count: Int
        /// The unassigned group's index.
        let unassigned: Int
        /// Group of each row.
        let of: [Int]
        /// Rows per group.
        let sizes: [Int]

        init(assignment: SegmentAssignment) {
            unassigned = assignment.labels.count
            count = unassigned + 1
            of = assignment.codes.map { $0 < 0 ? assignment.labels.count : Int($0) }
            var sizes = [Int](repeating: 0, count: count)
            for g in of { sizes[g] += 1 }
            self.sizes = sizes
        }
    }

    /// Numeric summaries per group, then the population's at index `groups.count`.
    private static func numericSummaries(_ column: Column, groups: Groups) -> [NumericSummary] {
        var values = [[Double]](repeating: [], count: groups.count)
        var all: [Double] = []
        var missing = [Int](repeating: 0, count: groups.count)
        for row in 0..<column.count {
            let g = groups.of[row]
            if let v = column.double(at: row), v.isFinite {
                values[g].append(v); all.append(v)
            } else {
                missing[g] += 1
            }
        }
        SortDoubles.sort(&all)
        let populationMean = all.isEmpty ? nil : ProfileMath.sum(all) / Double(all.count)
        func summary(_ sorted: [Double], missing: Int) -> NumericSummary {
            let mean = sorted.isEmpty ? nil : ProfileMath.sum(sorted) / Double(sorted.count)
            let index = ProfileMath.ratio(mean, populationMean).map { $0 * 100 }
            return NumericSummary(
                column: column.name, count: sorted.count, missing: missing,
                mean: ProfileMath.round(mean),
                median: ProfileMath.round(quantile(sorted: sorted, 0.5)),
                p25: ProfileMath.round(quantile(sorted: sorted, 0.25)),
                p75: ProfileMath.round(quantile(sorted: sorted, 0.75)),
                min: ProfileMath.round(sorted.first), max: ProfileMath.round(sorted.last),
                index: ProfileMath.round(index), sd: ProfileMath.round(ProfileMath.sampleSD(sorted, mean: mean)))
        }
        var result = (0..<groups.count).map { summary(SortDoubles.sorted(values[$0]), missing: missing[$0]) }
        result.append(summary(all, missing: missing.reduce(0, +)))
        return result
    }

    /// Revenue per group (missing and non-finite values add nothing), then the total at `groups.count`.
    private static func revenues(_ column: Column, groups: Groups) -> [Double] {
        var sums = [Double](repeating: 0, count: groups.count + 1)
        for row in 0..<column.count {
            guard let v = column.double(at: row), v.isFinite else { continue }
            sums[groups.of[row]] += v
            sums[groups.count] += v
        }
        return sums
    }

    /// Categorical summaries per group, then the population's at index `groups.count`.
    private static func categoricalSummaries(_ column: Column, groups: Groups, topN: Int) -> [CategoricalSummary] {
        let values = ValueIDs(column)
        var counts = [[Int32: Int]](repeating: [:], count: groups.count)
        var populationCounts = [Int](repeating: 0, count: values.names.count)
        var missing = [Int](repeating: 0, count: groups.count)
        for row in 0..<column.count {
            let g = groups.of[row]
            let id = values.ids[row]
            if id < 0 { missing[g] += 1; continue }
            counts[g][id, default: 0] += 1
            populationCounts[Int(id)] += 1
        }
        let n = Double(column.count)
        func summary(_ counted: [(id: Int32, count: Int)], size: Int, missing: Int) -> CategoricalSummary {
            let ordered = counted.sorted { a, b in
                a.count != b.count ? a.count > b.count
                    : ByteOrder.less(values.names[Int(a.id)], values.names[Int(b.id)])
            }
            let top = ordered.prefix(topN).map { entry -> TopValue in
                let share = ProfileMath.ratio(Double(entry.count), Double(size))
                let populationShare = ProfileMath.ratio(Double(populationCounts[Int(entry.id)]), n)
                return TopValue(value: values.names[Int(entry.id)], count: entry.count,
                                share: ProfileMath.round(share),
                                lift: ProfileMath.round(ProfileMath.ratio(share, populationShare)))
            }
            return CategoricalSummary(
                column: column.name, missing: missing,
                missingShare: ProfileMath.round(ProfileMath.ratio(Double(missing), Double(size))),
                distinct: counted.count, top: Array(top))
        }
        var result = (0..<groups.count).map { g in
            summary(counts[g].map { (id: $0.key, count: $0.value) }, size: groups.sizes[g], missing: missing[g])
        }
        let population = populationCounts.enumerated().compactMap { i, c in c > 0 ? (id: Int32(i), count: c) : nil }
        result.append(summary(population, size: column.count, missing: missing.reduce(0, +)))
        return result
    }

    /// Each row's value as a dense id into `names` (-1 when missing); texts equal in NFC share one id, named in NFC.
    struct ValueIDs {
        var ids: [Int32]
        var names: [String] = []

        init(_ column: Column) {
            var lookup: [String: Int32] = [:]
            var names: [String] = []
            func id(_ text: String) -> Int32 {
                if let i = lookup[text] { return i }
                let i = Int32(names.count)
                lookup[text] = i; names.append(text)
                return i
            }
            if case .string(let codes, let dictionary) = column.storage {
                // Map dictionary entries once, then rows by code. Values are compared in Unicode NFC (the column's
                // dictionary is keyed by bytes, so `café` precomposed and decomposed are two entries): both forms
                // are one value, shown in NFC, whichever came first.
                let byCode = dictionary.map { id($0.utf8.allSatisfy { $0 < 0x80 } ? $0 : $0.precomposedStringWithCanonicalMapping) }
                ids = codes.indices.map { column.isValid($0) ? byCode[Int(codes[$0])] : -1 }
            } else {
                ids = (0..<column.count).map { row in column.string(at: row).map { id($0) } ?? -1 }
            }
            self.names = names
        }
    }
}
