import Dispatch

/// The mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances, as scikit-learn's
/// `silhouette_score(X, labels)` computes it: for each row, a = mean distance to the other rows of its cluster,
/// b = the least mean distance to the rows of another cluster, s = (b − a) / max(a, b), and s = 0 for a row alone
/// in its cluster. Quadratic in the rows: callers pass a sample (see `SplitMix64.sample`).
package enum Silhouette {
    /// The mean silhouette of `rows` rows (row-major, `cols` wide) labelled 0..<k, or nil unless 2 ≤ clusters
    /// present ≤ rows − 1 (where scikit-learn raises).
    package static func score(_ x: [Double], rows n: Int, cols d: Int, labels: [Int32], k: Int) -> Double? {
        precondition(x.count == n * d && labels.count == n)
        var counted = [Int](repeating: 0, count: k)
        for l in labels { counted[Int(l)] += 1 }
        let sizes = counted
        let present = sizes.filter { $0 > 0 }.count
        guard present >= 2, present <= n - 1 else { return nil }
        var s = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            s.withUnsafeMutableBufferPointer { ss in
                // Each iteration writes only its own entry of `s`.
                nonisolated(unsafe) let (xp, sp) = (xs.baseAddress!, ss.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: (n + 63) / 64) { b in
                    var totals = [Double](repeating: 0, count: k)
                    for i in (b * 64)..<min(n, b * 64 + 64) {
                        for c in 0..<k { totals[c] = 0 }
                        let row = xp + i * d
                        for other in 0..<n where other != i {
                            let o = xp + other * d
                            var t = 0.0
                            for j in 0..<d { let e = row[j] - o[j]; t += e * e }
                            totals[Int(labels[other])] += t.squareRoot()
                        }
                        let own = Int(labels[i])
                        guard sizes[own] > 1 else { sp[i] = 0; continue }
                        let a = totals[own] / Double(sizes[own] - 1)
                        var bMin = Double.infinity
                        for c in 0..<k where c != own && sizes[c] > 0 { bMin = min(bMin, totals[c] / Double(sizes[c])) }
                        let m = max(a, bMin)
                        sp[i] = m > 0 ? (bMin - a) / m : 0
                    }
                }
            }
        }
        return s.reduce(0, +) / Double(n)
    }
}
