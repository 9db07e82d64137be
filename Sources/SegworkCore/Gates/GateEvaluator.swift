import Foundation
import SegworkData

/// Checks a run against a definition's gates, working only from the run's ``ProfileReport`` (so a stored
/// version can be checked from its `profiles.json` alone). Pure and deterministic.
package enum GateEvaluator {
    /// Every gate's result (passed ones included, in a stable order: as declared, segments in report order).
    /// `drift` is the share moved vs the baseline version, named by `baseline` (`v3`) in the message (nil when there
    /// is none: max_drift then passes with a message saying there is nothing to compare with; nil with a baseline,
    /// when no customer is in both versions: max_drift fails, since drift cannot be measured). See docs/GATES.md.
    public static func evaluate(_ gates: GateSet, report: ProfileReport, drift: Double?, baseline: String? = nil) -> [GateResult] {
        let c = Checker(gates: gates, report: report)
        var out: [GateResult] = []
        for gate in gates.gates {
            switch gate {
            case .minSegmentSize(let n): out += c.everySegment(gate.key, .minSize, Double(n))
            case .maxSegmentSize(let n): out += c.everySegment(gate.key, .maxSize, Double(n))
            case .minSegmentShare(let s): out += c.everySegment(gate.key, .minShare, s)
            case .maxSegmentShare(let s): out += c.everySegment(gate.key, .maxShare, s)
            case .maxSegments(let n): out.append(c.maxSegments(n))
            case .requiredSegments(let names): out += names.map(c.required)
            case .maxUnassignedShare(let s): out.append(c.maxUnassigned(s))
            case .maxDrift(let d): out.append(c.maxDrift(d, drift, baseline))
            case .segments(let limits): out += limits.flatMap(c.overrides)
            case .profile(let bounds): out += bounds.enumerated().flatMap { c.profile($0.offset, $0.element) }
            }
        }
        return out
    }
}

/// A size or share limit of a segment.
enum SegmentLimit: CaseIterable {
    case minSize, maxSize, minShare, maxShare

    var isMinimum: Bool { self == .minSize || self == .minShare }
    var isShare: Bool { self == .minShare || self == .maxShare }
    /// Its key under `gates.segments.<label>`.
    var overrideKey: String {
        switch self {
        case .minSize: return "min_size"
        case .maxSize: return "max_size"
        case .minShare: return "min_share"
        case .maxShare: return "max_share"
        }
    }

    /// The value of this limit in `l`, if set (sizes as Double).
    func value(in l: SegmentLimits) -> Double? {
        switch self {
        case .minSize: return l.minSize.map(Double.init)
        case .maxSize: return l.maxSize.map(Double.init)
        case .minShare: return l.minShare
        case .maxShare: return l.maxShare
        }
    }
}

/// The report, indexed for the gates.
struct Checker {
    let report: ProfileReport
    /// Segments with customers, the unassigned group excluded, in report order.
    let filled: [SegmentProfile]
    /// `gates.segments`, by label.
    let overrides: [String: SegmentLimits]

    init(gates: GateSet, report: ProfileReport) {
        self.report = report
        filled = report.segments.filter { !$0.unassigned && $0.count > 0 }
        var o: [String: SegmentLimits] = [:]
        for case .segments(let limits) in gates.gates { for l in limits { o[l.segment] = l } }
        overrides = o
    }

    var total: Int { report.population.count }

    /// Labels of the report's segments (the unassigned group excluded), for "does not exist" messages.
    var segmentList: String { GateFormat.labels(report.segments.filter { !$0.unassigned }.map(\.label)) }

    func segment(_ label: String) -> SegmentProfile? {
        report.segments.first { !$0.unassigned && $0.label == label }
    }

    func missing(_ gate: String, _ label: String) -> GateResult {
        GateResult(gate: gate, segment: label, passed: false, actual: nil, limit: nil,
                   message: "gate \(gate): segment '\(label)' does not exist in this run (segments: \(segmentList)); "
                       + "check the name in the definition's gates")
    }

    // MARK: - Size and share

    /// A global limit applied to every segment with customers that has no override of it.
    func everySegment(_ gate: String, _ kind: SegmentLimit, _ limit: Double) -> [GateResult] {
        let subject = filled.filter { overrides[$0.label].flatMap(kind.value(in:)) == nil }
        guard !subject.isEmpty else {
            let why = filled.isEmpty ? "no segment has customers"
                : "every segment with customers has its own \(kind.overrideKey) under gates.segments"
            return [GateResult(gate: gate, segment: nil, passed: true, actual: nil, limit: limit,
                               message: "gate \(gate): \(why); nothing to check")]
        }
        return subject.map { check(gate, kind, $0, limit) }
    }

    /// A segment's own limits (checked even when it is empty: naming a segment expects it).
    func overrides(_ l: SegmentLimits) -> [GateResult] {
        guard let p = segment(l.segment) else { return [missing("segments.\(l.segment)", l.segment)] }
        return SegmentLimit.allCases.compactMap { kind in
            kind.value(in: l).map { check("segments.\(l.segment).\(kind.overrideKey)", kind, p, $0) }
        }
    }

    func check(_ gate: String, _ kind: SegmentLimit, _ p: SegmentProfile, _ limit: Double) -> GateResult {
        let actual = kind.isShare ? p.share ?? 0 : Double(p.count)
        let passed = kind.isMinimum ? actual >= limit : actual <= limit
        let what: String, limitText: String
        if kind.isShare {
            what = "holds \(GateFormat.percent(actual, apartFrom: limit)) of customers (\(p.count) of \(total))"
            limitText = GateFormat.percent(limit, apartFrom: actual)
        } else {
            what = "has \(Self.customers(p.count))"
            limitText = GateFormat.number(limit)
        }
        return GateResult(gate: gate, segment: p.label, passed: passed, actual: actual, limit: limit,
                          message: "gate \(gate): segment '\(p.label)' \(what), "
                              + Self.verdict(passed: passed, minimum: kind.isMinimum, limitText))
    }

    static func verdict(passed: Bool, minimum: Bool, _ limit: String) -> String {
        switch (minimum, passed) {
        case (true, true): return "at least the minimum of \(limit)"
        case (true, false): return "below the minimum of \(limit)"
        case (false, true): return "within the maximum of \(limit)"
        case (false, false): return "above the maximum of \(limit)"
        }
    }

    static func customers(_ n: Int) -> String { n == 1 ? "1 customer" : "\(n) customers" }

    // MARK: - Whole-run gates

    func maxSegments(_ limit: Int) -> GateResult {
        let n = filled.count, passed = n <= limit
        let have = n == 1 ? "1 segment has customers" : "\(n) segments have customers"
        return GateResult(gate: "max_segments", segment: nil, passed: passed, actual: Double(n), limit: Double(limit),
                          message: "gate max_segments: \(have), "
                              + Self.verdict(passed: passed, minimum: false, String(limit)))
    }

    func required(_ label: String) -> GateResult {
        let gate = "required_segments"
        guard let p = segment(label) else { return missing(gate, label) }
        let passed = p.count > 0
        let text = passed ? "segment '\(label)' has \(Self.customers(p.count))"
            : "segment '\(label)' has no customers, but it is required to have some"
        return GateResult(gate: gate, segment: label, passed: passed, actual: Double(p.count), limit: 1,
                          message: "gate \(gate): \(text)")
    }

    func maxUnassigned(_ limit: Double) -> GateResult {
        let gate = "max_unassigned_share"
        let p = report.segments.first { $0.unassigned }
        let count = p?.count ?? 0, share = p?.share ?? 0
        let passed = share <= limit
        let are = count == 1 ? "is" : "are"
        return GateResult(gate: gate, segment: Profiler.unassignedLabel, passed: passed, actual: share, limit: limit,
                          message: "gate \(gate): \(GateFormat.percent(share, apartFrom: limit)) of customers "
                              + "(\(count) of \(total)) \(are) unassigned, "
                              + Self.verdict(passed: passed, minimum: false, GateFormat.percent(limit, apartFrom: share)))
    }

    func maxDrift(_ limit: Double, _ drift: Double?, _ baseline: String?) -> GateResult {
        let gate = "max_drift"
        if drift == nil, let baseline {
            return GateResult(gate: gate, segment: nil, passed: false, actual: nil, limit: limit,
                              message: "gate \(gate): no customer of the baseline \(baseline) is in this version, so drift "
                                  + "cannot be measured; check that the id column still holds the same ids, or accept "
                                  + "this version with `seg approve`")
        }
        guard let drift else {
            return GateResult(gate: gate, segment: nil, passed: true, actual: nil, limit: limit,
                              message: "gate \(gate): no earlier version of this definition passed its gates or was approved, "
                                  + "so there is no baseline to compare with; nothing to check")
        }
        let passed = drift <= limit
        return GateResult(gate: gate, segment: nil, passed: passed, actual: drift, limit: limit,
                          message: "gate \(gate): \(GateFormat.percent(drift, apartFrom: limit)) of the customers in both "
                              + "versions changed segment since \(baseline.map { "the baseline \($0)" } ?? "the baseline"), "
                              + Self.verdict(passed: passed, minimum: false, GateFormat.percent(limit, apartFrom: drift)))
    }
}
