import Foundation
import SegworkData

/// Decides which segment of the older version each segment of the newer version continues, so that the
/// migration matrix puts them on one row/column.
///
/// Labels produced by rules are stable by name, which is what `NameLabelMatcher` (the default) assumes.
/// This is the hook for clustering: a future matcher can compare the two versions' segment centroids
/// (from `profilesJSON`) and map `"cluster 3"` in the newer version onto `"cluster 1"` in the older one.
public protocol LabelMatcher: Sendable {
    /// Returns a map from segment labels of `to` to the names they take on the diff's axis (normally a
    /// label of `from`). Labels left out keep their own name. Two labels may not end up with one name, and
    /// no label may be renamed to `(unassigned)`, `(absent)` or the empty string (`DiffError.invalidLabelMatch`).
    func match(from: VersionRecord, fromLabels: [String], to: VersionRecord, toLabels: [String]) throws
        -> [String: String]
}

/// Matches segments by their exact label: `Gold` in one version is `Gold` in the other.
public struct NameLabelMatcher: LabelMatcher {
    /// Creates the matcher.
    public init() {}

    /// Keeps every label's own name.
    public func match(from: VersionRecord, fromLabels: [String], to: VersionRecord, toLabels: [String])
        -> [String: String] { [:] }
}

/// Compares two versions of one definition (docs/DIFF.md).
public enum DiffEngine {
    /// The diff of `from` (older, matrix rows) against `to` (newer, matrix columns). `includeMovers` adds the
    /// list of every customer off the matrix diagonal. Throws `DiffError` when the two versions belong to
    /// different definitions, when a membership cannot be parsed, or when the matcher's mapping is unusable.
    public static func diff(from: VersionRecord, to: VersionRecord, includeMovers: Bool,
                            matcher: any LabelMatcher = NameLabelMatcher()) throws -> VersionDiff {
        guard from.definition == to.definition else {
            throw DiffError.differentDefinitions(fromVersion: from.id, fromDefinition: from.definition,
                                                 toVersion: to.id, toDefinition: to.definition)
        }
        let m = try MembershipMatch(from: from.membershipCSV, fromVersion: from.id, to: to.membershipCSV,
                                    toVersion: to.id, expected: max(from.customers, to.customers, 0))
        let renaming = try matcher.match(from: from, fromLabels: m.fromLabels, to: to, toLabels: m.toLabels)
        let axis = try DiffAxis(m, renaming: renaming)
        let matrix = axis.matrix(m)
        let n = axis.labels.count, absent = n - 1

        // One pass over the non-empty cells: linear in customers and cells, never in labels².
        var before = [Int](repeating: 0, count: n), after = before, diagonal = before, movedIn = before
        var movedOut = before, enteredInto = before, leftFrom = before
        for c in matrix.cells {
            before[c.from] += c.count; after[c.to] += c.count
            if c.from == c.to { diagonal[c.from] += c.count } else if c.to == absent { leftFrom[c.from] += c.count }
            else if c.from == absent { enteredInto[c.to] += c.count }
            else { movedOut[c.from] += c.count; movedIn[c.to] += c.count }
        }
        var entered = 0, left = 0, moved = 0, stayed = 0
        var segments: [SegmentChange] = []
        for i in 0..<absent {
            let s = SegmentChange(
                label: axis.labels[i], before: before[i], after: after[i],
                delta: 0, shareBefore: nil, shareAfter: nil, shareDelta: nil, stayed: diagonal[i],
                movedIn: movedIn[i], movedOut: movedOut[i], entered: enteredInto[i], left: leftFrom[i])
            segments.append(withShares(s, fromRows: m.fromRows, toRows: m.toRows))
            entered += s.entered; left += s.left; stayed += s.stayed; moved += s.movedOut
        }
        let diff = VersionDiff(
            definition: from.definition, from: reference(from, customers: m.fromRows),
            to: reference(to, customers: m.toRows), labels: axis.labels, matrix: matrix, segments: segments,
            entered: entered, left: left, moved: moved, stayed: stayed, drift: driftShare(moved: moved, stayed: stayed),
            inputChanges: InputComparison.changes(from: from, to: to),
            movers: includeMovers ? movers(m, axis) : nil)
        return diff
    }

    /// Drift alone (for the `max_drift` gate): the share of customers present in both memberships whose
    /// segment changed (unassigned counts as a segment; segments matched by name), rounded to 12
    /// significant digits; nil when no customer is in both. Throws `DiffError` when either cannot be parsed.
    public static func drift(from: Data, to: Data) throws -> Double? {
        let m = try MembershipMatch(from: from, fromVersion: "the previous version", to: to,
                                    toVersion: "the new version")
        let axis = try DiffAxis(m, renaming: [:])
        let absent = axis.labels.count - 1
        var moved = 0, stayed = 0
        for k in 0..<m.fromCode.count {
            let a = axis.from(m.fromCode[k], m), b = axis.to(m.toCode[k], m)
            if a == absent || b == absent { continue }
            if a == b { stayed += 1 } else { moved += 1 }
        }
        return driftShare(moved: moved, stayed: stayed)
    }

    /// `moved / (moved + stayed)`, rounded; nil when both are 0.
    private static func driftShare(moved: Int, stayed: Int) -> Double? {
        moved + stayed == 0 ? nil : ProfileMath.round(Double(moved) / Double(moved + stayed))
    }

    /// `s` with delta and shares filled in.
    private static func withShares(_ s: SegmentChange, fromRows: Int, toRows: Int) -> SegmentChange {
        var s = s
        let before = fromRows > 0 ? Double(s.before) / Double(fromRows) : nil
        let after = toRows > 0 ? Double(s.after) / Double(toRows) : nil
        s.delta = s.after - s.before
        s.shareBefore = ProfileMath.round(before)
        s.shareAfter = ProfileMath.round(after)
        if let before, let after { s.shareDelta = ProfileMath.round(after - before) }
        return s
    }

    private static func reference(_ r: VersionRecord, customers: Int) -> VersionRef {
        VersionRef(id: r.id, runID: r.runID, asOf: r.asOf, createdAt: r.createdAt, customers: customers)
    }

    /// Every customer whose axis position differs between the sides, sorted by from, to (axis order), id (bytes).
    private static func movers(_ m: MembershipMatch, _ axis: DiffAxis) -> [Mover] {
        var picked: [(from: Int32, to: Int32, id: Int32)] = []
        for k in 0..<m.fromCode.count {
            let a = axis.from(m.fromCode[k], m), b = axis.to(m.toCode[k], m)
            if a != b { picked.append((Int32(a), Int32(b), Int32(k))) }
        }
        let ids = m.ids
        picked.sort { x, y in
            if x.from != y.from { return x.from < y.from }
            if x.to != y.to { return x.to < y.to }
            return ids[Int(x.id)].utf8.lexicographicallyPrecedes(ids[Int(y.id)].utf8)
        }
        return picked.map { Mover(customerID: ids[Int($0.id)], from: axis.labels[Int($0.from)],
                                  to: axis.labels[Int($0.to)]) }
    }
}
