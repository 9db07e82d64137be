import XCTest
import LuaHost

/// plugins/scorers/value_score.lua: weighted RFM quintile scores normalised to 0-100.
final class ValueScorePluginTests: XCTestCase {
    typealias F = PluginFixture

    /// Breakpoints: recency 20/40/60/80, frequency 2/4/6/8, monetary 200/400/600/800.
    let stats: [String: ColumnStatistics] = [
        "recency_days": F.linearStats(scale: 1),
        "frequency": F.linearStats(scale: 0.1),
        "monetary": F.linearStats(scale: 10),
    ]

    private func prepared(_ overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let plugin = try F.load("scorers/value_score.lua", overrides: overrides)
        try plugin.prepare(stats: stats)
        return plugin
    }

    private func score(_ plugin: Plugin, recency: [Int64?], frequency: [Int64?],
                       monetary: [Double?]) throws -> [Double?] {
        F.scores(try plugin.score(columns: [F.ints("recency_days", recency), F.ints("frequency", frequency),
                                            F.doubles("monetary", monetary)],
                                  rowCount: recency.count))
    }

    private func assertScores(_ got: [Double?], _ want: [Double?], file: StaticString = #filePath,
                              line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (g, w) in zip(got, want) {
            switch (g, w) {
            case let (g?, w?): XCTAssertEqual(g, w, accuracy: 1e-9, file: file, line: line)
            case (nil, nil): break
            default: XCTFail("got \(String(describing: g)), want \(String(describing: w))", file: file, line: line)
            }
        }
    }

    func testManifestNamesItsOutputColumn() throws {
        let plugin = try F.load("scorers/value_score.lua")
        XCTAssertEqual(plugin.manifest.kind, .scorer)
        XCTAssertEqual(plugin.manifest.output, "value_score")
        XCTAssertEqual(plugin.manifest.uses, ["recency_days", "frequency", "monetary"])
        XCTAssertTrue(plugin.manifest.hasPrepare)
    }

    func testPrepareRecordsBreakpoints() throws {
        let params = try prepared().effectiveParams()
        XCTAssertEqual(F.numbers(params["r_breaks"]), [20, 40, 60, 80])
        XCTAssertEqual(F.numbers(params["f_breaks"]), [2, 4, 6, 8])
        XCTAssertEqual(F.numbers(params["m_breaks"]), [200, 400, 600, 800])
    }

    func testEqualWeightsSpanZeroToHundred() throws {
        // R5F5M5, R1F1M1, R3F3M3, and on breakpoints R5 (20) F4 (8) M3 (600): 100 * 9 / 12.
        let got = try score(prepared(), recency: [10, 90, 50, 20], frequency: [9, 1, 5, 8],
                            monetary: [900, 100, 500, 600])
        assertScores(got, [100, 0, 50, 75])
    }

    func testMissingInputGivesNoScore() throws {
        let got = try score(prepared(), recency: [nil, 10, 10, 10], frequency: [9, nil, 9, 9],
                            monetary: [900, 900, nil, 900])
        assertScores(got, [nil, nil, nil, 100])
    }

    func testWeightsChangeTheMix() throws {
        // An integer override is accepted for a float default. R5 F1 M5 with weights 2, 1, 0:
        // 100 * (2*4 + 1*0 + 0*4) / (4 * 3).
        let plugin = try prepared(["weight_recency": .double(2), "weight_monetary": .int(0)])
        let got = try score(plugin, recency: [10, 90], frequency: [1, 9], monetary: [900, 900])
        assertScores(got, [800.0 / 12, 400.0 / 12])
    }

    func testAllZeroWeightsAreRejected() throws {
        let plugin = try F.load("scorers/value_score.lua",
                                overrides: ["weight_recency": .double(0), "weight_frequency": .double(0),
                                            "weight_monetary": .double(0)])
        F.assertRuntimeError(try plugin.prepare(stats: stats), contains: "value_score: at least one of")
    }

    func testNegativeWeightIsRejected() throws {
        let plugin = try F.load("scorers/value_score.lua", overrides: ["weight_frequency": .double(-1)])
        F.assertRuntimeError(try plugin.prepare(stats: stats),
                             contains: "value_score: weight_frequency must be 0 or more")
    }
}
