import Dispatch

/// The assignment step of `KMeans.lloyd` with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): each
/// row keeps an upper bound on the distance to its centre and a lower bound on the distance to every other centre,
/// both moved by how far the centres moved. A row whose upper bound is below its lower bound, or below half the
/// distance from its centre to the nearest other centre, keeps its label without computing any distance: its centre
/// is then strictly the nearest, which is the label Lloyd's full scan would give. Every other row is scanned in
/// full exactly as Lloyd's step scans it (squared distances, the first centre on a tie), so the labels, and so the
/// centres, are those of plain Lloyd. The bounds are compared with a small margin for rounding.
struct KMeansBounds {
    /// Per row: upper bound on the distance to its centre (Euclidean, not squared).
    var upper: [Double]
    /// Per row: lower bound on the distance to any other centre.
    var lower: [Double]

    init(rows: Int) {
        upper = [Double](repeating: .infinity, count: rows)
        lower = [Double](repeating: 0, count: rows)
    }

    /// Relative margin on every bound comparison: far above the rounding the bound updates accumulate.
    static let margin = 1e-9

    /// Labels every row by its nearest centre (skipping rows the bounds settle unless `force`) and brings the
    /// clusters' coordinate sums and counts up to date, in block order: from scratch, or with `incremental` (every
    /// row already labelled and `sums`/`counts` those of the labels) by moving only the rows whose label changed, so
    /// settled rows are not read at all. Returns how many labels changed.
    mutating func assign(_ x: [Double], _ n: Int, _ d: Int, _ centers: [Double], _ k: Int, _ labels: inout [Int32],
                         _ sums: inout [Double], _ counts: inout [Int], force: Bool, incremental: Bool) -> Int {
        let blocks = (n + KMeans.blockRows - 1) / KMeans.blockRows
        let width = k * d + k + 1
        var partial = [Double](repeating: 0, count: blocks * width)
        // Half the distance from each centre to its nearest other centre.
        var half = [Double](repeating: .infinity, count: k)
        for a in 0..<k {
            for b in 0..<k where b != a {
                var s = 0.0
                for j in 0..<d { let t = centers[a * d + j] - centers[b * d + j]; s += t * t }
                half[a] = min(half[a], 0.5 * s.squareRoot())
            }
        }
        let halves = half, margin = Self.margin
        precondition(!incremental || !labels.contains(-1), "incremental sums need every row labelled")
        x.withUnsafeBufferPointer { xs in
            centers.withUnsafeBufferPointer { cs in
                labels.withUnsafeMutableBufferPointer { ls in
                    upper.withUnsafeMutableBufferPointer { us in
                        lower.withUnsafeMutableBufferPointer { lows in
                            partial.withUnsafeMutableBufferPointer { ps in
                                // Each block writes only its own rows of `labels`, `upper` and `lower` and its own
                                // slice of `partial`, so the blocks never touch the same memory.
                                nonisolated(unsafe) let (xp, cp, lp, up, lowp, pp) = (xs.baseAddress!, cs.baseAddress!, ls.baseAddress!, us.baseAddress!, lows.baseAddress!, ps.baseAddress!)
                                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                                    let lo = b * KMeans.blockRows, hi = min(n, lo + KMeans.blockRows)
                                    let out = pp + b * width
                                    var changed = 0
                                    for i in lo..<hi {
                                        let row = xp + i * d
                                        var label = Int(lp[i])
                                        scan: if force || label < 0 {
                                            break scan
                                        } else {
                                            let bound = max(halves[label], lowp[i])
                                            if up[i] * (1 + margin) < bound * (1 - margin) { break scan }
                                            let ctr = cp + label * d
                                            var s = 0.0
                                            for j in 0..<d { let t = row[j] - ctr[j]; s += t * t }
                                            up[i] = s.squareRoot()
                                            if up[i] * (1 + margin) < bound * (1 - margin) { break scan }
                                            label = -1
                                        }
                                        if force || label < 0 {
                                            var best = 0, bestD = Double.infinity, second = Double.infinity
                                            for c in 0..<k {
                                                let ctr = cp + c * d
                                                var s = 0.0
                                                for j in 0..<d { let t = row[j] - ctr[j]; s += t * t }
                                                if s < bestD { second = bestD; bestD = s; best = c } else if s < second { second = s }
                                            }
                                            let old = Int(lp[i])
                                            if old != best {
                                                changed += 1; lp[i] = Int32(best)
                                                if incremental {
                                                    let into = out + best * d, from = out + old * d
                                                    for j in 0..<d { into[j] += row[j]; from[j] -= row[j] }
                                                    out[k * d + best] += 1; out[k * d + old] -= 1
                                                }
                                            }
                                            up[i] = bestD.squareRoot(); lowp[i] = second.squareRoot()
                                            label = best
                                        }
                                        if !incremental {
                                            let acc = out + label * d
                                            for j in 0..<d { acc[j] += row[j] }
                                            out[k * d + label] += 1
                                        }
                                    }
                                    out[k * d + k] = Double(changed)
                                }
                            }
                        }
                    }
                }
            }
        }
        if !incremental {
            for i in sums.indices { sums[i] = 0 }
            for c in 0..<k { counts[c] = 0 }
        }
        var changed = 0
        for b in 0..<blocks {
            let base = b * width
            for i in 0..<(k * d) { sums[i] += partial[base + i] }
            for c in 0..<k { counts[c] += Int(partial[base + k * d + c]) }
            changed += Int(partial[base + k * d + k])
        }
        return changed
    }

    /// Moves the bounds after the centres moved from `old` to `new`: a row's upper bound grows by how far its centre
    /// moved, its lower bound shrinks by the farthest any other centre moved.
    mutating func move(_ old: [Double], _ new: [Double], _ k: Int, _ d: Int, _ labels: [Int32]) {
        var delta = [Double](repeating: 0, count: k)
        for c in 0..<k {
            var s = 0.0
            for j in 0..<d { let t = new[c * d + j] - old[c * d + j]; s += t * t }
            delta[c] = s.squareRoot()
        }
        var first = 0
        for c in 1..<max(k, 1) where delta[c] > delta[first] { first = c }
        var second = 0.0
        for c in 0..<k where c != first { second = max(second, delta[c]) }
        let n = labels.count
        let (moved, top, next) = (delta, first, second)
        upper.withUnsafeMutableBufferPointer { us in
            lower.withUnsafeMutableBufferPointer { lows in
                labels.withUnsafeBufferPointer { ls in
                    // Each block writes only its own rows.
                    nonisolated(unsafe) let (up, lowp, lp) = (us.baseAddress!, lows.baseAddress!, ls.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: (n + KMeans.blockRows - 1) / KMeans.blockRows) { b in
                        for i in (b * KMeans.blockRows)..<min(n, (b + 1) * KMeans.blockRows) {
                            let a = Int(lp[i])
                            guard a >= 0 else { continue }
                            up[i] += moved[a]
                            lowp[i] -= a == top ? next : moved[top]
                        }
                    }
                }
            }
        }
    }

    /// Squared distance of every row to its labelled centre.
    static func distances(_ x: [Double], _ n: Int, _ d: Int, _ centers: [Double], _ labels: [Int32]) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { os in
                // Each block writes only its own rows of `out`.
                nonisolated(unsafe) let (xp, op) = (xs.baseAddress!, os.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: (n + KMeans.blockRows - 1) / KMeans.blockRows) { b in
                    for i in (b * KMeans.blockRows)..<min(n, (b + 1) * KMeans.blockRows) {
                        let c = Int(labels[i])
                        var s = 0.0
                        for j in 0..<d { let t = xp[i * d + j] - centers[c * d + j]; s += t * t }
                        op[i] = s
                    }
                }
            }
        }
        return out
    }
}
