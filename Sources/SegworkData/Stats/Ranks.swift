/// Ranks of a column as pandas' `Series.rank` computes them, by one sort (O(n log n)).
///
/// Every function takes finite values only (callers leave missing values out); ranks are 1-based doubles.
package enum Ranks {
    /// One value and its place in tie order.
    private struct Entry {
        var value: Double
        var place: UInt32
    }

    /// Positions `0..<values.count` in ascending order of value; equal values in ascending order of `tie[i]`
    /// (non-negative; when given), then of position. This is the order pandas' `rank(method="first")` numbers in.
    /// Tie order is settled first (one sort of packed integers), so the main sort compares a value and one integer.
    package static func order(_ values: [Double], tie: [Int32]? = nil) -> [Int32] {
        precondition(tie == nil || tie!.count == values.count, "one tie key per value")
        let n = values.count
        // byPlace[k]: the position that comes k-th in (tie, position) order.
        var byPlace: [Int32]
        if let tie {
            var keys = (0..<n).map { UInt64(UInt32(bitPattern: tie[$0])) << 32 | UInt64($0) }
            keys.sort()
            byPlace = keys.map { Int32(truncatingIfNeeded: $0) }
        } else {
            byPlace = (0..<n).map { Int32($0) }
        }
        // Whole numbers from 0 to 2^32 - 1 (recency, frequency): value and place packed into one integer each.
        if values.allSatisfy({ $0 >= 0 && $0 < 4_294_967_296 && $0 == $0.rounded(.down) }) {
            var keys = (0..<n).map { k in UInt64(values[Int(byPlace[k])]) << 32 | UInt64(k) }
            keys.sort()
            return keys.map { byPlace[Int(UInt32(truncatingIfNeeded: $0))] }
        }
        var entries = byPlace.enumerated().map { Entry(value: values[Int($0.element)], place: UInt32($0.offset)) }
        entries.sort { a, b in a.value < b.value || (a.value == b.value && a.place < b.place) }
        return entries.map { byPlace[Int($0.place)] }
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

    /// `idOrder` for text ids, by their UTF-8 bytes. With `numeric`, when every id is an integer written in decimal
    /// (`7`, `0007`, `-3`), they compare as numbers, ties (`7` and `007`) by their bytes: pandas reads such an id
    /// column as integers, so its `groupby` (and every recipe ranking in that order) sorts them numerically.
    package static func idOrder(texts ids: [String], numeric: Bool = false) -> [Int32] {
        let bytes = ids.map { Array($0.utf8) }
        let numbers = numeric ? ids.map { Int64($0) } : [nil]
        if !numbers.contains(nil) {
            let n = numbers.map { $0! }
            return denseKeys(count: ids.count) { n[$0] != n[$1] ? n[$0] < n[$1] : bytes[$0].lexicographicallyPrecedes(bytes[$1]) }
                equal: { bytes[$0] == bytes[$1] }
        }
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
