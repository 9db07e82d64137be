/// Quantile of an ascending-sorted array, linear interpolation between closest ranks (type 7); nil when empty.
///
/// Matches numpy's default (`np.quantile(a, q)`, method "linear") bit for bit on finite data: the virtual index is
/// `(n - 1) * q`, and the interpolation is numpy's `_lerp`, which works from the nearer end. `q` is clamped to 0…1.
/// Where both neighbours are equal (also both infinite) that value is returned. The array must not contain NaN.
public func quantile(sorted: [Double], _ q: Double) -> Double? {
    guard !sorted.isEmpty, !q.isNaN else { return nil }
    return sorted.withUnsafeBufferPointer { quantile7($0, q) }
}

/// Type-7 quantile of a non-empty ascending buffer.
@inline(__always)
package func quantile7(_ s: UnsafeBufferPointer<Double>, _ q: Double) -> Double {
    let n = s.count
    let virtual = Double(n - 1) * min(max(q, 0), 1)
    let below = virtual.rounded(.down)
    let i = min(Int(below), n - 1)
    let gamma = virtual - below
    let a = s[i]
    let b = s[min(i + 1, n - 1)]
    if gamma == 0 || a == b { return a }
    let diff = b - a
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
}
