import Dispatch
import Foundation

/// k-means++ seeding as scikit-learn's `_kmeans_plusplus` does it ("greedy k-means++", Arthur & Vassilvitskii
/// 2007): the first centre is a uniformly random row; each next one is the best of `2 + ⌊ln k⌋` candidates drawn
/// with probability proportional to the squared distance to the nearest centre so far, "best" meaning the one that
/// leaves the least total squared distance. Random numbers come from `SplitMix64`, so the centres depend only on
/// the seed (not scikit-learn's generator: the same seed does not give scikit-learn's centres).
package enum KMeansSeeding {
    /// k initial centres (k × cols, row-major).
    package static func plusPlus(_ x: [Double], rows n: Int, cols d: Int, k: Int, rng: inout SplitMix64) -> [Double] {
        precondition(k >= 1 && k <= n)
        let trials = 2 + Int(log(Double(k)))
        var centers = [Double](repeating: 0, count: k * d)
        let first = rng.below(n)
        for j in 0..<d { centers[j] = x[first * d + j] }
        var closest = squaredDistances(x, n, d, to: first)
        var potential = KMeans.blockSum(n) { [closest] lo, hi in closest[lo..<hi].reduce(0, +) }
        var cumulative = [Double](repeating: 0, count: n)
        for c in 1..<k {
            var running = 0.0
            for i in 0..<n { running += closest[i]; cumulative[i] = running }
            let candidates = (0..<trials).map { _ -> Int in
                let target = rng.unit() * potential
                // numpy.searchsorted(side="left"): the first index whose cumulative sum is ≥ target.
                var lo = 0, hi = n
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < target { lo = mid + 1 } else { hi = mid } }
                return min(lo, n - 1)
            }
            // One pass over the rows for all candidates: each row's distance to each, capped by `closest`, and
            // each block's sums of those (added in block order, so the potentials do not depend on threads).
            let (capped, potentials) = cappedDistances(x, n, d, candidates: candidates, closest: closest)
            var best = 0
            for t in 1..<trials where potentials[t] < potentials[best] { best = t }
            let bestRow = candidates[best], bestPotential = potentials[best]
            let bestDistances = Array(capped[(best * n)..<(best * n + n)])
            for j in 0..<d { centers[c * d + j] = x[bestRow * d + j] }
            closest = bestDistances
            potential = bestPotential
        }
        return centers
    }

    /// For each candidate row t: min(closest[i], squared distance of row i to it) for every row (t × n values), and
    /// its sum, added block by block in block order.
    private static func cappedDistances(_ x: [Double], _ n: Int, _ d: Int, candidates: [Int],
                                        closest: [Double]) -> ([Double], [Double]) {
        let trials = candidates.count
        let blocks = (n + KMeans.blockRows - 1) / KMeans.blockRows
        var out = [Double](repeating: 0, count: trials * n)
        var partial = [Double](repeating: 0, count: blocks * trials)
        let centres = candidates.flatMap { Array(x[($0 * d)..<($0 * d + d)]) }
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { os in
                partial.withUnsafeMutableBufferPointer { ps in
                    // Each block writes only its own rows of `out` and its own entries of `partial`.
                    nonisolated(unsafe) let (xp, op, pp) = (xs.baseAddress!, os.baseAddress!, ps.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: blocks) { b in
                        for t in 0..<trials {
                            var sum = 0.0
                            for i in (b * KMeans.blockRows)..<min(n, (b + 1) * KMeans.blockRows) {
                                var s = 0.0
                                for j in 0..<d { let e = xp[i * d + j] - centres[t * d + j]; s += e * e }
                                let v = closest[i] < s ? closest[i] : s
                                op[t * n + i] = v
                                sum += v
                            }
                            pp[b * trials + t] = sum
                        }
                    }
                }
            }
        }
        var potentials = [Double](repeating: 0, count: trials)
        for b in 0..<blocks { for t in 0..<trials { potentials[t] += partial[b * trials + t] } }
        return (out, potentials)
    }

    /// Squared Euclidean distance of every row to row `r`, computed on every core.
    private static func squaredDistances(_ x: [Double], _ n: Int, _ d: Int, to r: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        let center = Array(x[(r * d)..<(r * d + d)])
        let blocks = (n + KMeans.blockRows - 1) / KMeans.blockRows
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { os in
                // Each block writes only its own rows of `out`.
                nonisolated(unsafe) let (xp, op) = (xs.baseAddress!, os.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                    for i in (b * KMeans.blockRows)..<min(n, (b + 1) * KMeans.blockRows) {
                        var s = 0.0
                        for j in 0..<d { let t = xp[i * d + j] - center[j]; s += t * t }
                        op[i] = s
                    }
                }
            }
        }
        return out
    }
}
