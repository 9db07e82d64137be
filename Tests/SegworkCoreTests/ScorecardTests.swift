import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The attractiveness scorecard and the segmentation warnings (issue 10 §5), on a table small enough to check by hand.
final class ScorecardTests: XCTestCase {
    /// 10 customers: A = rows 0-4 (revenue 10 each, 1 order each), B = rows 5-7 (revenue 40 each, 2 orders each),
    /// C = row 8 (revenue 100, 4 orders), row 9 unassigned (revenue 5, 1 order).
    private func fixture() throws -> (ProfileSet, SegmentAssignment, Column) {
        let revenue: [Double] = [10, 10, 10, 10, 10, 40, 40, 40, 100, 5]
        let orders: [Int64] = [1, 1, 1, 1, 1, 2, 2, 2, 4, 1]
        let table = try Table(columns: [Column(name: "monetary", storage: .double(revenue), validity: nil),
                                        Column(name: "orders", storage: .integer(orders), validity: nil)])
        let assignment = SegmentAssignment(codes: [0, 0, 0, 0, 0, 1, 1, 1, 2, -1], labels: ["A", "B", "C"])
        let profiles = try Profiler.profiles(table: table, assignment: assignment, options: ProfileOptions(monetary: "monetary"))
        return (profiles, assignment, table["orders"]!)
    }

    private func prior(_ counts: [(String, Int, Double)]) -> PriorVersion {
        var report = ProfileReport(run: ExportTests.run, profiles: try! fixture().0)
        report.segments = counts.map { SegmentProfile(label: $0.0, unassigned: false, count: $0.1, share: nil, revenue: $0.2,
                                                       revenueShare: nil, numeric: [], categorical: []) }
        return PriorVersion(reference: PreviousRun(version: "v7", runID: "abc"), report: report)
    }

    func testMetricsScoresAndRanksByHand() throws {
        let (profiles, assignment, orders) = try fixture()
        let card = Scorecard.make(profiles, assignment: assignment, orders: orders,
                                  previous: prior([("A", 4, 40), ("B", 6, 240), ("Gone", 3, 9)]), spec: ScorecardSpec())
        XCTAssertEqual(card.segments.map(\.label), ["A", "B", "C"], "report order, the unassigned group left out")
        let a = card.segments[0], b = card.segments[1], c = card.segments[2]
        // Revenue 50 / 120 / 100 of 275; orders 5 / 6 / 4.
        XCTAssertEqual(a.revenue, 50); XCTAssertEqual(b.revenue, 120); XCTAssertEqual(c.revenue, 100)
        XCTAssertEqual(a.orders, 5); XCTAssertEqual(b.orders, 6); XCTAssertEqual(c.orders, 4)
        XCTAssertEqual(a.aov, 10); XCTAssertEqual(b.aov, 20); XCTAssertEqual(c.aov, 25)
        XCTAssertEqual(a.valuePerCustomer, 10); XCTAssertEqual(b.valuePerCustomer, 40); XCTAssertEqual(c.valuePerCustomer, 100)
        XCTAssertEqual(a.previousCount, 4); XCTAssertEqual(a.growth, 0.25); XCTAssertEqual(a.revenueGrowth, 0.25)
        XCTAssertEqual(b.previousCount, 6); XCTAssertEqual(b.growth, -0.5); XCTAssertEqual(b.revenueGrowth, -0.5)
        XCTAssertNil(c.previousCount); XCTAssertNil(c.growth, "a new segment has no growth")
        XCTAssertEqual(card.vanished, [VanishedSegment(label: "Gone", previousCount: 3)])
        XCTAssertEqual(card.previous, "v7"); XCTAssertEqual(card.orders, "orders")
        // Scaled 0-100 across A, B, C:
        //   size (share .5 .3 .1):          100, 50, 0
        //   revenue (50 120 100 of 275):      0, 100, 50/70*100 = 71.428571...
        //   value (10 40 100):                0, 100/3 = 33.33..., 100
        //   aov (10 20 25):                   0, 66.66..., 100
        //   growth (.25 -.5, C none):       100, 0, left out
        // A = (100 + 0 + 0 + 0 + 100) / 5 = 40; B = (50 + 100 + 33.33 + 66.67 + 0) / 5 = 50;
        // C = (0 + 71.43 + 100 + 100) / 4 = 67.857142857...
        XCTAssertEqual(try XCTUnwrap(a.score), 40, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(b.score), 50, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(c.score), (0 + 500.0 / 7 + 100 + 100) / 4, accuracy: 1e-9)
        XCTAssertEqual(card.segments.map(\.rank), [3, 2, 1])
    }

    func testWeightsAndTies() throws {
        let (profiles, assignment, orders) = try fixture()
        var spec = ScorecardSpec()
        spec.weights = ["size": 0, "revenue": 0, "value": 0, "aov": 0, "growth": 2]
        // Without a previous version no segment has growth: no score, no rank.
        let none = Scorecard.make(profiles, assignment: assignment, orders: orders, previous: nil, spec: spec)
        XCTAssertEqual(none.segments.map(\.score), [nil, nil, nil]); XCTAssertEqual(none.segments.map(\.rank), [nil, nil, nil])
        XCTAssertNil(none.previous)
        // Equal growth: every segment scaled to 50, and ties share the better rank.
        let equal = Scorecard.make(profiles, assignment: assignment, orders: orders,
                                   previous: prior([("A", 5, 1), ("B", 3, 1), ("C", 1, 1)]), spec: spec)
        XCTAssertEqual(equal.segments.map(\.score), [50, 50, 50]); XCTAssertEqual(equal.segments.map(\.rank), [1, 1, 1])
        // Only size counts: A 100, B 50, C 0.
        spec.weights = ["size": 1, "revenue": 0, "value": 0, "aov": 0, "growth": 0]
        let size = Scorecard.make(profiles, assignment: assignment, orders: nil, previous: nil, spec: spec)
        XCTAssertEqual(size.segments.map(\.score), [100, 50, 0])
        XCTAssertEqual(size.segments.map(\.aov), [nil, nil, nil], "no orders column, no order value")
    }

    func testHugeWeightsGiveTheSameScoresAsTheirRatios() throws {
        let (profiles, assignment, orders) = try fixture()
        var huge = ScorecardSpec(), small = ScorecardSpec()
        huge.weights = ["size": 1e308, "revenue": 1e308, "value": 0, "aov": 0, "growth": 0]
        small.weights = ["size": 1, "revenue": 1, "value": 0, "aov": 0, "growth": 0]
        let a = Scorecard.make(profiles, assignment: assignment, orders: orders, previous: nil, spec: huge)
        let b = Scorecard.make(profiles, assignment: assignment, orders: orders, previous: nil, spec: small)
        XCTAssertEqual(a.segments.map(\.score), b.segments.map(\.score))
        XCTAssertEqual(a.segments.map(\.rank), b.segments.map(\.rank))
        XCTAssertFalse(a.segments.contains { $0.score == nil })
    }

    func testSuppressedSegmentsHideTheirMoney() throws {
        let (profiles, assignment, orders) = try fixture()
        let card = Scorecard.make(Suppression.apply(profiles, k: 2), assignment: assignment, orders: orders,
                                  previous: nil, spec: ScorecardSpec())
        let c = card.segments[2]
        XCTAssertEqual(c.count, 1)
        XCTAssertNil(c.revenue); XCTAssertNil(c.orders); XCTAssertNil(c.aov); XCTAssertNil(c.valuePerCustomer)
        XCTAssertNil(c.score, "a score from its size alone would rank it on another basis")
        XCTAssertNil(c.rank)
        XCTAssertEqual(card.segments.map(\.rank), [2, 1, nil], "the others are ranked among themselves")
    }

    func testWarnings() throws {
        let (profiles, _, _) = try fixture()
        var spec = ScorecardSpec()
        spec.minSize = 4; spec.maxShare = 0.45
        let w = SegmentWarnings.find(profiles, spec: spec)
        XCTAssertEqual(w.map(\.kind), ["small_segment", "small_segment", "too_many_segments", "dominant_segment"])
        guard w.count == 4 else { return }
        XCTAssertEqual(w.map(\.segment), ["B", "C", nil, "A"])
        XCTAssertTrue(w[0].message.contains("segment 'B' has 3 of 10 customers (30.0%), below scorecard.min_size 4"), w[0].message)
        XCTAssertTrue(w[2].message.hasPrefix("3 segments for 10 customers"), w[2].message)
        XCTAssertTrue(w[3].message.contains("holds 5 of 10 customers (50.0%), over scorecard.max_share 45.0%"), w[3].message)
        // Defaults on this table: every segment is below 30 customers; no segment holds more than half.
        XCTAssertEqual(SegmentWarnings.find(profiles, spec: ScorecardSpec()).map(\.kind),
                       ["small_segment", "small_segment", "small_segment", "too_many_segments"])
        // A share limit alone flags a segment too.
        spec = ScorecardSpec(); spec.minSize = 1; spec.minShare = 0.2
        XCTAssertEqual(SegmentWarnings.find(profiles, spec: spec).map(\.segment), ["C"])
        // Shares that read alike at one decimal get more (QA: "1.0%, below 1.0%").
        XCTAssertTrue(SegmentWarnings.percents(500.0 / 50_500, 0.01) == ("0.99%", "1.00%"))
        XCTAssertTrue(SegmentWarnings.percents(0.5, 0.45) == ("50.0%", "45.0%"))
        // The unassigned group dominating is under-segmentation too.
        let unassigned = try Profiler.profiles(table: try Table(columns: [Column(name: "x", storage: .integer([1, 2, 3]), validity: nil)]),
                                               assignment: SegmentAssignment(codes: [0, -1, -1], labels: ["A"]), options: ProfileOptions())
        spec = ScorecardSpec(); spec.minSize = 1
        let u = SegmentWarnings.find(unassigned, spec: spec)
        XCTAssertEqual(u.map(\.kind), ["dominant_segment"]); XCTAssertEqual(u.first?.segment, "(unassigned)")
        XCTAssertTrue(u[0].message.hasPrefix("no segment was given to 2 of 3 customers"), u[0].message)
    }

    func testExportsCarryTheScorecard() throws {
        let (profiles, assignment, orders) = try fixture()
        var report = ProfileReport(run: ExportTests.run, profiles: profiles)
        report.scorecard = Scorecard.make(profiles, assignment: assignment, orders: orders,
                                          previous: prior([("A", 4, 40), ("Gone", 3, 9)]), spec: ScorecardSpec())
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Exporter.json(report)) as? [String: Any])
        let card = try XCTUnwrap(json["scorecard"] as? [String: Any])
        XCTAssertEqual(card["previous"] as? String, "v7")
        XCTAssertEqual((card["segments"] as? [[String: Any]])?.first?["aov"] as? Double, 10)
        XCTAssertEqual((card["segments"] as? [[String: Any]])?.last?["growth"] as? NSNull, NSNull(), "undefined is null, not absent")
        let csv = String(decoding: Exporter.csv(report), as: UTF8.self)
        for line in ["(all),(scorecard),previous_version,,v7", "A,(scorecard),aov,10,", "A,(scorecard),growth,0.25,",
                     "B,(scorecard),previous_count,,", "C,(scorecard),rank,1,", "C,(scorecard),warning,,small_segment"] {
            XCTAssertTrue(csv.contains(line + "\n"), line)
        }
        let md = String(decoding: Exporter.markdown(report), as: UTF8.self)
        XCTAssertTrue(md.contains("## Scorecard"), md)
        XCTAssertTrue(md.contains("| 1 | C | 1 | 10.0% |"), md)
        XCTAssertTrue(md.contains("| 3 | A | 5 | 50.0% | 18.2% | 10.00 | 5 | 10.00 | +25.0% |"), md)
        XCTAssertTrue(md.contains("Gone since v7: Gone (3 customers)"), md)
        XCTAssertTrue(md.contains("- segment 'C' has 1 of 10 customers"), md)
    }
}
