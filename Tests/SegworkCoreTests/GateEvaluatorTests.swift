import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Evaluating gates on the profile fixture: Gold 3, Silver 3, Bronze 2, Zero 0 (an empty segment),
/// 2 unassigned, 10 customers. Spend means: Gold 23.3333333333, Silver 10, Bronze 50; revenue 70, 20, 100 of 220.
final class GateEvaluatorTests: XCTestCase {
    static let assignment = SegmentAssignment(codes: ProfileFixture.assignment.codes,
                                              labels: ProfileFixture.assignment.labels + ["Zero"])

    static func report(options: ProfileOptions = ProfileFixture.options,
                       assignment: SegmentAssignment = assignment) throws -> ProfileReport {
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: assignment, options: options)
        return ProfileReport(run: ExportTests.run, profiles: p)
    }

    private func evaluate(_ yaml: String, drift: Double? = nil, report: ProfileReport? = nil) throws -> [GateResult] {
        GateEvaluator.evaluate(try GateParserTests.gates(yaml), report: try report ?? Self.report(), drift: drift)
    }

    private func summary(_ results: [GateResult]) -> [String] {
        results.map { "\($0.gate) \($0.segment ?? "-") \($0.passed ? "pass" : "FAIL")" }
    }

    func testFixtureOrder() throws {
        XCTAssertEqual(try Self.report().segments.map(\.label), ["Gold", "Silver", "Bronze", "Zero", "(unassigned)"])
    }

    func testSizesSkipEmptyAndUnassignedGroups() throws {
        let r = try evaluate("min_segment_size: 3") + evaluate("max_segment_size: 2")
        XCTAssertEqual(summary(r), ["min_segment_size Gold pass", "min_segment_size Silver pass",
                                    "min_segment_size Bronze FAIL", "max_segment_size Gold FAIL",
                                    "max_segment_size Silver FAIL", "max_segment_size Bronze pass"])
        XCTAssertEqual(r[2], GateResult(gate: "min_segment_size", segment: "Bronze", passed: false, actual: 2, limit: 3,
                                        message: "gate min_segment_size: segment 'Bronze' has 2 customers, below the minimum of 3"))
        XCTAssertEqual(r[0].message, "gate min_segment_size: segment 'Gold' has 3 customers, at least the minimum of 3")
        XCTAssertEqual(r[3].message, "gate max_segment_size: segment 'Gold' has 3 customers, above the maximum of 2")
        XCTAssertEqual(r[5].message, "gate max_segment_size: segment 'Bronze' has 2 customers, within the maximum of 2")
    }

    func testShares() throws {
        let r = try evaluate("min_segment_share: 25%\nmax_segment_share: 0.3")
        XCTAssertEqual(summary(r), ["min_segment_share Gold pass", "min_segment_share Silver pass",
                                    "min_segment_share Bronze FAIL", "max_segment_share Gold pass",
                                    "max_segment_share Silver pass", "max_segment_share Bronze pass"])
        XCTAssertEqual(r[2].message,
                       "gate min_segment_share: segment 'Bronze' holds 20% of customers (2 of 10), below the minimum of 25%")
        XCTAssertEqual(r[2].actual, 0.2); XCTAssertEqual(r[2].limit, 0.25)
        XCTAssertEqual(r[3].message,
                       "gate max_segment_share: segment 'Gold' holds 30% of customers (3 of 10), within the maximum of 30%")
        // Close numbers get the decimals that tell them apart.
        let close = try evaluate("max_segment_share: 0.2999")
        XCTAssertEqual(close[0].message, "gate max_segment_share: segment 'Gold' holds 30% of customers (3 of 10), "
                       + "above the maximum of 29.99%")
        XCTAssertEqual(GateFormat.percent(0.29999, apartFrom: 0.3), "29.999%")
        XCTAssertEqual(GateFormat.percent(1.0 / 3), "33.33%")
    }

    func testSegmentCountRequiredSegmentsAndUnassignedShare() throws {
        let r = try evaluate("""
        max_segments: 2
        required_segments: [Silver, Zero, Platinum]
        max_unassigned_share: 0.1
        """)
        XCTAssertEqual(summary(r), ["max_segments - FAIL", "required_segments Silver pass",
                                    "required_segments Zero FAIL", "required_segments Platinum FAIL",
                                    "max_unassigned_share (unassigned) FAIL"])
        XCTAssertEqual(r[0], GateResult(gate: "max_segments", segment: nil, passed: false, actual: 3, limit: 2,
                                        message: "gate max_segments: 3 segments have customers, above the maximum of 2"))
        XCTAssertEqual(r[1].message, "gate required_segments: segment 'Silver' has 3 customers")
        XCTAssertEqual(r[2].message, "gate required_segments: segment 'Zero' has no customers, but it is required to have some")
        XCTAssertEqual(r[2].actual, 0)
        XCTAssertEqual(r[3].message, "gate required_segments: segment 'Platinum' does not exist in this run "
                       + "(segments: 'Gold', 'Silver', 'Bronze', 'Zero'); check the name in the definition's gates")
        XCTAssertNil(r[3].actual)
        // Under "*" a segment without the statistic is skipped (passed), not failed.
        let skipped = try evaluate("profile: [{ segment: '*', column: spend, statistic: mean, min: 0 }]",
                                   report: Self.report(assignment: SegmentAssignment(
                                       codes: [0, 0, 0, 0, -1, 0, 0, 0, 0, 1], labels: ["Most", "NoSpend"])))
        XCTAssertEqual(summary(skipped), ["profile[0] Most pass", "profile[0] NoSpend pass"])
        XCTAssertEqual(skipped[1].message, "gate profile[0]: segment 'NoSpend': mean of 'spend' is undefined (no "
                       + "customer in it has a value of 'spend'), so this segment is not checked")
        XCTAssertEqual(r[4], GateResult(gate: "max_unassigned_share", segment: "(unassigned)", passed: false, actual: 0.2,
                                        limit: 0.1, message: "gate max_unassigned_share: 20% of customers (2 of 10) "
                                            + "are unassigned, above the maximum of 10%"))
        let ok = try evaluate("max_segments: 3\nmax_unassigned_share: 20%")
        XCTAssertEqual(ok.map(\.passed), [true, true])
        XCTAssertEqual(ok[0].message, "gate max_segments: 3 segments have customers, within the maximum of 3")
    }

    func testDrift() throws {
        let none = try evaluate("max_drift: 0.25")
        XCTAssertEqual(none, [GateResult(gate: "max_drift", segment: nil, passed: true, actual: nil, limit: 0.25,
                                         message: "gate max_drift: no earlier version of this definition passed its gates or was approved, "
                                             + "so there is no baseline to compare with; nothing to check")])
        let within = try evaluate("max_drift: 0.25", drift: 0.25)
        XCTAssertTrue(within[0].passed)
        XCTAssertEqual(within[0].actual, 0.25)
        XCTAssertEqual(within[0].message, "gate max_drift: 25% of the customers in both versions changed segment "
                       + "since the baseline, within the maximum of 25%")
        let over = try evaluate("max_drift: 25%", drift: 0.312)
        XCTAssertFalse(over[0].passed)
        XCTAssertEqual(over[0].message, "gate max_drift: 31.2% of the customers in both versions changed segment "
                       + "since the baseline, above the maximum of 25%")
        let named = GateEvaluator.evaluate(try GateParserTests.gates("max_drift: 25%"), report: try Self.report(),
                                           drift: 0.312, baseline: "v4")
        XCTAssertTrue(named[0].message.contains("changed segment since the baseline v4, above"), named[0].message)
        // A baseline with no customer in common (every id changed): drift cannot be measured, so the gate fails.
        let disjoint = GateEvaluator.evaluate(try GateParserTests.gates("max_drift: 25%"), report: try Self.report(),
                                              drift: nil, baseline: "v3")
        XCTAssertFalse(disjoint[0].passed)
        XCTAssertTrue(disjoint[0].message.contains("no customer of the baseline v3 is in this version"), disjoint[0].message)
    }

    func testPerSegmentOverridesReplaceGlobalLimits() throws {
        let r = try evaluate("""
        min_segment_size: 3
        segments:
          Bronze: { min_size: 2, max_share: 0.1 }
          Zero: { min_size: 1, max_size: 5 }
          Platinum: { max_size: 5 }
        max_segment_share: 0.25
        """)
        XCTAssertEqual(summary(r), ["min_segment_size Gold pass", "min_segment_size Silver pass",
                                    "segments.Bronze.min_size Bronze pass", "segments.Bronze.max_share Bronze FAIL",
                                    "segments.Zero.min_size Zero FAIL", "segments.Zero.max_size Zero pass",
                                    "segments.Platinum Platinum FAIL",
                                    "max_segment_share Gold FAIL", "max_segment_share Silver FAIL"])
        XCTAssertEqual(r[3].message, "gate segments.Bronze.max_share: segment 'Bronze' holds 20% of customers (2 of 10), "
                       + "above the maximum of 10%")
        XCTAssertEqual(r[4].message, "gate segments.Zero.min_size: segment 'Zero' has 0 customers, below the minimum of 1")
        XCTAssertTrue(r[6].message.contains("segment 'Platinum' does not exist in this run"), r[6].message)
        let all = try evaluate("min_segment_size: 50\nsegments:\n  Gold: {min_size: 1}\n  Silver: {min_size: 1}\n"
                               + "  Bronze: {min_size: 1}")
        XCTAssertEqual(all[0], GateResult(gate: "min_segment_size", segment: nil, passed: true, actual: nil, limit: 50,
                                          message: "gate min_segment_size: every segment with customers has its own "
                                              + "min_size under gates.segments; nothing to check"))
    }

    func testProfileBounds() throws {
        let r = try evaluate("""
        profile:
          - { segment: Gold, column: spend, statistic: median, min: 10, max: 30 }
          - { segment: "*", column: spend, statistic: mean, max: 40 }
          - { segment: Silver, column: city, statistic: missing, max: 0 }
          - { segment: Gold, statistic: revenue_share, min: 50% }
          - { segment: "(unassigned)", statistic: count, max: 1 }
          - { segment: "(all)", column: age, statistic: index, min: 100, max: 100 }
          - { segment: Bronze, column: age, statistic: p75, min: 40 }
          - { segment: Silver, statistic: revenue, max: 20 }
        """)
        XCTAssertEqual(summary(r), ["profile[0] Gold pass", "profile[1] Gold pass", "profile[1] Silver pass",
                                    "profile[1] Bronze FAIL", "profile[2] Silver FAIL", "profile[3] Gold FAIL",
                                    "profile[4] (unassigned) FAIL", "profile[5] (all) pass", "profile[6] Bronze FAIL",
                                    "profile[7] Silver pass"])
        XCTAssertEqual(r[0].message, "gate profile[0]: segment 'Gold': median of 'spend' is 20, within the bounds 10 to 30")
        XCTAssertEqual(r[1].message, "gate profile[1]: segment 'Gold': mean of 'spend' is 23.3333333333, within the maximum of 40")
        XCTAssertEqual(r[3], GateResult(gate: "profile[1]", segment: "Bronze", passed: false, actual: 50, limit: 40,
                                        message: "gate profile[1]: segment 'Bronze': mean of 'spend' is 50, above the maximum of 40"))
        XCTAssertEqual(r[4].actual, 1)
        XCTAssertEqual(r[5].message, "gate profile[3]: segment 'Gold': revenue_share is 31.82%, below the minimum of 50%")
        XCTAssertEqual(r[6].message, "gate profile[4]: segment '(unassigned)': count is 2, above the maximum of 1")
        XCTAssertEqual(r[8].message, "gate profile[6]: segment 'Bronze': p75 of 'age' is 32.5, below the minimum of 40")
        XCTAssertEqual(r[9].message, "gate profile[7]: segment 'Silver': revenue is 20, within the maximum of 20")
    }

    func testProfileBoundsTheReportCannotAnswerFailClearly() throws {
        let r = try evaluate("""
        profile:
          - { segment: Gold, column: spnd, statistic: mean, min: 0 }
          - { segment: "*", column: city, statistic: median, min: 0 }
          - { segment: Platinum, statistic: count, min: 1 }
          - { segment: Zero, column: spend, statistic: mean, min: 0 }
          - { segment: Zero, statistic: count, max: 0 }
        """)
        XCTAssertEqual(summary(r), ["profile[0] Gold FAIL", "profile[1] - FAIL", "profile[2] Platinum FAIL",
                                    "profile[3] Zero FAIL", "profile[4] Zero pass"])
        XCTAssertEqual(r[0].message, "gate profile[0]: column 'spnd' is not profiled in this run (numeric columns: "
                       + "'spend', 'age'); did you mean 'spend'? add it to the definition's profile.numeric or fix the name")
        XCTAssertEqual(r[1].message, "gate profile[1]: column 'city' is profiled as categorical, and 'median' needs a "
                       + "numeric column; list it under profile.numeric, or bound its 'missing' count")
        XCTAssertTrue(r[2].message.contains("segment 'Platinum' does not exist"), r[2].message)
        XCTAssertEqual(r[3].message, "gate profile[3]: segment 'Zero': mean of 'spend' is undefined (no customer in it "
                       + "has a value of 'spend'), so the bound cannot be checked")
        XCTAssertNil(r[3].actual)
        // Under "*" a segment without the statistic is skipped (passed), not failed.
        let skipped = try evaluate("profile: [{ segment: '*', column: spend, statistic: mean, min: 0 }]",
                                   report: Self.report(assignment: SegmentAssignment(
                                       codes: [0, 0, 0, 0, -1, 0, 0, 0, 0, 1], labels: ["Most", "NoSpend"])))
        XCTAssertEqual(summary(skipped), ["profile[0] Most pass", "profile[0] NoSpend pass"])
        XCTAssertEqual(skipped[1].message, "gate profile[0]: segment 'NoSpend': mean of 'spend' is undefined (no "
                       + "customer in it has a value of 'spend'), so this segment is not checked")

        let noMoney = try Self.report(options: ProfileOptions(numeric: ["age"]))
        let m = try evaluate("profile:\n  - { segment: Gold, statistic: revenue, min: 1 }", report: noMoney)
        XCTAssertEqual(m.map(\.passed), [false])
        XCTAssertEqual(m[0].message, "gate profile[0]: statistic 'revenue' needs a monetary column, but this run has "
                       + "none; set profile.monetary in the definition")
    }

    func testAnEmptyRunHasNothingToCheckButItsRequirementsFail() throws {
        let table = try Table(columns: [Column(name: "spend", storage: .double([]))])
        let p = try Profiler.profiles(table: table, assignment: SegmentAssignment(codes: [], labels: []),
                                      options: ProfileOptions(numeric: ["spend"]))
        let empty = ProfileReport(run: ExportTests.run, profiles: p)
        let r = try evaluate("min_segment_share: 0.1\nmax_unassigned_share: 0\nrequired_segments: Gold\n"
                             + "profile: [{ segment: '*', column: spend, statistic: mean, min: 1 }]", report: empty)
        XCTAssertEqual(summary(r), ["min_segment_share - pass", "max_unassigned_share (unassigned) pass",
                                    "required_segments Gold FAIL", "profile[0] - pass"])
        XCTAssertEqual(r[0].message, "gate min_segment_share: no segment has customers; nothing to check")
        XCTAssertEqual(r[1].message, "gate max_unassigned_share: 0% of customers (0 of 0) are unassigned, "
                       + "within the maximum of 0%")
        XCTAssertTrue(r[2].message.contains("(segments: none)"), r[2].message)
    }

    /// `seg check` evaluates a stored version from its profiles.json: decoding it must give the same results,
    /// and the results themselves round-trip through JSON with every key present.
    func testWorksFromExportedJSONAndResultsRoundTrip() throws {
        let yaml = "min_segment_size: 3\nmax_segment_share: 0.25\nprofile:\n  - { segment: '*', column: spend, statistic: p25, max: 20 }"
        let report = try Self.report()
        let decoded = try JSONDecoder().decode(ProfileReport.self, from: Exporter.json(report))
        XCTAssertEqual(decoded, report)
        let results = try evaluate(yaml, report: report)
        XCTAssertEqual(try evaluate(yaml, report: decoded), results)
        XCTAssertEqual(results.count, 9)

        let data = try JSONEncoder().encode(GateResult(gate: "max_drift", segment: nil, passed: true, actual: nil,
                                                       limit: 0.25, message: "m"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object.keys.sorted(), ["actual", "gate", "limit", "message", "passed", "segment"])
        XCTAssertTrue(object["segment"] is NSNull)
        XCTAssertEqual(try JSONDecoder().decode([GateResult].self, from: JSONEncoder().encode(results)), results)
    }
}
