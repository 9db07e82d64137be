import Foundation
import LuaHost
import SegworkData

/// The columns `membership.csv` has between `segment` and the score columns (docs/EXPORTS.md, "membership.csv"):
/// for a definition with two or more criteria, `decided_by` (under `combine: first_match`) and then one column per
/// criterion, named after its plugin (`criteria`), in definition order. A definition with one criterion has none (its column
/// would repeat `segment`), and neither has a version recorded by Segwork before 0.4.0.
///
/// Everything that reads a stored membership's header past `segment` (`History.scoreColumns(of:)`) asks this type,
/// with the version's stored definition and Segwork version, where the scores start.
public struct MembershipLayout: Sendable, Equatable {
    /// The first Segwork version whose memberships have criterion columns.
    public static let criterionColumnsSince = SemanticVersion(0, 4, 0)
    /// The name of the column saying which criterion decided a customer's segment under `first_match`.
    public static let decidedByColumn = "decided_by"

    /// Whether the `decided_by` column is there.
    public var decidedBy: Bool
    /// The criterion columns' names, in definition order; empty when there are none. Each is the criterion's plugin
    /// name as the definition writes it (`plugin:`), or `<library>/<plugin>` when the definition uses a plugin of the
    /// same name from another source (`library:` set on one of them, or to another library); a plugin used again
    /// from the same source gets `_2`, `_3`, … (`tier`, `tier_2`).
    public var criteria: [String]

    /// The layout a run of `definition` by Segwork `version` writes (default: this Segwork). A version that is not
    /// a semantic version counts as a current one.
    public init(definition: Definition, segworkVersion version: String = segworkVersion) {
        let recorded = SemanticVersion(version).map { v in
            (v.major, v.minor, v.patch) >= (Self.criterionColumnsSince.major, Self.criterionColumnsSince.minor,
                                            Self.criterionColumnsSince.patch)
        } ?? true
        guard recorded, definition.criteria.count >= 2 else { decidedBy = false; criteria = []; return }
        decidedBy = definition.combine == .firstMatch
        let base = definition.criteria.map { use in
            // One plugin name from two sources (the workspace's and a library's, or two libraries'): the definition
            // tells them apart by `library:`, and so does the column.
            let twin = definition.criteria.contains { $0.plugin == use.plugin && $0.pin.library != use.pin.library }
            return twin ? use.pin.library.map { "\($0)/\(use.plugin)" } ?? use.plugin : use.plugin
        }
        // The same plugin twice (say with other params): the later ones are `<name>_2`, `<name>_3`, … in order.
        var taken = Set<String>()
        criteria = base.map { name in
            var unique = name, n = 1
            while taken.contains(unique) || (unique != name && base.contains(unique)) { n += 1; unique = "\(name)_\(n)" }
            taken.insert(unique)
            return unique
        }
    }

    /// The column names, in order: `decided_by` (when there) and the criteria.
    public var columns: [String] { (decidedBy ? [Self.decidedByColumn] : []) + criteria }
}

/// What `Exporter.membership` writes between `segment` and the scores (`MembershipLayout`): for each customer the
/// criterion that decided (under `first_match`) and each criterion's own label.
package struct CriterionColumns: Sendable {
    /// The column names (`MembershipLayout.criteria`), in definition order; `decided_by` holds one of them.
    package var names: [String]
    /// Each criterion's labels (after the definition's `labels:` renames), in the same order.
    package var parts: [LabelAssignment]
    /// Whether a `decided_by` column comes first (`combine: first_match`).
    package var decidedBy: Bool
    /// `parts`' labels guarded against spreadsheet formulas (`CSVText.text`), as written.
    private var guarded: [[String]]
    /// `names` guarded the same way (for `decided_by`).
    private var guardedNames: [String]

    /// The columns for `names` and their `parts` under `combine`; nil when there is only one criterion.
    package init?(names: [String], parts: [LabelAssignment], combine: Combine) {
        guard parts.count >= 2 else { return nil }   // (`MembershipLayout` names no column for a single criterion)
        precondition(names.count == parts.count, "one name per criterion")
        self.names = names; self.parts = parts; self.decidedBy = combine == .firstMatch
        guarded = parts.map { $0.labels.map(CSVText.text) }
        guardedNames = names.map(CSVText.text)
    }

    /// The header names, in order.
    package var header: [String] { (decidedBy ? [MembershipLayout.decidedByColumn] : []) + names }

    /// Writes row `i`'s fields into `fields` from `offset` on, guarded against spreadsheet formulas: the first
    /// criterion that gave a label (empty when none did), then each criterion's label (empty where it gave none).
    package func fill(_ fields: inout [String], from offset: Int, row i: Int) {
        var k = offset
        if decidedBy {
            let first = parts.firstIndex { $0.codes[i] >= 0 }
            fields[k] = first.map { guardedNames[$0] } ?? ""
            k += 1
        }
        for (p, part) in parts.enumerated() {
            let code = Int(part.codes[i])
            fields[k] = code >= 0 && code < guarded[p].count ? guarded[p][code] : ""
            k += 1
        }
    }
}
