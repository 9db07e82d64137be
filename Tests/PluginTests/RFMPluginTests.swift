import XCTest
import LuaHost

/// plugins/criteria/rfm.lua: quintile breakpoints, the tie rule, the 25-cell R x F grid, no-purchase handling.
final class RFMPluginTests: XCTestCase {
    typealias F = PluginFixture

    /// Breakpoints: recency 20/40/60/80, frequency 2/4/6/8, monetary 200/400/600/800.
    let stats: [String: ColumnStatistics] = [
        "recency_days": F.linearStats(scale: 1),
        "frequency": F.linearStats(scale: 0.1),
        "monetary": F.linearStats(scale: 10),
    ]

    /// The grid as documented in rfm.lua and docs/PLUGINS.md: GRID[R][F], R and F from 1 to 5.
    let grid: [Int: [String]] = [
        5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
        4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
        3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
        2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Cannot Lose Them"],
        1: ["Lost", "Lost", "At Risk", "At Risk", "Cannot Lose Them"],
    ]

    private func prepared(_ overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let plugin = try F.load("criteria/rfm.lua", overrides: overrides)
        try plugin.prepare(stats: stats)
        return plugin
    }

    private func assign(_ plugin: Plugin, recency: [Int64?], frequency: [Int64?],
                        monetary: [Double?]) throws -> [String?] {
        let result = try plugin.assign(columns: [F.ints("recency_days", recency),
                                                 F.ints("frequency", frequency),
                                                 F.doubles("monetary", monetary)],
                                       rowCount: recency.count)
        return F.labels(result)
    }

    func testPrepareRecordsQuintileBreakpointsInParams() throws {
        let params = try prepared().effectiveParams()
        XCTAssertEqual(F.numbers(params["r_breaks"]), [20, 40, 60, 80])
        XCTAssertEqual(F.numbers(params["f_breaks"]), [2, 4, 6, 8])
        XCTAssertEqual(F.numbers(params["m_breaks"]), [200, 400, 600, 800])
        XCTAssertEqual(params["mode"], .string("segment"))
    }

    func testEveryGridCellMapsToItsDocumentedLabel() throws {
        // A value well inside each quintile: R score -> recency_days, F score -> frequency.
        let recencyFor: [Int: Int64] = [5: 10, 4: 30, 3: 50, 2: 70, 1: 90]
        let frequencyFor: [Int: Int64] = [1: 1, 2: 3, 3: 5, 4: 7, 5: 9]
        var recency: [Int64?] = [], frequency: [Int64?] = [], expected: [String?] = []
        for r in 1...5 {
            for f in 1...5 {
                recency.append(recencyFor[r]); frequency.append(frequencyFor[f])
                expected.append(grid[r]![f - 1])
            }
        }
        let got = try assign(prepared(), recency: recency, frequency: frequency,
                             monetary: Array(repeating: 100, count: 25))
        XCTAssertEqual(got, expected)
        XCTAssertEqual(Set(got.compactMap { $0 }),
                       ["Champions", "Loyal", "Potential Loyalist", "New", "Promising", "Need Attention",
                        "About to Sleep", "At Risk", "Cannot Lose Them", "Hibernating", "Lost"])
    }

    func testValuesOnBreakpointsFollowTheTieRule() throws {
        let plugin = try prepared(["mode": .string("scores")])
        // Recency equal to a breakpoint gets the higher R; F and M equal to one get the lower score.
        let got = try assign(plugin,
                             recency: [20, 21, 40, 41, 60, 61, 80, 81, 0],
                             frequency: [2, 3, 4, 5, 6, 7, 8, 9, 1],
                             monetary: [200, 200.5, 400, 400.5, 600, 600.5, 800, 800.5, 0])
        XCTAssertEqual(got, ["R5 F1 M1", "R4 F2 M2", "R4 F2 M2", "R3 F3 M3", "R3 F3 M3",
                             "R2 F4 M4", "R2 F4 M4", "R1 F5 M5", "R5 F1 M1"])
    }

    func testSegmentModeAgreesWithScoresOnBreakpoints() throws {
        // recency 20 -> R5, frequency 8 -> F4: Champions; recency 80 -> R2, frequency 9 -> F5.
        let got = try assign(prepared(), recency: [20, 80, 21], frequency: [8, 9, 2], monetary: [1, 1, 1])
        XCTAssertEqual(got, ["Champions", "Cannot Lose Them", "Promising"])
    }

    func testCustomersWithoutPurchasesGetTheNoPurchaseLabel() throws {
        let got = try assign(prepared(), recency: [nil, 5, nil, 5], frequency: [nil, 0, 3, nil],
                             monetary: [nil, nil, 10, 10])
        XCTAssertEqual(got, ["No Purchase", "No Purchase", "No Purchase", "No Purchase"])
    }

    func testEmptyNoPurchaseLabelLeavesThemUnassigned() throws {
        let plugin = try prepared(["no_purchase_label": .string("")])
        let got = try assign(plugin, recency: [nil, 10], frequency: [nil, 9], monetary: [nil, 900])
        XCTAssertEqual(got, [nil, "Champions"])
    }

    func testScoresModeLeavesBuyersWithoutMonetaryUnassigned() throws {
        let plugin = try prepared(["mode": .string("scores")])
        let got = try assign(plugin, recency: [10, nil], frequency: [9, nil], monetary: [nil, nil])
        XCTAssertEqual(got, [nil, "No Purchase"])
    }

    func testTiedDataMakesSomeScoresUnreachable() throws {
        // Mostly one-time buyers: f_breaks = p20, p40, p60, p80 = 1, 1, 1.4, 2.2.
        var stats = self.stats
        stats["frequency"] = F.numericStats([1, 1, 1, 1, 1, 1, 2, 2, 3, 5])
        let plugin = try F.load("criteria/rfm.lua", overrides: ["mode": .string("scores")])
        try plugin.prepare(stats: stats)
        let breaks = try XCTUnwrap(F.numbers(plugin.effectiveParams()["f_breaks"]))
        XCTAssertEqual(breaks.count, 4)
        for (got, want) in zip(breaks, [1, 1, 1.4, 2.2]) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        let got = try assign(plugin, recency: [10, 10, 10, 10], frequency: [1, 2, 3, 5],
                             monetary: [100, 100, 100, 100])
        XCTAssertEqual(got, ["R5 F1 M1", "R5 F4 M1", "R5 F5 M1", "R5 F5 M1"])
    }

    func testUnknownModeIsRejectedInPrepare() throws {
        let plugin = try F.load("criteria/rfm.lua", overrides: ["mode": .string("grid")])
        F.assertRuntimeError(try plugin.prepare(stats: stats),
                             contains: "rfm: mode must be \"segment\" or \"scores\", got \"grid\"")
    }

    func testMissingStatisticsAreNamed() throws {
        let plugin = try F.load("criteria/rfm.lua")
        F.assertRuntimeError(try plugin.prepare(stats: ["recency_days": F.linearStats(scale: 1)]),
                             contains: "rfm: no statistics for column 'frequency'")
    }
}
