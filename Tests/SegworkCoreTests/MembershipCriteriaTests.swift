import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// membership.csv with two or more criteria (issue 12): after `segment`, `decided_by` under first_match and each
/// criterion's own label, so analysts can pivot by one criterion without splitting the combined label.
final class MembershipCriteriaTests: XCTestCase {
    /// c2 has no plan, c4's country looks like a formula, c5 has nothing: every criterion leaves it unassigned.
    static let customers = "customer_id,country,plan,spend\nc1,DE,gold,100\nc2,FR,,50\nc3,DE,basic,\nc4,=X,gold,10\nc5,,,\n"

    static let plugins = [
        "by_country": """
            return { api = 1, kind = "criterion", name = "by_country", version = "1.0.0", description = "country",
              uses = { "country" }, assign = function(row, p) return row.country end }
            """,
        "by_plan": """
            return { api = 1, kind = "criterion", name = "by_plan", version = "1.0.0", description = "plan",
              uses = { "plan" }, assign = function(row, p) return row.plan end }
            """,
        "big_spender": """
            return { api = 1, kind = "criterion", name = "big_spender", version = "1.0.0", description = "spend",
              uses = { "spend" }, assign = function(row, p) if row.spend and row.spend >= 100 then return "Big" end end }
            """,
        "spend_score": """
            return { api = 1, kind = "scorer", name = "spend_score", version = "1.0.0", description = "spend",
              uses = { "spend" }, score = function(row, p) if row.spend then return row.spend * 2 end end }
            """,
        "plan_score": """
            return { api = 1, kind = "scorer", name = "plan_score", version = "1.0.0", description = "a score column named by_plan",
              uses = { "spend" }, output = "by_plan", score = function(row, p) return 1 end }
            """,
    ]

    static func definition(criteria: [String], combine: String, extra: String = "", scorer: String = "spend_score") -> String {
        """
        population: customers
        id: customer_id
        as_of: 2024-01-01
        datasets:
          customers: { file: data/customers.csv, schema: { spend: double } }
        scorers:
          - plugin: \(scorer)
        criteria:
        \(criteria.map { "  - plugin: \($0)\n" }.joined())combine: \(combine)
        profile: { numeric: [spend] }
        \(extra)
        """
    }

    private func workspace(_ definitions: [String: String], customers: String = customers) throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("membership-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var files = ["workspace.yaml": "name: t\n", "data/customers.csv": customers]
        for (name, text) in Self.plugins { files["plugins/\(name).lua"] = text }
        for (name, text) in definitions { files["segmentations/\(name).yaml"] = text }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return try Workspace.open(dir.path, environment: ["SEG_BUNDLED_PLUGINS": ""])
    }

    private func rows(_ v: VersionRecord) -> [String] {
        String(decoding: v.membershipCSV, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testCrossHasEachCriterionsLabelThenScoresThenExtraColumns() throws {
        let renamed = Self.definition(criteria: ["by_country", "by_plan"], combine: "cross",
                                      extra: "membership: { columns: [spend] }\n")
            .replacingOccurrences(of: "  - plugin: by_plan\n", with: "  - plugin: by_plan\n    labels: { gold: Gold }\n")
        let ws = try workspace(["x": renamed])
        let v = try XCTUnwrap(try History.run(ws, RunRequest(holder: "test")).first?.version)
        XCTAssertEqual(rows(v), [
            "customer_id,segment,by_country,by_plan,spend_score,spend",
            "c1,DE × Gold,DE,Gold,200,100",
            "c2,,FR,,100,50",          // no plan: no segment under cross, but its country is there
            "c3,DE × basic,DE,basic,,",
            "c4,'=X × Gold,'=X,Gold,20,10",   // labels are text: guarded against formulas like the segment
            "c5,,,,,",
        ])
        XCTAssertEqual(History.scoreColumns(of: v), ["spend_score"])
        let report = try History.report(of: v)
        XCTAssertTrue(RunSummary.text(report: report, scoreColumns: History.scoreColumns(of: v), version: v.id,
                                      destination: nil).contains("spend_score"))
    }

    func testFirstMatchSaysWhichCriterionDecidedAndWhatEachGave() throws {
        let ws = try workspace(["f": Self.definition(criteria: ["big_spender", "by_plan", "by_country"], combine: "first_match")])
        let v = try XCTUnwrap(try History.run(ws, RunRequest(holder: "test")).first?.version)
        XCTAssertEqual(rows(v), [
            "customer_id,segment,decided_by,big_spender,by_plan,by_country,spend_score",
            "c1,Big,big_spender,Big,gold,DE,200",      // every criterion ran, so the later ones' labels are there too
            "c2,FR,by_country,,,FR,100",
            "c3,basic,by_plan,,basic,DE,",
            "c4,gold,by_plan,,gold,'=X,20",
            "c5,,,,,,",                                // unassigned: nobody decided
        ])
        XCTAssertEqual(History.scoreColumns(of: v), ["spend_score"])
    }

    func testOneCriterionHasNoCriterionColumns() throws {
        let ws = try workspace(["one": Self.definition(criteria: ["by_plan"], combine: "first_match")])
        let v = try XCTUnwrap(try History.run(ws, RunRequest(holder: "test")).first?.version)
        XCTAssertEqual(rows(v).first, "customer_id,segment,spend_score")
        XCTAssertEqual(rows(v)[1], "c1,gold,200")
        XCTAssertEqual(History.scoreColumns(of: v), ["spend_score"])
    }

    func testCollidingColumnNamesAreRefusedAtTheirLine() throws {
        let cases: [(criteria: [String], extra: String, scorer: String, line: Int, says: String)] = [
            (["by_country", "by_plan"], "", "plan_score", 10, "criterion 'by_plan' would name a membership.csv column that is already a score column"),
            (["by_country", "by_plan"], "membership: { columns: [by_plan] }\n", "spend_score", 13, "membership.columns lists 'by_plan', which membership.csv already has (criterion 'by_plan''s labels); remove it"),
        ]
        for c in cases {
            let ws = try workspace(["bad": Self.definition(criteria: c.criteria, combine: "first_match", extra: c.extra, scorer: c.scorer)])
            XCTAssertThrowsError(try History.run(ws, RunRequest(holder: "test")), c.says) { error in
                let e = error as? DefinitionError
                XCTAssertEqual(e?.file.hasSuffix("segmentations/bad.yaml"), true, "\(error)")
                XCTAssertEqual(e?.line, c.line, "\(error)")
                XCTAssertTrue("\(error)".contains(c.says), "\(error)")
            }
        }
        // A criterion named like the id column, `segment` or `decided_by`.
        var def = try Definition.parse(text: Self.definition(criteria: ["by_plan", "by_country"], combine: "cross"),
                                       file: "segmentations/d.yaml", defaultName: "d")
        let runner = Runner(workspace: try workspace([:]))
        for name in ["customer_id", "segment", "decided_by"] {
            def.criteria[1].plugin = name
            XCTAssertThrowsError(try runner.checkCriterionColumns(def, scores: [])) { error in
                XCTAssertTrue("\(error)".hasPrefix("segmentations/d.yaml:10: criterion '\(name)' would name a membership.csv column that is already"), "\(error)")
                XCTAssertTrue("\(error)".contains("Use a plugin of another name"), "\(error)")
            }
        }
        // One criterion writes no criterion column, so nothing can collide.
        def.criteria = [def.criteria[0]]
        def.criteria[0].plugin = "segment"
        XCTAssertNoThrow(try runner.checkCriterionColumns(def, scores: []))
    }

    func testOnePluginNameFromTwoSourcesIsToldApartByItsLibrary() throws {
        func layout(_ criteria: String) throws -> MembershipLayout {
            let text = Self.definition(criteria: [], combine: "first_match")
                .replacingOccurrences(of: "criteria:\n", with: "criteria:\n" + criteria)
            return MembershipLayout(definition: try Definition.parse(text: text, file: "d.yaml", defaultName: "d"))
        }
        let mixed = try layout("  - plugin: tier\n  - plugin: tier\n    library: team\n  - plugin: by_plan\n")
        XCTAssertEqual(mixed.columns, ["decided_by", "tier", "team/tier", "by_plan"])
        let two = try layout("  - plugin: tier\n    library: a\n  - plugin: tier\n    library: b\n")
        XCTAssertEqual(two.criteria, ["a/tier", "b/tier"])
        // The same plugin from the same place twice (with other params, say): numbered in definition order, also past a
        // criterion whose own name is taken by the numbering.
        let same = try layout("  - plugin: tier\n    library: a\n  - plugin: tier\n    library: a\n")
        XCTAssertEqual(same.criteria, ["tier", "tier_2"])
        let three = try layout("  - plugin: tier\n  - plugin: tier_2\n  - plugin: tier\n")
        XCTAssertEqual(three.criteria, ["tier", "tier_2", "tier_3"])
    }

    func testReadersOfStoredMembershipsHandleOldAndNewLayouts() throws {
        let text = Self.definition(criteria: ["big_spender", "by_plan"], combine: "first_match",
                                   extra: "membership: { columns: [spend] }\n")
        // Recorded before 0.4.0: no criterion columns.
        let old = DiffFixture.record(1, "customer_id,segment,spend_score,spend\nc1,Big,200,100\nc2,gold,100,50\n",
                                     definition: "f", definitionText: text, segworkVersion: "0.3.2")
        XCTAssertEqual(History.scoreColumns(of: old), ["spend_score"])
        let new = DiffFixture.record(2, "customer_id,segment,decided_by,big_spender,by_plan,spend_score,spend\n"
                                        + "c1,gold,by_plan,,gold,20,10\nc2,gold,by_plan,,gold,100,50\nc3,Big,big_spender,Big,,400,200\n",
                                     definition: "f", definitionText: text, segworkVersion: "0.4.0")
        XCTAssertEqual(History.scoreColumns(of: new), ["spend_score"])
        // The diff reads the id and segment whatever follows them.
        let d = try DiffEngine.diff(from: old, to: new, includeMovers: true)
        XCTAssertEqual(d.movers, [Mover(customerID: "c1", from: "Big", to: "gold"), Mover(customerID: "c3", from: "(absent)", to: "Big")])
        // Hashing ids touches the first field only.
        let hashed = String(decoding: IDHasher(salt: "s").hashMembership(new.membershipCSV), as: UTF8.self)
        let lines = hashed.split(separator: "\n")
        XCTAssertEqual(lines[0], "customer_id,segment,decided_by,big_spender,by_plan,spend_score,spend")
        XCTAssertTrue(lines[3].hasSuffix(",Big,big_spender,Big,,400,200") && !lines[3].hasPrefix("c3,"), String(lines[3]))
    }
}
