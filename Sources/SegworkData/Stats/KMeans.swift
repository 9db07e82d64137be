import Dispatch

/// k-means clustering (Lloyd's algorithm, as scikit-learn's `KMeans(algorithm="lloyd")` runs it) over a row-major
/// matrix of doubles, with k-means++ seeding (`KMeansSeeding`).
///
/// The row loop runs on every core, in fixed blocks of `blockRows` rows whose partial sums are added in block
/// order: the result does not depend on how many threads ran or in which order they finished.
package enum KMeans {
    /// Rows per parallel block. The blocks, not the threads, fix the order of every floating-point sum.
    package static let blockRows = 8192

    /// What one fit found.
    package struct Result: Sendable, Equatable {
        /// k × cols centres, row-major.
        package var centers: [Double]
        /// The nearest centre of each row, 0..<k.
        package var labels: [Int32]
        /// Sum of squared distances of the rows to their centres.
        package var inertia: Double
        /// Lloyd iterations run.
        package var iterations: Int
    }

    /// The absolute tolerance scikit-learn derives from `tol`: the mean of the columns' variances (population
    /// variance, ddof 0) times `tol`.
    package static func tolerance(_ x: [Double], rows: Int, cols: Int, tol: Double) -> Double {
        guard rows > 0, cols > 0 else { return 0 }
        var total = 0.0
        for j in 0..<cols {
            var mean = 0.0
            for i in 0..<rows { mean += x[i * cols + j] }
            mean /= Double(rows)
            var v = 0.0
            for i in 0..<rows { let d = x[i * cols + j] - mean; v += d * d }
            total += v / Double(rows)
        }
        return total / Double(cols) * tol
    }

    /// Fits k-means from k-means++ seeds: `restarts` seedings from one generator seeded with `seed`, the fit with
    /// the least inertia kept (the first on ties). `tol` is relative, as in scikit-learn (see `tolerance`).
    package static func fit(_ x: [Double], rows: Int, cols: Int, k: Int, seed: UInt64, restarts: Int = 1,
                            maxIterations: Int = 300, tol: Double = 1e-4) -> Result {
        precondition(k >= 1 && k <= rows, "k-means: k = \(k) for \(rows) rows")
        var rng = SplitMix64(seed: seed)
        let absolute = tolerance(x, rows: rows, cols: cols, tol: tol)
        var best: Result?
        for _ in 0..<max(1, restarts) {
            let initial = KMeansSeeding.plusPlus(x, rows: rows, cols: cols, k: k, rng: &rng)
            let r = lloyd(x, rows: rows, cols: cols, initial: initial, maxIterations: maxIterations, tolerance: absolute)
            if best == nil || r.inertia < best!.inertia { best = r }
        }
        return best!
    }

    /// Lloyd's algorithm from the given centres (k × cols, row-major), exactly as scikit-learn's
    /// `_kmeans_single_lloyd`: assign, move the centres to their means; stop when no label changed ("strict
    /// convergence") or when the centres' squared shift summed is at most `tolerance` (absolute), or after
    /// `maxIterations`; then, unless converged strictly, label the rows once more by the final centres. An empty
    /// cluster takes the row farthest from its centre.
    package static func lloyd(_ x: [Double], rows n: Int, cols d: Int, initial: [Double], maxIterations: Int,
                              tolerance: Double) -> Result {
        let k = initial.count / d
        precondition(k >= 1 && initial.count == k * d && x.count == n * d)
        var centers = initial
        var labels = [Int32](repeating: -1, count: n)
        var bounds = KMeansBounds(rows: n)
        var iterations = 0
        var strict = false
        var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
        // After the first iteration only the rows that change cluster move the sums, unless an empty cluster took a
        // row (its sums then no longer follow the labels, as in scikit-learn, and are recomputed).
        var incremental = false
        for _ in 0..<maxIterations {
            iterations += 1
            let changed = bounds.assign(x, n, d, centers, k, &labels, &sums, &counts, force: false, incremental: incremental)
            incremental = true
            var next = centers
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { next[c * d + j] = sums[c * d + j] / Double(counts[c]) }
            }
            let empty = (0..<k).filter { counts[$0] == 0 }
            if !empty.isEmpty {
                let distances = KMeansBounds.distances(x, n, d, centers, labels)
                relocate(empty, x, d, labels, distances, &next, &sums, &counts)
                incremental = false
            }
            var shift = 0.0
            for i in 0..<(k * d) { let s = next[i] - centers[i]; shift += s * s }
            bounds.move(centers, next, k, d, labels)
            centers = next
            if changed == 0 { strict = true; break }
            if shift <= tolerance { break }
        }
        if !strict { _ = bounds.assign(x, n, d, centers, k, &labels, &sums, &counts, force: true, incremental: false) }
        // Inertia against the final centres, summed in block order.
        let final = KMeansBounds.distances(x, n, d, centers, labels)
        let inertia = blockSum(n) { lo, hi in
            var s = 0.0
            for i in lo..<hi { s += final[i] }
            return s
        }
        return Result(centers: centers, labels: labels, inertia: inertia, iterations: iterations)
    }

    /// scikit-learn's `_relocate_empty_clusters_dense`: each empty cluster takes one of the rows farthest from
    /// their centres (farthest first, ties by row order), which leaves its old cluster.
    private static func relocate(_ empty: [Int], _ x: [Double], _ d: Int, _ labels: [Int32], _ distances: [Double],
                                 _ next: inout [Double], _ sums: inout [Double], _ counts: inout [Int]) {
        let far = distances.indices.sorted { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1 }
            .prefix(empty.count)
        for (c, row) in zip(empty, far) {
            let old = Int(labels[row])
            for j in 0..<d {
                next[c * d + j] = x[row * d + j]
                sums[old * d + j] -= x[row * d + j]
            }
            counts[old] -= 1
            counts[c] = 1
            if counts[old] > 0 {
                for j in 0..<d { next[old * d + j] = sums[old * d + j] / Double(counts[old]) }
            }
        }
    }

    /// A sum over `0..<n` computed in blocks of `blockRows` on every core and added in block order.
    package static func blockSum(_ n: Int, _ body: @Sendable (Int, Int) -> Double) -> Double {
        let blocks = (n + blockRows - 1) / blockRows
        guard blocks > 0 else { return 0 }
        var partial = [Double](repeating: 0, count: blocks)
        partial.withUnsafeMutableBufferPointer { ps in
            nonisolated(unsafe) let pp = ps.baseAddress!
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                pp[b] = body(b * blockRows, min(n, (b + 1) * blockRows))
            }
        }
        return partial.reduce(0, +)
    }
}
