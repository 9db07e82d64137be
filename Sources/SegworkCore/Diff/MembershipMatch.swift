import Foundation
import SegworkData

/// Two memberships matched customer by customer: every id of either side gets one code (exact bytes), and
/// for each code its segment on both sides. The work is linear: one hash lookup per row of each side.
struct MembershipMatch {
    /// Code of "no segment" in `fromCode`/`toCode`.
    static let unassigned: Int32 = -1
    /// Code of "not in this version's population".
    static let absent: Int32 = -2

    /// Segment labels of `from`, by code (first appearance).
    let fromLabels: [String]
    /// Segment labels of `to`, by code (first appearance).
    let toLabels: [String]
    /// Every customer id of either side, by customer code (first appearance, `from` first).
    let ids: [String]
    /// Per customer code, its segment code in `from` (or `unassigned`, `absent`).
    let fromCode: [Int32]
    /// Per customer code, its segment code in `to` (or `unassigned`, `absent`).
    let toCode: [Int32]
    /// Customers in `from`'s and in `to`'s population.
    let fromRows: Int, toRows: Int

    /// Reads both memberships. `fromVersion`/`toVersion` name the sides in errors; `expected` sizes the
    /// id index (a hint: the customers of the bigger version).
    init(from: Data, fromVersion: String, to: Data, toVersion: String, expected: Int = 0) throws {
        var ids = ByteDictionary(expected: max(expected, 16))
        var fromCode: [Int32] = [], toCode: [Int32] = []
        fromCode.reserveCapacity(expected); toCode.reserveCapacity(expected)

        var fromLabels = ByteDictionary(expected: 16)
        let fromRead = try MembershipReader.read(from, version: fromVersion) { id, segment in
            let label = try MembershipMatch.label(segment, &fromLabels)
            let c = Int(ids.code(for: id))
            guard c == fromCode.count else { throw MembershipReader.RowProblem.duplicate(id: ids.strings[c]) }
            fromCode.append(label)
            toCode.append(MembershipMatch.absent)
        }
        var toLabels = ByteDictionary(expected: 16)
        let toRead = try MembershipReader.read(to, version: toVersion) { id, segment in
            let label = try MembershipMatch.label(segment, &toLabels)
            let c = Int(ids.code(for: id))
            if c == fromCode.count {
                fromCode.append(MembershipMatch.absent)
                toCode.append(label)
            } else {
                guard toCode[c] == MembershipMatch.absent else {
                    throw MembershipReader.RowProblem.duplicate(id: ids.strings[c])
                }
                toCode[c] = label
            }
        }
        self.fromLabels = fromLabels.strings; self.toLabels = toLabels.strings
        self.ids = ids.strings; self.fromCode = fromCode; self.toCode = toCode
        self.fromRows = fromRead.rows; self.toRows = toRead.rows
    }

    /// The code of a segment field: `unassigned` when empty; refuses the diff's reserved labels.
    private static func label(_ bytes: UnsafeBufferPointer<UInt8>, _ labels: inout ByteDictionary) throws -> Int32 {
        if bytes.isEmpty { return unassigned }
        let before = labels.count
        let code = labels.code(for: bytes)
        if labels.count != before {
            let l = labels.strings[Int(code)]
            if l == VersionDiff.unassignedLabel || l == VersionDiff.absentLabel {
                throw MembershipReader.RowProblem.reservedLabel(l)
            }
        }
        return code
    }

    /// Customers per segment code of each side, the unassigned group at index `labels.count`.
    func sizes() -> (from: [Int], to: [Int]) {
        var f = [Int](repeating: 0, count: fromLabels.count + 1)
        var t = [Int](repeating: 0, count: toLabels.count + 1)
        for c in fromCode where c != MembershipMatch.absent { f[c < 0 ? fromLabels.count : Int(c)] += 1 }
        for c in toCode where c != MembershipMatch.absent { t[c < 0 ? toLabels.count : Int(c)] += 1 }
        return (f, t)
    }
}

/// The diff's axis: one ordered list of labels for both sides and where each side's codes land on it.
struct DiffAxis {
    /// Labels in axis order: `from` segments, new `to` segments, `(unassigned)`, `(absent)`.
    let labels: [String]
    /// Axis index of each `from` code, `from` unassigned at `fromLabels.count`, absent at `+ 1`.
    let fromIndex: [Int]
    /// Axis index of each `to` code, laid out like `fromIndex`.
    let toIndex: [Int]

    /// Builds the axis. `renaming` maps `to` labels onto the names they continue (see `LabelMatcher`).
    init(_ m: MembershipMatch, renaming: [String: String]) throws {
        let (fromSizes, toSizes) = m.sizes()
        var toNames = m.toLabels.map { renaming[$0] ?? $0 }
        var seen = Set<String>()
        for (i, name) in toNames.enumerated() {
            guard !name.isEmpty, name != VersionDiff.unassignedLabel, name != VersionDiff.absentLabel else {
                throw DiffError.invalidLabelMatch(reason: "segment '\(m.toLabels[i])' was mapped to the reserved "
                                                  + "name '\(name)'")
            }
            guard seen.insert(name).inserted else {
                throw DiffError.invalidLabelMatch(reason: "two segments of the newer version were both given the "
                                                  + "name '\(name)'")
            }
        }
        func order(_ a: (String, Int), _ b: (String, Int)) -> Bool {
            a.1 != b.1 ? a.1 > b.1 : ByteOrder.less(a.0, b.0)
        }
        let fromSorted = zip(m.fromLabels, fromSizes).sorted(by: order).map(\.0)
        let fromSet = Set(m.fromLabels)
        let newSorted = zip(toNames, toSizes).filter { !fromSet.contains($0.0) }.sorted(by: order).map(\.0)
        let labels = fromSorted + newSorted + [VersionDiff.unassignedLabel, VersionDiff.absentLabel]
        var position = [String: Int]()
        for (i, l) in labels.enumerated() { position[l] = i }
        let unassigned = labels.count - 2, absent = labels.count - 1
        fromIndex = m.fromLabels.map { position[$0]! } + [unassigned, absent]
        toNames.append(contentsOf: [VersionDiff.unassignedLabel, VersionDiff.absentLabel])
        toIndex = toNames.map { position[$0]! }
        self.labels = labels
    }

    /// Axis index of a `from` code.
    @inline(__always) func from(_ code: Int32, _ m: MembershipMatch) -> Int {
        fromIndex[code >= 0 ? Int(code) : m.fromLabels.count + (code == MembershipMatch.unassigned ? 0 : 1)]
    }

    /// Axis index of a `to` code.
    @inline(__always) func to(_ code: Int32, _ m: MembershipMatch) -> Int {
        toIndex[code >= 0 ? Int(code) : m.toLabels.count + (code == MembershipMatch.unassigned ? 0 : 1)]
    }

    /// The migration matrix: customers per (from axis index, to axis index), only the non-empty cells.
    func matrix(_ m: MembershipMatch) -> MigrationMatrix {
        MigrationMatrix(size: labels.count, counting: m.fromCode.count) { (from(m.fromCode[$0], m), to(m.toCode[$0], m)) }
    }
}
