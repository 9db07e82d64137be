import Foundation
import SegworkData

/// The parts of a run that judge and list its segments beyond the profiles: the scorecard (with the
/// segmentation warnings) and the extra columns of membership.csv.
extension Runner {
    /// Checks `membership.columns` against the columns the customer table will have (`available`, scores
    /// included) before any plugin runs: each must exist, and none may repeat the id, `segment`, a criterion column or a
    /// score. Checks the criterion columns' names first (`checkCriterionColumns`).
    func checkMembership(_ def: Definition, _ available: Set<String>, scores: [String]) throws {
        try checkCriterionColumns(def, scores: scores)
        let criteria = MembershipLayout(definition: def).criteria
        for (i, name) in def.membershipColumns.enumerated() {
            let path = "membership.columns[\(i)]"
            let line = def.line(of: path, or: def.line(of: "membership.columns"))
            if name == def.id || name == "segment" || scores.contains(name) || criteria.contains(name) {
                let what = name == def.id ? "the id" : name == "segment" ? "the segment" : scores.contains(name) ? "a score"
                    : "criterion '\(name)''s labels"
                throw DefinitionError(file: def.file, line: line, "membership.columns lists '\(name)', which membership.csv already has (\(what)); remove it")
            }
            guard available.contains(name) else {
                throw def.missingColumn(path, name, in: available.sorted(), owner: "the customer table", fallbackLine: line)
            }
        }
    }

    /// With two or more criteria membership.csv has a column per criterion, named after its plugin
    /// (`MembershipLayout`, which numbers repeats): the names must differ from the id, `segment`, `decided_by` and the
    /// score columns. Checked before any plugin runs.
    func checkCriterionColumns(_ def: Definition, scores: [String]) throws {
        let names = MembershipLayout(definition: def).criteria
        for (i, name) in names.enumerated() {
            let line = def.criteria[i].line ?? def.line(of: "criteria[\(i)]", or: def.line(of: "criteria"))
            let why = "membership.csv has a column for each criterion's own label, named after its plugin"
            let taken: String? = name == def.id ? "the id column" : name == "segment" ? "the segment column"
                : name == MembershipLayout.decidedByColumn ? "the column saying which criterion decided"
                : scores.contains(name) ? "a score column (a scorer's output)" : nil
            if let taken {
                throw DefinitionError(file: def.file, line: line, "criterion '\(name)' would name a membership.csv column that is already \(taken); \(why). Use a plugin of another name (copy it under a new file and `name`)")
            }
        }
    }

    /// Checks `scorecard.orders` before any plugin runs: a numeric column of the customer table, or a score.
    func checkScorecard(_ def: Definition, _ table: Table, scores: [String]) throws {
        guard let name = def.scorecard.orders, !scores.contains(name) else { return }
        guard let c = table[name] else {
            throw def.missingColumn("scorecard.orders", name, in: (table.columnNames + scores).sorted(), owner: "the customer table")
        }
        guard c.isNumeric else {
            throw DefinitionError(file: def.file, line: def.line(of: "scorecard.orders"), "scorecard.orders names '\(name)', \(c.type.withArticle) column; it must hold each customer's number of orders")
        }
    }

    /// The extra columns of membership.csv, in the order `membership.columns` lists them.
    func membershipColumns(_ def: Definition, _ table: Table, _ scores: [String]) throws -> [Column] {
        try def.membershipColumns.map { name in
            guard let c = table[name] else {
                throw def.missingColumn("membership.columns", name, in: table.columnNames, owner: "the customer table")
            }
            return c
        }
    }

    /// What a run reads, as one hash (`RunInfo.inputsID`): Segwork's version, the definition text, each dataset's
    /// hash, each criterion's and scorer's file hash, the reference date and the privacy settings. It is known
    /// before any plugin runs, so the version a run compares with (``PriorVersion``) can be found then. (The modules
    /// a plugin requires are not in it: a run differing only in a module compares with what the other compared with.)
    static func inputsID(_ def: Definition, _ inputs: [InputInfo], plugins: [PluginEntry], asOf: CivilDate,
                         privacy: String) throws -> String {
        var parts = ["segwork \(segworkVersion)", "definition \(SHA256.hex(def.text))", "as_of \(asOf)", "privacy \(privacy)"]
        parts += inputs.map { "input \($0.name) \($0.sha256)" }
        parts += try plugins.map { "plugin \($0.name) \(try SHA256.hex(fileAt: $0.file.path))" }
        return String(SHA256.hex(parts.joined(separator: "\n")).prefix(12))
    }

    /// The scorecard: orders from `scorecard.orders` (checked by `checkScorecard` before any plugin ran), else
    /// `frequency` when the RFM feature is on; growth against `prior`; a clustering with a low silhouette adds a
    /// `low_silhouette` warning.
    static func scorecard(_ def: Definition, _ profiles: ProfileSet, _ assignment: SegmentAssignment, _ table: Table,
                          _ prior: PriorVersion?, clusters: ClusterReport? = nil) -> Scorecard {
        let orders = def.scorecard.orders.map { table[$0] } ?? (def.rfm != nil ? table["frequency"] : nil)
        var card = Scorecard.make(profiles, assignment: assignment, orders: orders, previous: prior, spec: def.scorecard)
        if let warning = ClusterFeature.lowSilhouette(clusters, def.clusters) { card.warnings.append(warning) }
        return card
    }
}
