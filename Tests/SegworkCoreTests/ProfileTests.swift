import XCTest
@testable import SegworkCore
@testable import SegworkData

/// A hand-made table of 10 customers in 3 segments plus 2 unassigned; every expected number in the
/// tests below was computed by hand (quantiles type 7: h = (n − 1)·p, linear interpolation).
///
/// | row | id  | segment | spend | age | city | vip   |
/// |-----|-----|---------|-------|-----|------|-------|
/// | 0   | c0  | Gold    | 10    | 20  | A    | true  |
/// | 1   | c1  | Gold    | 20    | 30  | A    | false |
/// | 2   | c2  | Gold    | 40    | 40  | B    | true  |
/// | 3   | c3  | Silver  | 5     | 50  | B    | false |
/// | 4   | c4  | Silver  | –     | 60  | B    | false |
/// | 5   | c5  | Silver  | 15    | 70  | –    | false |
/// | 6   | c6  | Bronze  | 100   | 25  | A    | true  |
/// | 7   | c7  | Bronze  | 0     | 35  | C    | false |
/// | 8   | c8  | –       | 30    | 45  | A    | false |
/// | 9   | c9  | –       | –     | 55  | C    | false |
enum ProfileFixture {
    static func table() throws -> Table {
        let spendValid = Bitmap([true, true, true, true, false, true, true, true, true, false])
        let cityValid = Bitmap([true, true, true, true, true, false, true, true, true, true])
        return try Table(columns: [
            Column(name: "id", storage: .string(codes: (0..<10).map { Int32($0) },
                                                dictionary: (0..<10).map { "c\($0)" })),
            Column(name: "spend", storage: .double([10, 20, 40, 5, 0, 15, 100, 0, 30, 0]), validity: spendValid),
            Column(name: "age", storage: .integer([20, 30, 40, 50, 60, 70, 25, 35, 45, 55])),
            // "A" appears twice in the dictionary on purpose: equal texts must be counted together.
            Column(name: "city", storage: .string(codes: [0, 3, 1, 1, 1, 0, 0, 2, 3, 2],
                                                  dictionary: ["A", "B", "C", "A"]), validity: cityValid),
            Column(name: "vip", storage: .bool([true, false, true, false, false, false, true, false, false, false])),
            Column(name: "since", storage: .date([0, 10, 20, 30, 40, 50, 60, 70, 80, 90])),
        ])
    }

    /// Labels deliberately not in report order.
    static let assignment = SegmentAssignment(codes: [1, 1, 1, 0, 0, 0, 2, 2, -1, -1],
                                              labels: ["Silver", "Gold", "Bronze"])

    static let options = ProfileOptions(numeric: ["spend", "age"], categorical: ["city"],
                                        monetary: "spend", topN: 2)
}

final class ProfileTests: XCTestCase {
    private func profiles() throws -> ProfileSet {
        try Profiler.profiles(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                              options: ProfileFixture.options)
    }

    private func assertNumeric(_ s: NumericSummary?, count: Int, missing: Int, mean: Double?, median: Double?,
                               p25: Double?, p75: Double?, min: Double?, max: Double?, index: Double?,
                               file: StaticString = #filePath, line: UInt = #line) {
        guard let s else { return XCTFail("summary missing", file: file, line: line) }
        XCTAssertEqual(s.count, count, "count", file: file, line: line)
        XCTAssertEqual(s.missing, missing, "missing", file: file, line: line)
        XCTAssertEqual(s.mean, mean, "mean", file: file, line: line)
        XCTAssertEqual(s.median, median, "median", file: file, line: line)
        XCTAssertEqual(s.p25, p25, "p25", file: file, line: line)
        XCTAssertEqual(s.p75, p75, "p75", file: file, line: line)
        XCTAssertEqual(s.min, min, "min", file: file, line: line)
        XCTAssertEqual(s.max, max, "max", file: file, line: line)
        XCTAssertEqual(s.index, index, "index", file: file, line: line)
    }

    func testOrderCountsAndShares() throws {
        let p = try profiles()
        // Gold and Silver tie at 3: byte order puts Gold first; unassigned always last.
        XCTAssertEqual(p.segments.map(\.label), ["Gold", "Silver", "Bronze", "(unassigned)"])
        XCTAssertEqual(p.segments.map(\.count), [3, 3, 2, 2])
        XCTAssertEqual(p.segments.map(\.share), [0.3, 0.3, 0.2, 0.2])
        XCTAssertEqual(p.segments.map(\.unassigned), [false, false, false, true])
        XCTAssertEqual(p.population.label, "(all)")
        XCTAssertEqual(p.population.count, 10)
        XCTAssertEqual(p.population.share, 1)
        XCTAssertFalse(p.population.unassigned)
        let plain = try Profiler.profile(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                                         options: ProfileFixture.options)
        XCTAssertEqual(plain, p.segments)
        XCTAssertEqual(p.numericColumns, [ProfiledColumn(name: "spend", type: .double),
                                          ProfiledColumn(name: "age", type: .integer)])
        XCTAssertEqual(p.categoricalColumns, [ProfiledColumn(name: "city", type: .string)])
        XCTAssertEqual(p.monetary, "spend")
    }

    func testNumericStatisticsByHand() throws {
        let p = try profiles()
        // Population spend: [0, 5, 10, 15, 20, 30, 40, 100], mean 27.5.
        assertNumeric(p.population.numeric("spend"), count: 8, missing: 2, mean: 27.5, median: 17.5,
                      p25: 8.75, p75: 32.5, min: 0, max: 100, index: 100)
        let gold = p.segments[0], silver = p.segments[1], bronze = p.segments[2], none = p.segments[3]
        // Gold [10, 20, 40]: mean 70/3; index (70/3)/27.5·100 = 84.848…
        assertNumeric(gold.numeric("spend"), count: 3, missing: 0, mean: 23.3333333333, median: 20,
                      p25: 15, p75: 30, min: 10, max: 40, index: 84.8484848485)
        assertNumeric(silver.numeric("spend"), count: 2, missing: 1, mean: 10, median: 10,
                      p25: 7.5, p75: 12.5, min: 5, max: 15, index: 36.3636363636)
        assertNumeric(bronze.numeric("spend"), count: 2, missing: 0, mean: 50, median: 50,
                      p25: 25, p75: 75, min: 0, max: 100, index: 181.818181818)
        assertNumeric(none.numeric("spend"), count: 1, missing: 1, mean: 30, median: 30,
                      p25: 30, p75: 30, min: 30, max: 30, index: 109.090909091)
        // Population age: [20, 25, 30, 35, 40, 45, 50, 55, 60, 70], mean 43.
        assertNumeric(p.population.numeric("age"), count: 10, missing: 0, mean: 43, median: 42.5,
                      p25: 31.25, p75: 53.75, min: 20, max: 70, index: 100)
        assertNumeric(gold.numeric("age"), count: 3, missing: 0, mean: 30, median: 30,
                      p25: 25, p75: 35, min: 20, max: 40, index: 69.7674418605)
        assertNumeric(silver.numeric("age"), count: 3, missing: 0, mean: 60, median: 60,
                      p25: 55, p75: 65, min: 50, max: 70, index: 139.534883721)
        assertNumeric(bronze.numeric("age"), count: 2, missing: 0, mean: 30, median: 30,
                      p25: 27.5, p75: 32.5, min: 25, max: 35, index: 69.7674418605)
        assertNumeric(none.numeric("age"), count: 2, missing: 0, mean: 50, median: 50,
                      p25: 47.5, p75: 52.5, min: 45, max: 55, index: 116.279069767)
    }

    func testRevenue() throws {
        let p = try profiles()
        XCTAssertEqual(p.population.revenue, 220)
        XCTAssertEqual(p.population.revenueShare, 1)
        XCTAssertEqual(p.segments.map(\.revenue), [70, 20, 100, 30])
        XCTAssertEqual(p.segments.map(\.revenueShare),
                       [0.318181818182, 0.0909090909091, 0.454545454545, 0.136363636364])
    }

    func testCategoricalTopValuesAndLift() throws {
        let p = try profiles()
        // Population city: A 4, B 3, C 2, missing 1 (the duplicated dictionary entry "A" counts as A).
        let all = try XCTUnwrap(p.population.categorical("city"))
        XCTAssertEqual(all.missing, 1); XCTAssertEqual(all.missingShare, 0.1); XCTAssertEqual(all.distinct, 3)
        XCTAssertEqual(all.top, [TopValue(value: "A", count: 4, share: 0.4, lift: 1),
                                 TopValue(value: "B", count: 3, share: 0.3, lift: 1)])
        let gold = try XCTUnwrap(p.segments[0].categorical("city"))
        XCTAssertEqual(gold.top, [TopValue(value: "A", count: 2, share: 0.666666666667, lift: 1.66666666667),
                                  TopValue(value: "B", count: 1, share: 0.333333333333, lift: 1.11111111111)])
        XCTAssertEqual(gold.missing, 0); XCTAssertEqual(gold.missingShare, 0)
        let silver = try XCTUnwrap(p.segments[1].categorical("city"))
        XCTAssertEqual(silver.missing, 1); XCTAssertEqual(silver.missingShare, 0.333333333333)
        XCTAssertEqual(silver.distinct, 1)
        XCTAssertEqual(silver.top, [TopValue(value: "B", count: 2, share: 0.666666666667, lift: 2.22222222222)])
        // Bronze: A and C tie at 1; byte order puts A first.
        let bronze = try XCTUnwrap(p.segments[2].categorical("city"))
        XCTAssertEqual(bronze.top, [TopValue(value: "A", count: 1, share: 0.5, lift: 1.25),
                                    TopValue(value: "C", count: 1, share: 0.5, lift: 2.5)])
        XCTAssertEqual(p.segments[3].categorical("city")?.top, bronze.top)
    }

    func testBoolAndIntegerCategoricalAndDateNumeric() throws {
        let options = ProfileOptions(numeric: ["since"], categorical: ["vip", "age"], topN: 1)
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: ProfileFixture.assignment,
                                      options: options)
        XCTAssertEqual(p.population.categorical("vip")?.top,
                       [TopValue(value: "false", count: 7, share: 0.7, lift: 1)])
        // Gold vip: true 2 of 3 → share 2/3, population true share 0.3 → lift 2.222…
        XCTAssertEqual(p.segments[0].categorical("vip")?.top,
                       [TopValue(value: "true", count: 2, share: 0.666666666667, lift: 2.22222222222)])
        // Gold ages 20, 30, 40 tie at 1 each: byte order keeps "20".
        XCTAssertEqual(p.segments[0].categorical("age")?.top.map(\.value), ["20"])
        XCTAssertEqual(p.segments[0].categorical("age")?.distinct, 3)
        // Dates as days: Gold has days 0, 10, 20; population mean 45.
        let since = try XCTUnwrap(p.segments[0].numeric("since"))
        XCTAssertEqual(since.mean, 10); XCTAssertEqual(since.p75, 15); XCTAssertEqual(since.max, 20)
        XCTAssertEqual(since.index, 22.2222222222)
        XCTAssertEqual(p.numericColumns, [ProfiledColumn(name: "since", type: .date)])
        XCTAssertNil(p.segments[0].revenue); XCTAssertNil(p.segments[0].revenueShare)
        XCTAssertNil(p.monetary)
    }

    func testEmptyUnassignedAndEmptySegmentArePresentWithUndefinedStatistics() throws {
        let assignment = SegmentAssignment(codes: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], labels: ["B", "A", "Zero"])
        let p = try Profiler.profiles(table: ProfileFixture.table(), assignment: assignment,
                                      options: ProfileFixture.options)
        XCTAssertEqual(p.segments.map(\.label), ["A", "B", "Zero", "(unassigned)"])
        for empty in p.segments[2...] {
            XCTAssertEqual(empty.count, 0)
            XCTAssertEqual(empty.share, 0)
            XCTAssertEqual(empty.revenue, 0)
            XCTAssertEqual(empty.revenueShare, 0)
            assertNumeric(empty.numeric("spend"), count: 0, missing: 0, mean: nil, median: nil,
                          p25: nil, p75: nil, min: nil, max: nil, index: nil)
            let city = try XCTUnwrap(empty.categorical("city"))
            XCTAssertEqual(city.top, []); XCTAssertNil(city.missingShare); XCTAssertEqual(city.distinct, 0)
        }
        XCTAssertTrue(p.segments[3].unassigned)
    }

    func testIndexIsNilWhenPopulationMeanIsZeroAndEmptyTable() throws {
        let zeros = try Table(columns: [Column(name: "x", storage: .integer([0, 0, 0]))])
        let p = try Profiler.profiles(table: zeros, assignment: SegmentAssignment(codes: [0, 0, -1], labels: ["S"]),
                                      options: ProfileOptions(numeric: ["x"], monetary: "x"))
        XCTAssertEqual(p.segments[0].numeric("x")?.mean, 0)
        XCTAssertNil(p.segments[0].numeric("x")?.index)
        XCTAssertNil(p.population.numeric("x")?.index)
        XCTAssertEqual(p.segments[0].revenue, 0)
        XCTAssertNil(p.segments[0].revenueShare, "total revenue 0: no share")

        let empty = try Table(columns: [Column(name: "x", storage: .double([]))])
        let e = try Profiler.profiles(table: empty, assignment: SegmentAssignment(codes: [], labels: []),
                                      options: ProfileOptions(numeric: ["x"]))
        XCTAssertEqual(e.segments.map(\.label), ["(unassigned)"])
        XCTAssertNil(e.population.share)
        XCTAssertNil(e.population.numeric("x")?.mean)
    }

    func testRoundingHidesFloatingPointNoise() {
        XCTAssertEqual(ProfileMath.round(0.1 + 0.2), 0.3)
        XCTAssertEqual(ProfileMath.round(-0.0).map { $0.sign }, .plus)
        XCTAssertNil(ProfileMath.round(.nan))
        XCTAssertNil(ProfileMath.round(.infinity))
        XCTAssertEqual(ProfileMath.round(1234567890.126), 1234567890.13)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0.25), 1.75)
        XCTAssertNil(quantile(sorted: [], 0.5))
    }
}
