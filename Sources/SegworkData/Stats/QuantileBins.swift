/// Which bit-level formula computes a type-7 quantile. Both are linear interpolation between closest ranks and
/// agree to the last bit or two; the last bit decides a value that lies exactly on a breakpoint.
package enum QuantileFormula: String, Sendable, CaseIterable {
    /// pandas' `qcut` (pandas 3): probabilities from `numpy.linspace`, each one not exact in binary rounded up to
    /// the next double, then numpy's `np.quantile(method="linear")`.
    case pandas
    /// R's `quantile(type = 7)` (`stats:::quantile.default`).
    case r
}

/// Which side of a bin is closed: `right` puts a value equal to a breakpoint in the lower bin (pandas `qcut`,
/// `cut(right=True)`), `left` in the upper bin (R `rfm`'s `lower <= v < upper`).
package enum ClosedSide: String, Sendable, CaseIterable {
    case left, right
}

/// How a column is cut into bins from its own quantiles.
package struct QuantileBinRule: Sendable, Equatable {
    /// Number of bins asked for.
    package var bins: Int
    /// Which side of each bin is closed.
    package var closed: ClosedSide
    /// Equal breakpoints: drop the duplicates and number the bins that remain 1…k (pandas `duplicates="drop"`),
    /// or keep them, leaving some bins empty (R `rfm`).
    package var dropDuplicateEdges: Bool
    /// The quantile formula.
    package var formula: QuantileFormula
    /// Added to every interior breakpoint (R `rfm` 0.3.0 adds 1).
    package var offset: Double

    /// A rule.
    package init(bins: Int, closed: ClosedSide, dropDuplicateEdges: Bool, formula: QuantileFormula, offset: Double = 0) {
        self.bins = bins
        self.closed = closed
        self.dropDuplicateEdges = dropDuplicateEdges
        self.formula = formula
        self.offset = offset
    }
}

/// Quantile binning as pandas `qcut` and R `rfm` do it: breakpoints, then one bin number per value.
package enum QuantileBins {
    /// The probabilities 0, 1/b, 2/b, … 1 as `numpy.linspace(0, 1, b + 1)` and R's `seq(0, 1, length.out = b + 1)`
    /// compute them: `k * (1 / b)`, the last exactly 1 (so 3/5 is 0.6000000000000001, as there). For `pandas`,
    /// as pandas 3's `qcut` then adjusts them: one whose `b * p` is not exactly `k` moves up to the next double.
    package static func probabilities(_ bins: Int, formula: QuantileFormula) -> [Double] {
        let step = 1.0 / Double(bins)
        return (0...bins).map { k in
            let p = k == bins ? 1 : Double(k) * step
            return formula == .pandas && Double(bins) * p != Double(k) ? p.nextUp : p
        }
    }

    /// R's type-7 quantile of an ascending non-empty buffer: `index = 1 + (n - 1) * p`, `lo = floor(index)`,
    /// `(1 - h) * x[lo] + h * x[hi]` where the neighbours differ.
    package static func quantileR(_ s: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
        let n = s.count
        let index = 1 + Double(n - 1) * p
        let lo = index.rounded(.down)
        let hi = index.rounded(.up)
        let a = s[Int(lo) - 1]
        let b = s[min(Int(hi), n) - 1]
        guard index > lo, b != a else { return a }
        let h = index - lo
        return (1 - h) * a + h * b
    }

    /// All `bins + 1` breakpoints (the first is the minimum, the last the maximum) of an ascending non-empty array.
    package static func edges(sorted: [Double], bins: Int, formula: QuantileFormula) -> [Double] {
        precondition(!sorted.isEmpty && bins >= 1, "edges need values and at least one bin")
        return sorted.withUnsafeBufferPointer { s in
            probabilities(bins, formula: formula).map { p in formula == .pandas ? quantile7(s, p) : quantileR(s, p) }
        }
    }

    /// The interior breakpoints the rule cuts at, from an ascending non-empty array. With `dropDuplicateEdges`
    /// there may be fewer than `bins - 1` (pandas: `bins = unique(bins)`; a column of one value has none).
    package static func interior(sorted: [Double], rule: QuantileBinRule) -> [Double] {
        var all = edges(sorted: sorted, bins: rule.bins, formula: rule.formula)
        if rule.dropDuplicateEdges {
            var unique: [Double] = []
            for e in all where unique.last != e { unique.append(e) }
            all = unique
        }
        guard all.count > 2 else { return [] }
        return all[1..<(all.count - 1)].map { $0 + rule.offset }
    }

    /// The bin (1…interior.count + 1) of `x`: one more than the number of breakpoints below it (`right`: strictly
    /// below; `left`: at or below).
    @inline(__always)
    package static func bin(_ x: Double, interior: [Double], closed: ClosedSide) -> Int {
        var b = 1
        if closed == .right { for e in interior where e < x { b += 1 } } else { for e in interior where e <= x { b += 1 } }
        return b
    }

    /// One score per value: its bin, or (`descending`, for recency where less is better) `bins + 1 - bin`,
    /// where bins is `interior.count + 1`.
    package static func scores(_ x: [Double], interior: [Double], closed: ClosedSide, descending: Bool) -> [Int] {
        let top = interior.count + 1
        return x.map { v in
            let b = bin(v, interior: interior, closed: closed)
            return descending ? top + 1 - b : b
        }
    }
}
