/// Ranks of a column as pandas' `Series.rank` computes them, by one sort (O(n log n)).
///
/// Every function takes finite values only (callers leave missing values out); ranks are 1-based doubles.
package enum Ranks {
    /// One value with its tie-break key and position, sorted by value, then tie key, then position.
    private struct Entry {
        var value: Double
        var tie: Int32
        var index: Int32
    }

    /// Positions `0..<values.count` in ascending order of value; equal values in ascending order of `tie[i]`
    /// (when given), then of position. This is the order pandas' `rank(method="first")` numbers in.
    package static func order(_ values: [Double], tie: [Int32]? = nil) -> [Int32] {
        precondition(tie == nil || tie!.count == values.count, "one tie key per value")
        var entries = [Entry]()
        entries.reserveCapacity(values.count)
        for i in values.indices {
            entries.append(Entry(value: values[i], tie: tie?[i] ?? 0, index: Int32(i)))
        }
        entries.sort { a, b in
            if a.value != b.value { return a.value < b.value }
            if a.tie != b.tie { return a.tie < b.tie }
            return a.index < b.index
        }
        return entries.map(\.index)
    }

    /// pandas `rank(method="first")`: 1…n, equal values numbered in ascending `tie` order (or position order).
    package static func first(_ values: [Double], tie: [Int32]? = nil) -> [Double] {
        let sorted = order(values, tie: tie)
        var ranks = [Double](repeating: 0, count: values.count)
        for (r, i) in sorted.enumerated() { ranks[Int(i)] = Double(r + 1) }
        return ranks
    }

    /// pandas `rank(method="average")`: equal values share the mean of the ranks they span.
    package static func average(_ values: [Double]) -> [Double] {
        let sorted = order(values)
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < sorted.count {
            var end = start + 1
            let v = values[Int(sorted[start])]
            while end < sorted.count && values[Int(sorted[end])] == v { end += 1 }
            // Positions start..<end hold ranks start+1 … end; their mean.
            let mean = Double(start + 1 + end) / 2
            for k in start..<end { ranks[Int(sorted[k])] = mean }
            start = end
        }
        return ranks
    }

    /// The rank (0-based) of each id in ascending id order, for breaking ties "by id": integers compare as
    /// numbers, text by its UTF-8 bytes (Python's and pandas' code-point order). Equal ids share a key.
    package static func idOrder(integers ids: [Int64]) -> [Int32] {
        denseKeys(count: ids.count) { ids[$0] < ids[$1] } equal: { ids[$0] == ids[$1] }
    }

    /// `idOrder` for text ids.
    package static func idOrder(texts ids: [String]) -> [Int32] {
        let bytes = ids.map { Array($0.utf8) }
        return denseKeys(count: ids.count) { bytes[$0].lexicographicallyPrecedes(bytes[$1]) } equal: { bytes[$0] == bytes[$1] }
    }

    private static func denseKeys(count: Int, less: (Int, Int) -> Bool, equal: (Int, Int) -> Bool) -> [Int32] {
        let sorted = (0..<count).sorted(by: less)
        var keys = [Int32](repeating: 0, count: count)
        var key: Int32 = 0
        for (k, i) in sorted.enumerated() {
            if k > 0 && !equal(sorted[k - 1], i) { key += 1 }
            keys[i] = key
        }
        return keys
    }
}
