import Foundation
import SegworkData

/// Profile bounds (`gates.profile`).
extension Checker {
    /// The results of bound `i`: one per segment it names (every segment with customers for `"*"`), or one
    /// failed result when the segment, the column or the statistic is not in the report. An undefined value
    /// (the mean of a column no customer of the segment has) fails a named segment and is skipped, as passed,
    /// under `"*"`.
    func profile(_ i: Int, _ b: ProfileBound) -> [GateResult] {
        let gate = "profile[\(i)]"
        let label: String? = b.segment == ProfileBound.everySegment ? nil : b.segment
        func fail(_ why: String) -> [GateResult] {
            [GateResult(gate: gate, segment: label, passed: false, actual: nil, limit: b.min ?? b.max,
                        message: "gate \(gate): \(why)")]
        }
        if let why = unavailable(b) { return fail(why) }
        let targets: [SegmentProfile]
        switch b.segment {
        case ProfileBound.everySegment:
            guard !filled.isEmpty else {
                return [GateResult(gate: gate, segment: nil, passed: true, actual: nil, limit: b.min ?? b.max,
                                   message: "gate \(gate): no segment has customers; nothing to check")]
            }
            targets = filled
        case Profiler.populationLabel: targets = [report.population]
        case Profiler.unassignedLabel: targets = report.segments.filter(\.unassigned)
        default:
            guard let p = segment(b.segment) else { return [missing(gate, b.segment)] }
            targets = [p]
        }
        return targets.map { bound(gate, b, $0) }
    }

    /// Why the report cannot answer bound `b` at all, or nil when it can.
    private func unavailable(_ b: ProfileBound) -> String? {
        let stat = b.statistic.rawValue
        if (b.statistic == .revenue || b.statistic == .revenueShare), report.monetary == nil {
            return "statistic '\(stat)' needs a monetary column, but this run has none; set profile.monetary in the definition"
        }
        guard let column = b.column else { return nil }
        if report.numericColumns.contains(where: { $0.name == column }) { return nil }
        if report.categoricalColumns.contains(where: { $0.name == column }) {
            if b.statistic == .missing { return nil }
            return "column '\(column)' is profiled as categorical, and '\(stat)' needs a numeric column; "
                + "list it under profile.numeric, or bound its 'missing' count"
        }
        let numeric = GateFormat.labels(report.numericColumns.map(\.name))
        let hint = closest(column, report.numericColumns.map(\.name) + report.categoricalColumns.map(\.name))
            .map { "did you mean '\($0)'? " } ?? ""
        return "column '\(column)' is not profiled in this run (numeric columns: \(numeric)); \(hint)"
            + "add it to the definition's profile.numeric or fix the name"
    }

    /// The statistic of `b` in `p`, or why it is undefined.
    private func value(_ b: ProfileBound, _ p: SegmentProfile) -> (Double?, String) {
        switch b.statistic {
        case .count: return (Double(p.count), "")
        case .share: return (p.share, "there are no customers at all")
        case .revenue: return (p.revenue, "")
        case .revenueShare: return (p.revenueShare, "total revenue is 0")
        default: break
        }
        let column = b.column ?? ""
        if let c = p.categorical(column) { return (Double(c.missing), "") }
        guard let s = p.numeric(column) else { return (nil, "the column is not in its profile") }
        let none = "no customer in it has a value of '\(column)'"
        switch b.statistic {
        case .mean: return (s.mean, none)
        case .median: return (s.median, none)
        case .p25: return (s.p25, none)
        case .p75: return (s.p75, none)
        case .min: return (s.min, none)
        case .max: return (s.max, none)
        case .missing: return (Double(s.missing), "")
        default: return (s.index, s.count == 0 ? none : "the population mean of '\(column)' is 0")
        }
    }

    private func bound(_ gate: String, _ b: ProfileBound, _ p: SegmentProfile) -> GateResult {
        let what = b.column.map { "\(b.statistic.rawValue) of '\($0)'" } ?? b.statistic.rawValue
        let (v, why) = value(b, p)
        guard let v else {
            // A bound on every segment concerns the segments that have the statistic; one named on purpose must.
            let every = b.segment == ProfileBound.everySegment
            return GateResult(gate: gate, segment: p.label, passed: every, actual: nil, limit: b.min ?? b.max,
                              message: "gate \(gate): segment '\(p.label)': \(what) is undefined (\(why)), "
                                  + (every ? "so this segment is not checked" : "so the bound cannot be checked"))
        }
        func show(_ x: Double, _ other: Double?) -> String {
            b.statistic.isShare ? GateFormat.percent(x, apartFrom: other) : GateFormat.number(x)
        }
        let verdict: String, limit: Double?, passed: Bool
        if let lo = b.min, v < lo {
            (passed, limit, verdict) = (false, lo, Checker.verdict(passed: false, minimum: true, show(lo, v)))
        } else if let hi = b.max, v > hi {
            (passed, limit, verdict) = (false, hi, Checker.verdict(passed: false, minimum: false, show(hi, v)))
        } else if let lo = b.min, let hi = b.max {
            (passed, limit, verdict) = (true, lo, "within the bounds \(show(lo, v)) to \(show(hi, v))")
        } else {
            let minimum = b.min != nil, end = b.min ?? b.max ?? 0
            (passed, limit, verdict) = (true, end, Checker.verdict(passed: true, minimum: minimum, show(end, v)))
        }
        return GateResult(gate: gate, segment: p.label, passed: passed, actual: v, limit: limit,
                          message: "gate \(gate): segment '\(p.label)': \(what) is \(show(v, limit)), \(verdict)")
    }
}
