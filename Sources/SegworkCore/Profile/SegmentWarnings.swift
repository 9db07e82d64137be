import Foundation
import SegworkData

/// Over- and under-segmentation warnings (docs/EXPORTS.md, "Scorecard"): segments too small to act on, more
/// segments than the population supports, and one group holding most customers. Limits come from `scorecard:`.
package enum SegmentWarnings {
    /// The warnings for `profiles`, segments in report order, then the segmentation as a whole.
    public static func find(_ profiles: ProfileSet, spec: ScorecardSpec) -> [SegmentWarning] {
        let customers = profiles.population.count
        guard customers > 0 else { return [] }
        let segments = profiles.segments.filter { !$0.unassigned && $0.count > 0 }
        var out: [SegmentWarning] = []
        for p in segments where p.count < spec.minSize || Double(p.count) < spec.minShare * Double(customers) {
            let (share, minShare) = percents(Double(p.count) / Double(customers), spec.minShare)
            let limit = p.count < spec.minSize ? "scorecard.min_size \(spec.minSize)" : "scorecard.min_share \(minShare)"
            out.append(SegmentWarning(kind: "small_segment", segment: p.label, message:
                "segment '\(p.label)' has \(p.count) of \(customers) customers (\(share)), below \(limit): too small to act on or to profile reliably; merge it into a neighbouring segment, or lower the limit (scorecard: min_size, min_share)"))
        }
        if segments.count >= 2, segments.count * spec.minSize > customers {
            out.append(SegmentWarning(kind: "too_many_segments", segment: nil, message:
                "\(segments.count) segments for \(customers) customers: fewer than scorecard.min_size (\(spec.minSize)) customers per segment on average; use fewer or broader segments (fewer bands, labels merged with labels:, or combine: first_match instead of cross)"))
        }
        for p in profiles.segments where p.count > 0 && Double(p.count) > spec.maxShare * Double(customers) {
            let what = p.unassigned ? "no segment was given to" : "segment '\(p.label)' holds"
            let fix = p.unassigned ? "check the criteria's thresholds and the columns they read" : "split it with another criterion or other variables"
            let (share, maxShare) = percents(Double(p.count) / Double(customers), spec.maxShare)
            out.append(SegmentWarning(kind: "dominant_segment", segment: p.label, message:
                "\(what) \(p.count) of \(customers) customers (\(share)), over scorecard.max_share \(maxShare): the segmentation barely tells customers apart; \(fix)"))
        }
        return out
    }

    /// `0.125` as `12.5%` (as in the run summary).
    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    /// Two shares compared in a message, with as many decimals (1 to 4) as it takes for them not to read alike
    /// (`0.99%, below 1.00%`, not `1.0%, below 1.0%`).
    static func percents(_ a: Double, _ b: Double) -> (String, String) {
        for digits in 1...4 {
            let (x, y) = (String(format: "%.\(digits)f%%", a * 100), String(format: "%.\(digits)f%%", b * 100))
            if x != y || digits == 4 { return (x, y) }
        }
        return (percent(a), percent(b))
    }
}
