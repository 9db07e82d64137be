/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014): the same seed gives the same
/// numbers on every machine. Segwork's clustering uses it for k-means++ seeding and the silhouette sample; the
/// system generator is never used, so a run's results depend only on its seed.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator seeded with `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in 0..<n (n > 0), without modulo bias (Lemire's method).
    package mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// `count` distinct indices of 0..<n (all of them, in order, when count ≥ n), by a partial Fisher-Yates shuffle,
    /// returned sorted.
    package mutating func sample(_ count: Int, of n: Int) -> [Int] {
        guard count < n else { return Array(0..<n) }
        var pool = Array(0..<n)
        for i in 0..<count { pool.swapAt(i, i + below(n - i)) }
        return pool[0..<count].sorted()
    }
}
