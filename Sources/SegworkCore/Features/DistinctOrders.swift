import SegworkData
/// Counts distinct order ids per customer for RFM's frequency, without sorting all transactions: the order keys
/// are bucketed by customer with a counting sort (two linear passes), then each customer's few keys are sorted
/// in place and their distinct values counted.
///
/// Keys are compared exactly as stored: integers as themselves, text by dictionary code (one code per distinct
/// text), dates as days, doubles by bit pattern, bools as 0/1.
enum DistinctOrders {
    /// Buckets up to this size are sorted by insertion sort; larger ones by the standard library's sort.
    static let smallBucket = 24

    /// Distinct order keys per customer: `owner[i]` is the customer (0..<customers) whose order `orders[i]` is
    /// counted, or negative when row `i` is not counted (unmatched, left out, or without an order id).
    static func count(owner: [Int32], customers: Int, orders: Column) -> [Int64] {
        switch orders.storage {
        case .integer(let v): return count(owner, customers, v) { $0 }
        case .string(let codes, _): return count(owner, customers, codes) { Int64($0) }
        case .date(let v): return count(owner, customers, v) { Int64($0) }
        case .double(let v): return count(owner, customers, v) { Int64(bitPattern: $0.bitPattern) }
        case .bool(let v): return count(owner, customers, v) { $0 ? 1 : 0 }
        }
    }

    @inline(__always)
    private static func count<T>(_ owner: [Int32], _ n: Int, _ values: [T], _ key: (T) -> Int64) -> [Int64] {
        precondition(owner.count == values.count, "one owner per order row")
        var freq = [Int64](repeating: 0, count: n)
        // start[c] ..< start[c + 1]: customer c's keys.
        var start = [Int](repeating: 0, count: n + 1)
        owner.withUnsafeBufferPointer { own in
            for c in own where c >= 0 { start[Int(c) + 1] += 1 }
        }
        for c in 0..<n { start[c + 1] += start[c] }
        let total = start[n]
        if total == 0 { return freq }
        var keys = [Int64](repeating: 0, count: total)
        var next = start
        keys.withUnsafeMutableBufferPointer { out in
            owner.withUnsafeBufferPointer { own in
                values.withUnsafeBufferPointer { vals in
                    next.withUnsafeMutableBufferPointer { next in
                        for i in 0..<own.count where own[i] >= 0 {
                            let c = Int(own[i])
                            out[next[c]] = key(vals[i])
                            next[c] += 1
                        }
                    }
                }
            }
            freq.withUnsafeMutableBufferPointer { freq in
                for c in 0..<n {
                    let lo = start[c], hi = start[c + 1]
                    if hi - lo < 2 { freq[c] = Int64(hi - lo); continue }
                    var bucket = UnsafeMutableBufferPointer(rebasing: out[lo..<hi])
                    if bucket.count <= smallBucket { insertionSort(bucket) } else { bucket.sort() }
                    var distinct: Int64 = 1
                    for j in 1..<bucket.count where bucket[j] != bucket[j - 1] { distinct += 1 }
                    freq[c] = distinct
                }
            }
        }
        return freq
    }

    @inline(__always)
    private static func insertionSort(_ a: UnsafeMutableBufferPointer<Int64>) {
        for i in 1..<a.count {
            let x = a[i]
            var j = i
            while j > 0 && a[j - 1] > x { a[j] = a[j - 1]; j -= 1 }
            a[j] = x
        }
    }
}
