import LuaHost

/// How many most frequent values `statistics()` lists.
package let topValueLimit = 20

extension Column {
    /// Statistics for `prepare` and profiles: count, missing, min/max/mean/sum and percentiles 0…100 (type 7 linear
    /// interpolation, numpy default) for integer/double columns; distinct and top-20 (count desc, then value asc) for
    /// string and bool columns (bool as "true"/"false"); dates: numeric stats over days AND nothing else.
    ///
    /// Details: a NaN in a double column is left out of every numeric figure and counted as missing. The sum is
    /// taken in Double (compensated, so integer sums stay exact up to 2^53 and never overflow); it is 0 when there
    /// are no values, while min, max and mean are nil and percentiles empty. Ties in `top` are ordered by the
    /// values' UTF-8 bytes. Dictionary entries that spell the same text are counted together.
    public func statistics() -> ColumnStatistics {
        switch storage {
        case .integer(let v):
            return Column.numeric(total: v.count) { add in
                for i in 0..<v.count where isValid(i) { add(Double(v[i])) }
            }
        case .double(let v):
            return Column.numeric(total: v.count) { add in
                for i in 0..<v.count where isValid(i) && !v[i].isNaN { add(v[i]) }
            }
        case .date(let v):
            return Column.numeric(total: v.count) { add in
                for i in 0..<v.count where isValid(i) { add(Double(v[i])) }
            }
        case .bool(let v):
            var t = 0, f = 0
            for i in 0..<v.count where isValid(i) { if v[i] { t += 1 } else { f += 1 } }
            return Column.categorical(total: v.count, counts: [("false", f), ("true", t)])
        case .string(let codes, let dictionary):
            var counts = [Int](repeating: 0, count: dictionary.count)
            for i in 0..<codes.count where isValid(i) { counts[Int(codes[i])] += 1 }
            return Column.categorical(total: codes.count, counts: zip(dictionary, counts).map { ($0, $1) })
        }
    }

    /// Same, restricted to the given row indices (used per segment). A row listed twice counts twice.
    public func statistics(rows: [Int]) -> ColumnStatistics {
        switch storage {
        case .integer(let v):
            return Column.numeric(total: rows.count) { add in
                for i in rows where isValid(i) { add(Double(v[i])) }
            }
        case .double(let v):
            return Column.numeric(total: rows.count) { add in
                for i in rows where isValid(i) && !v[i].isNaN { add(v[i]) }
            }
        case .date(let v):
            return Column.numeric(total: rows.count) { add in
                for i in rows where isValid(i) { add(Double(v[i])) }
            }
        case .bool(let v):
            var t = 0, f = 0
            for i in rows where isValid(i) { if v[i] { t += 1 } else { f += 1 } }
            return Column.categorical(total: rows.count, counts: [("false", f), ("true", t)])
        case .string(let codes, let dictionary):
            var counts = [Int](repeating: 0, count: dictionary.count)
            for i in rows where isValid(i) { counts[Int(codes[i])] += 1 }
            return Column.categorical(total: rows.count, counts: zip(dictionary, counts).map { ($0, $1) })
        }
    }

    /// Numeric statistics of the values `fill` adds, out of `total` rows.
    private static func numeric(total: Int, _ fill: ((Double) -> Void) -> Void) -> ColumnStatistics {
        var values: [Double] = []
        values.reserveCapacity(total)
        fill { values.append($0) }
        let n = values.count
        guard n > 0 else { return ColumnStatistics(count: 0, missing: total, sum: 0) }
        SortDoubles.sort(&values)
        return values.withUnsafeBufferPointer { s in
            // Neumaier's compensated sum; plain when an infinity is present (compensation would make NaN).
            var sum = 0.0
            if s[0].isFinite && s[n - 1].isFinite {
                var c = 0.0
                for x in s {
                    let t = sum + x
                    c += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
                    sum = t
                }
                sum += c
            } else {
                for x in s { sum += x }
            }
            var p = [Double]()
            p.reserveCapacity(101)
            for k in 0...100 { p.append(quantile7(s, Double(k) / 100)) }
            return ColumnStatistics(count: n, missing: total - n, min: s[0], max: s[n - 1], mean: sum / Double(n),
                                    sum: sum, percentiles: p)
        }
    }

    /// Distinct count and most frequent values from (value, count) pairs; pairs with equal text are merged.
    private static func categorical(total: Int, counts: [(String, Int)]) -> ColumnStatistics {
        var merged: [(value: String, count: Int)] = []
        var position: [String: Int] = [:]
        var present = 0
        for (value, count) in counts where count > 0 {
            present += count
            if let p = position[value] { merged[p].count += count } else {
                position[value] = merged.count
                merged.append((value, count))
            }
        }
        func before(_ a: (value: String, count: Int), _ b: (value: String, count: Int)) -> Bool {
            a.count != b.count ? a.count > b.count : a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
        // Keep the best `topValueLimit` in order with binary insertion: O(distinct × log 20).
        var top: [(value: String, count: Int)] = []
        top.reserveCapacity(topValueLimit + 1)
        for e in merged {
            if top.count == topValueLimit, !before(e, top[topValueLimit - 1]) { continue }
            var lo = 0, hi = top.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(top[mid], e) { lo = mid + 1 } else { hi = mid }
            }
            top.insert(e, at: lo)
            if top.count > topValueLimit { top.removeLast() }
        }
        return ColumnStatistics(count: present, missing: total - present, distinct: merged.count,
                                top: top.map { ColumnStatistics.ValueCount(value: $0.value, count: $0.count) })
    }
}

extension ColumnStatistics {
    /// The statistics of a personal (`pii: true`) column as plugins see them in `prepare`: the counts (`count`,
    /// `missing`, `distinct`) only. Values (`min`, `max`, `mean`, `sum`, percentiles, `top`) are withheld, since a
    /// plugin could copy them into its parameters, which the run records and exports.
    public func withholdingValues() -> ColumnStatistics {
        var s = self
        s.min = nil; s.max = nil; s.mean = nil; s.sum = nil
        s.percentiles = []
        s.top = []
        return s
    }
}
