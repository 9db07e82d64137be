import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Segment descriptions (issue 12): the plugin's `descriptions`, carried through `labels:` renames, replaced by a
/// definition's `descriptions:`, joined for `cross`; in profiles.json and profiles.md.
final class SegmentDescriptionTests: XCTestCase {
    private func definition(_ use: String) throws -> Definition {
        try Definition.parse(text: """
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/customers.csv }
            criteria:
              - plugin: nps
            \(use)
            """, file: "seg/d.yaml", defaultName: "d")
    }

    func testDefinitionReadsDescriptionsInNFC() throws {
        let d = try definition("""
                labels: { Promoter: Fan }
                descriptions: { Fan: "Loves us", "Cafe\\u0301": "caf\\u00e9 crowd" }
            """)
        XCTAssertEqual(d.criteria[0].descriptions.map, ["Fan": "Loves us", "Caf\u{E9}": "caf\u{E9} crowd"])
        XCTAssertEqual(d.criteria[0].descriptions.lines["Fan"], 8)
    }

    func testBadDescriptionsNameTheFileAndLine() {
        let long = String(repeating: "x", count: 161)
        for (use, expected) in [("    descriptions: { Fan: \"\" }", "'criteria[0].descriptions.Fan' is empty; describe in a few words"),
                                ("    descriptions: { Fan: \"a\\tb\" }", "holds a control character"),
                                ("    descriptions: { Fan: \(long) }", "has 161 characters; keep a description to 160"),
                                ("    descriptions: [Fan]", "criteria[0].descriptions")] {
            XCTAssertThrowsError(try definition(use), use) { e in
                XCTAssertTrue("\(e)".hasPrefix("seg/d.yaml:7"), "\(e)")
                XCTAssertTrue("\(e)".contains(expected), "\(e)")
            }
        }
        XCTAssertThrowsError(try Definition.parse(text: """
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/customers.csv }
            scorers:
              - plugin: value_score
                descriptions: { A: b }
            criteria: [nps]
            """, file: "seg/d.yaml", defaultName: "d")) { e in
            XCTAssertTrue("\(e)".contains("'scorers[0].descriptions' describes a criterion's segments; a scorer gives numbers, not labels"), "\(e)")
        }
    }

    func testRenamesCarryDescriptionsAndTheDefinitionOverrides() throws {
        let plugin = ["Promoter": "Would recommend us", "Passive": "Lukewarm", "Detractor": "Unhappy"]
        let labels = ["Promoter", "Passive", "Detractor"]
        var renames = LabelRenames()
        renames.map = ["Promoter": "Fan", "Passive": "Other", "Detractor": "Other"]
        var overrides = DescriptionOverrides()
        XCTAssertEqual(SegmentDescriptions.criterion(plugin, labels: labels, renames: renames, overrides: overrides),
                       ["Fan": "Would recommend us", "Other": "Lukewarm / Unhappy"],
                       "a renamed label keeps its description; merged labels join theirs in declared order")
        overrides.map = ["Other": "Not (yet) fans", "New": "Given by the definition"]
        XCTAssertEqual(SegmentDescriptions.criterion(plugin, labels: labels, renames: renames, overrides: overrides),
                       ["Fan": "Would recommend us", "Other": "Not (yet) fans", "New": "Given by the definition"])
        XCTAssertEqual(SegmentDescriptions.criterion(nil, labels: nil, renames: LabelRenames(), overrides: DescriptionOverrides()), [:])
    }

    func testCrossJoinsThePartsAndFirstMatchTakesTheDecidingOne() {
        let a = LabelAssignment(codes: [0, 1, -1, 0, 1], labels: ["High", "Low"])
        let b = LabelAssignment(codes: [0, 0, 0, 1, 1], labels: ["Active", "Lapsed"])
        let describing = [["High": "Spends most"], ["Active": "Bought recently", "Lapsed": "Long gone"]]
        let cross = Runner.combine([a, b], .cross, rows: 5, describing: describing)
        XCTAssertEqual(cross.assignment.labels, ["High × Active", "Low × Active", "High × Lapsed", "Low × Lapsed"])
        XCTAssertEqual(cross.descriptions, ["High × Active": "Spends most; Bought recently",
                                            "Low × Active": "Bought recently",  // 'Low' has none: left out
                                            "High × Lapsed": "Spends most; Long gone", "Low × Lapsed": "Long gone"])
        let first = Runner.combine([a, b], .firstMatch, rows: 5, describing: describing)
        XCTAssertEqual(first.assignment.labels, ["High", "Low", "Active"])
        XCTAssertEqual(first.descriptions, ["High": "Spends most", "Active": "Bought recently"])
        let one = Runner.combine([b], .cross, rows: 5, describing: [describing[1]])
        XCTAssertEqual(one.descriptions, ["Active": "Bought recently", "Lapsed": "Long gone"])
        XCTAssertEqual(Runner.combine([a, b], .cross, rows: 5).labels, cross.assignment.labels, "the plain form is unchanged")
    }

    func testDescriptionsAreInJSONAndMarkdownOnlyWhenGiven() throws {
        var set = try Profiler.profiles(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                                        options: ProfileFixture.options)
        let plain = ProfileReport(run: ExportTests.run, profiles: set)
        XCTAssertFalse(String(decoding: Exporter.json(plain), as: UTF8.self).contains("\"description\""))
        XCTAssertFalse(String(decoding: Exporter.markdown(plain), as: UTF8.self).contains("| description |"))
        set.segments[0].description = "Top <spenders> | loyal"
        let report = ProfileReport(run: ExportTests.run, profiles: set)
        let json = String(decoding: Exporter.json(report), as: UTF8.self)
        XCTAssertTrue(json.contains("\"description\" : \"Top <spenders> | loyal\""), json)
        XCTAssertEqual(try JSONDecoder().decode(ProfileReport.self, from: Exporter.json(report)), report)
        let md = String(decoding: Exporter.markdown(report), as: UTF8.self)
        XCTAssertTrue(md.contains("| segment | description | customers | share |"), md)
        XCTAssertTrue(md.contains("| Gold | Top &lt;spenders&gt; \\| loyal | 3 | 30.0% |"), md)
        XCTAssertTrue(md.contains("| Silver | - | 3 |"), md)
        XCTAssertTrue(md.contains("### Gold\n\n_Top &lt;spenders&gt; \\| loyal_\n\n3 customers"), md)
    }
}
