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

/// The type-7 quantile of `values` (no NaN), exactly as `quantile(sorted:)` gives it on the sorted values, found by
/// selection in linear expected time instead of a sort; `values` is reordered. Nil when empty.
package func quantile(selecting values: inout [Double], _ q: Double) -> Double? {
    guard !values.isEmpty, !q.isNaN else { return nil }
    let n = values.count
    let virtual = Double(n - 1) * min(max(q, 0), 1)
    let below = virtual.rounded(.down)
    let i = min(Int(below), n - 1)
    let gamma = virtual - below
    return values.withUnsafeMutableBufferPointer { v -> Double in
        select(v, i)
        let a = v[i]
        // The next order statistic is the smallest value after position i (selection leaves only larger or equal ones).
        var b = a
        if i + 1 < n {
            b = v[i + 1]
            for k in (i + 2)..<max(i + 2, n) where v[k] < b { b = v[k] }
        }
        if gamma == 0 || a == b { return a }
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }
}

/// The median of integers, exactly: the middle value, or the mean of the two middle values rounded half away from
/// zero (as `quantile(sorted:)` then `rounded()` gives it for values below 2^52), computed in 128 bits so that no
/// value overflows or loses digits. `values` is reordered; nil when empty.
package func integerMedian(_ values: inout [Int64]) -> Int64? {
    guard !values.isEmpty else { return nil }
    let n = values.count, i = (n - 1) / 2
    return values.withUnsafeMutableBufferPointer { v -> Int64 in
        select(v, i)
        guard n % 2 == 0 else { return v[i] }
        var b = v[i + 1]
        for k in (i + 2)..<max(i + 2, n) where v[k] < b { b = v[k] }
        let sum = Int128(v[i]) + Int128(b)
        var half = sum / 2
        if sum % 2 != 0 { half += sum > 0 ? 1 : -1 }
        return Int64(half)  // between the two middle values, so within Int64
    }
}

/// Reorders `v` so that `v[k]` is the value a sort would put there, with no larger value before it and no smaller one
/// after (three-way quickselect, median-of-three pivots; a sort of the remaining range when the pivots go badly).
private func select<T: Comparable>(_ v: UnsafeMutableBufferPointer<T>, _ k: Int) {
    var lo = 0, hi = v.count - 1
    var budget = 2 * (Int.bitWidth - v.count.leadingZeroBitCount) + 8
    while lo < hi {
        budget -= 1
        if budget < 0 {
            var rest = UnsafeMutableBufferPointer(rebasing: v[lo...hi])
            rest.sort()
            return
        }
        let mid = lo + (hi - lo) / 2
        let pivot = max(min(v[lo], v[mid]), min(max(v[lo], v[mid]), v[hi]))
        // Dutch flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
        var lt = lo, i = lo, gt = hi
        while i <= gt {
            if v[i] < pivot { v.swapAt(lt, i); lt += 1; i += 1 } else if v[i] > pivot { v.swapAt(i, gt); gt -= 1 } else { i += 1 }
        }
        if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return }
    }
}
