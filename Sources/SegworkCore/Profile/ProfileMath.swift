import Foundation
import SegworkData

/// Small numeric helpers for profiles. Kept private to the profile code on purpose: they do not
/// depend on the general column statistics, and their rounding rule is part of the export format.
enum ProfileMath {
    /// Significant digits every profile statistic is rounded to (documented in docs/EXPORTS.md).
    static let significantDigits = 12

    /// `d` rounded to 12 significant digits, `-0` turned into `0`; nil when `d` is nil, NaN or infinite.
    /// Rounding hides the last-bit noise of floating point (`0.1 + 0.2` becomes `0.3`) so that
    /// exports are short, readable and identical wherever they are computed.
    static func round(_ d: Double?) -> Double? {
        guard let d, d.isFinite else { return nil }
        if d == 0 { return 0 }
        let text = String(format: "%.\(significantDigits - 1)e", d)
        guard let r = Double(text), r.isFinite else { return nil }
        return r == 0 ? 0 : r
    }

    /// `d` rounded to `digits` significant digits (for display only), nil for nil or non-finite.
    static func round(_ d: Double?, significant digits: Int) -> Double? {
        guard let d, d.isFinite else { return nil }
        if d == 0 { return 0 }
        let r = Double(String(format: "%.\(max(digits, 1) - 1)e", d)) ?? d
        return r == 0 ? 0 : r
    }

    /// Sum of values in the order given (deterministic for a given input order).
    static func sum(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v }
        return s
    }

    /// The sample standard deviation of `x` (divisor n − 1, pandas' `std()` default) around its `mean`, in two passes
    /// in the order given; nil for fewer than two values.
    static func sampleSD(_ x: [Double], mean: Double?) -> Double? {
        guard x.count >= 2, let mean else { return nil }
        var squares = 0.0
        for v in x { squares += (v - mean) * (v - mean) }
        return (squares / Double(x.count - 1)).squareRoot()
    }

    /// `a / b`, nil when `b` is 0 or either side is nil.
    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b != 0 else { return nil }
        return a / b
    }
}
