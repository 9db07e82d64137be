import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Parsing the `gates:` section: every key, percentages, and mistakes reported with their line.
final class GateParserTests: XCTestCase {
    /// Parses `yaml` as the body of `gates:` (so line 1 is the first gate).
    static func gates(_ yaml: String) throws -> GateSet {
        let y = YAMLFields(file: "g.yaml")
        return try GateSet.parse(try y.root(yaml), y)
    }

    private func assertError(_ yaml: String, line: Int, _ fragments: String..., file: StaticString = #filePath,
                             at: UInt = #line) {
        XCTAssertThrowsError(try Self.gates(yaml), file: file, line: at) { e in
            guard let err = e as? DefinitionError else { return XCTFail("not a DefinitionError: \(e)", file: file, line: at) }
            XCTAssertEqual(err.file, "g.yaml", file: file, line: at)
            XCTAssertEqual(err.line, line, err.message, file: file, line: at)
            for f in fragments { XCTAssertTrue(err.message.contains(f), "'\(f)' not in: \(err.message)", file: file, line: at) }
        }
    }

    func testParsesEveryKeyInDeclaredOrder() throws {
        let g = try Self.gates("""
        max_drift: 0.25
        min_segment_size: 30
        max_segment_size: 2000
        min_segment_share: 0.01
        max_segment_share: "50%"
        max_segments: 12
        required_segments: [Champions, Loyal]
        max_unassigned_share: 0.05
        segments:
          Champions: { min_size: 10, max_share: 0.2 }
          Loyal: { max_size: 1500, min_share: 2% }
        profile:
          - { segment: Champions, column: monetary, statistic: median, min: 100, max: 5000 }
          - { segment: "*", statistic: share, max: 40% }
          - { segment: Loyal, statistic: count, min: -1.5 }
        """)
        XCTAssertEqual(g.gates, [
            .maxDrift(0.25), .minSegmentSize(30), .maxSegmentSize(2000), .minSegmentShare(0.01),
            .maxSegmentShare(0.5), .maxSegments(12), .requiredSegments(["Champions", "Loyal"]),
            .maxUnassignedShare(0.05),
            .segments([SegmentLimits(segment: "Champions", minSize: 10, maxShare: 0.2),
                       SegmentLimits(segment: "Loyal", maxSize: 1500, minShare: 0.02)]),
            .profile([ProfileBound(segment: "Champions", column: "monetary", statistic: .median, min: 100, max: 5000),
                      ProfileBound(segment: "*", column: nil, statistic: .share, min: nil, max: 0.4),
                      ProfileBound(segment: "Loyal", column: nil, statistic: .count, min: -1.5, max: nil)]),
        ])
        XCTAssertEqual(g.gates.map(\.key), ["max_drift", "min_segment_size", "max_segment_size", "min_segment_share",
                                            "max_segment_share", "max_segments", "required_segments",
                                            "max_unassigned_share", "segments", "profile"])
        XCTAssertEqual(g.maxDrift, 0.25)
        XCTAssertFalse(g.isEmpty)
    }

    func testPercentStringsAreExactFractions() throws {
        let cases: [(String, Double)] = [("1%", 0.01), ("7%", 0.07), ("12.5 %", 0.125), ("0.1%", 0.001),
                                         ("100%", 1), ("0%", 0), ("\"33%\"", 0.33), ("0.07", 0.07), ("1", 1), ("0", 0)]
        for (text, expected) in cases {
            XCTAssertEqual(try Self.gates("max_unassigned_share: \(text)").gates, [.maxUnassignedShare(expected)], text)
        }
    }

    func testEmptySectionsAndNoDrift() throws {
        XCTAssertTrue(try Self.gates("{}").isEmpty)
        let y = YAMLFields(file: "g.yaml")
        let empty = try GateSet.parse(try y.root("gates:")["gates"]!, y)
        XCTAssertTrue(empty.isEmpty)
        XCTAssertNil(try Self.gates("max_segments: 3").maxDrift)
    }

    func testUnknownKeysSuggestTheClosest() {
        assertError("max_segments: 3\nmin_segmnt_size: 30", line: 2, "unknown field 'min_segmnt_size' in 'gates'",
                    "did you mean 'min_segment_size'?")
        assertError("segments:\n  Gold: { min_size: 1, max_sise: 9 }", line: 2,
                    "unknown field 'max_sise' in 'gates.segments.Gold'", "did you mean 'max_size'?")
        assertError("profile:\n  - segment: Gold\n    statistc: count\n    min: 1", line: 3,
                    "unknown field 'statistc' in 'gates.profile[0]'", "did you mean 'statistic'?")
        assertError("profile:\n  - { segment: Gold, column: spend, statistic: mediam, min: 1 }", line: 2,
                    "'gates.profile[0].statistic' is 'mediam'", "did you mean 'median'?")
    }

    func testWrongTypesAndRanges() {
        assertError("min_segment_size: -1", line: 1, "'gates.min_segment_size' is -1", "0 or more")
        assertError("\nmax_segments: 2.5", line: 2, "'gates.max_segments' must be a whole number")
        assertError("max_segment_size: lots", line: 1, "must be a whole number")
        assertError("max_segment_share: 1.5", line: 1, "between 0 and 1")
        assertError("max_segment_share: 50", line: 1, "between 0 and 1", "write \"50%\"")
        assertError("max_drift: 150%", line: 1, "between 0% and 100%")
        assertError("max_drift: -1%", line: 1, "between 0% and 100%")
        assertError("max_drift: lots%", line: 1, "write a percentage like \"5%\"")
        assertError("max_drift: 1e1%", line: 1, "write a percentage like \"5%\"")
        assertError("min_segment_share: [1]", line: 1, "must be a share")
        assertError("max_drift: .nan", line: 1, "must be a share")
        assertError("required_segments: { a: 1 }", line: 1, "must be a list of names")
        assertError("segments: [Gold]", line: 1, "'gates.segments' must be a mapping")
        assertError("profile: { segment: Gold }", line: 1, "'gates.profile' must be a list")
        assertError("- min_segment_size: 3", line: 1, "'gates' must be a mapping")
    }

    func testMinimumAboveMaximumIsAnError() {
        assertError("min_segment_size: 50\nmax_segment_size: 10", line: 2,
                    "min_segment_size 50 is above max_segment_size 10", "no run could pass")
        assertError("max_segment_share: 0.2\nmin_segment_share: 30%", line: 1,
                    "min_segment_share 0.3 is above max_segment_share 0.2")
        assertError("segments:\n  Gold: { min_size: 20, max_size: 10 }", line: 2,
                    "'gates.segments.Gold': min_size 20 is above max_size 10")
        // An override against a global limit that would still apply to the segment.
        assertError("max_segment_size: 100\nsegments:\n  Gold: { min_size: 200 }", line: 3,
                    "min_size 200 is above max_segment_size 100")
        assertError("min_segment_share: 0.5\nsegments:\n  A: { min_size: 1 }\n  Gold: { max_share: 10% }", line: 4,
                    "min_segment_share 0.5 is above max_share 0.1")
        assertError("profile:\n  - { segment: Gold, statistic: count, min: 5, max: 1 }", line: 2,
                    "'gates.profile[0]': min 5 is above max 1")
    }

    func testOverriddenGlobalLimitDoesNotConflict() throws {
        let g = try Self.gates("max_segment_size: 100\nsegments:\n  Gold: { min_size: 200, max_size: 300 }")
        XCTAssertEqual(g.gates.count, 2)
    }

    func testSegmentNamesAndProfileShapes() {
        assertError("required_segments: [Gold, Silver, Gold]", line: 1, "lists 'Gold' twice")
        assertError("required_segments:\n  - Gold\n  - \"(unassigned)\"", line: 3, "'(unassigned)' is not a segment label")
        assertError("required_segments: [\"\"]", line: 1, "is empty; name a segment")
        assertError("segments:\n  \"(unassigned)\": { max_share: 0.1 }", line: 2, "with max_unassigned_share")
        assertError("segments:\n  Gold: {}", line: 2, "sets no limit")
        assertError("profile:\n  - { column: spend, statistic: mean, min: 1 }", line: 2, "needs 'segment: <label>'")
        assertError("profile:\n  - { segment: Gold, column: spend, min: 1 }", line: 2, "needs 'statistic:'",
                    "revenue_share")
        assertError("profile:\n  - { segment: Gold, statistic: mean, min: 1 }", line: 2,
                    "statistic 'mean' is a column statistic; add 'column:")
        assertError("profile:\n  - segment: Gold\n    statistic: count\n    column: spend\n    min: 1", line: 4,
                    "statistic 'count' is about the whole segment; remove 'column'")
        assertError("profile:\n  - { segment: Gold, statistic: count }", line: 2, "needs 'min:', 'max:' or both")
        assertError("profile:\n  - { segment: Gold, column: spend, statistic: median, min: 5% }", line: 2,
                    "'gates.profile[0].min' must be a number")
        assertError("profile:\n  - { segment: Gold, statistic: share, max: 2 }", line: 2,
                    "'gates.profile[0].max' is 2; a share is a fraction")
    }

    /// Every YAML example in docs/GATES.md parses.
    func testDocumentedExamplesParse() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/GATES.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        XCTAssertEqual(blocks.count, 2)
        for block in blocks {
            let y = YAMLFields(file: "GATES.md")
            let g = try GateSet.parse(try XCTUnwrap(try y.root(block)["gates"]), y)
            XCTAssertTrue(g.gates.count >= 8, block)
        }
    }

    func testDefinitionReadsGatesAndReportsTheirLines() throws {
        let base = "population: c\nid: id\ndatasets: { c: { file: c.csv } }\ncriteria: [tiers]\n"
        let d = try Definition.parse(text: base + "gates:\n  max_segments: 4\n", file: "seg/d.yaml", defaultName: "d")
        XCTAssertEqual(d.gates, GateSet(gates: [.maxSegments(4)]))
        XCTAssertNil(try Definition.parse(text: base, file: "seg/d.yaml", defaultName: "d").gates)
        XCTAssertThrowsError(try Definition.parse(text: base + "gates:\n  max_segments: 4\n  max_unasigned_share: 1%\n",
                                                  file: "seg/d.yaml", defaultName: "d")) { e in
            XCTAssertEqual("\(e)", "seg/d.yaml:7: unknown field 'max_unasigned_share' in 'gates'; did you mean "
                           + "'max_unassigned_share'? (known: \(GateSet.keys.joined(separator: ", ")))")
        }
    }
}
