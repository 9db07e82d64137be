import XCTest
import LuaHost

/// plugins/criteria/lifecycle.lua and plugins/criteria/nps.lua: inclusive thresholds, missing values,
/// parameter validation.
final class LifecycleAndNPSPluginTests: XCTestCase {
    typealias F = PluginFixture

    private func lifecycle(_ overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let plugin = try F.load("criteria/lifecycle.lua", overrides: overrides)
        try plugin.prepare(stats: [:])
        return plugin
    }

    private func assignLifecycle(_ plugin: Plugin, tenure: [Int64?], recency: [Int64?]) throws -> [String?] {
        F.labels(try plugin.assign(columns: [F.ints("tenure_days", tenure), F.ints("recency_days", recency)],
                                   rowCount: tenure.count))
    }

    private func nps(_ overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let plugin = try F.load("criteria/nps.lua", overrides: overrides)
        try plugin.prepare(stats: [:])
        return plugin
    }

    func testLifecycleBoundariesAreInclusive() throws {
        let got = try assignLifecycle(lifecycle(),
                                      tenure: [90, 91, 400, 400, 400, 400, nil],
                                      recency: [5, 90, 91, 180, 181, 0, 200])
        XCTAssertEqual(got, ["New", "Active", "At Risk", "At Risk", "Lapsed", "Active", "Lapsed"])
    }

    func testLifecycleWithoutPurchaseIsProspectEvenWhenNew() throws {
        let got = try assignLifecycle(lifecycle(), tenure: [10, nil, 1000], recency: [nil, nil, nil])
        XCTAssertEqual(got, ["Prospect", "Prospect", "Prospect"])
    }

    func testLifecycleOverridesAndEmptyProspectLabel() throws {
        let plugin = try lifecycle(["new_max_tenure_days": .int(60), "prospect_label": .string("")])
        let got = try assignLifecycle(plugin, tenure: [60, 61, 5], recency: [1, 1, nil])
        XCTAssertEqual(got, ["New", "Active", nil])
    }

    func testLifecycleRejectsThresholdsThatDoNotIncrease() throws {
        let plugin = try F.load("criteria/lifecycle.lua", overrides: ["at_risk_max_recency_days": .int(90)])
        F.assertRuntimeError(try plugin.prepare(stats: [:]),
                             contains: "lifecycle: at_risk_max_recency_days must be > active_max_recency_days")
    }

    func testLifecycleRejectsNegativeThresholds() throws {
        let plugin = try F.load("criteria/lifecycle.lua", overrides: ["new_max_tenure_days": .int(-1)])
        F.assertRuntimeError(try plugin.prepare(stats: [:]),
                             contains: "lifecycle: new_max_tenure_days must be 0 or more, got -1")
    }

    func testNPSGroupsAtEveryBoundary() throws {
        let values: [Int64?] = [0, 6, 7, 8, 9, 10, nil]
        let got = F.labels(try nps().assign(columns: [F.ints("nps_score", values)], rowCount: values.count))
        XCTAssertEqual(got, ["Detractor", "Detractor", "Passive", "Passive", "Promoter", "Promoter", nil])
    }

    func testNPSComparesFractionalScoresAsNumbers() throws {
        let values: [Double?] = [6.0, 6.5, 8.99, 9.0]
        let got = F.labels(try nps().assign(columns: [F.doubles("nps_score", values)], rowCount: values.count))
        XCTAssertEqual(got, ["Detractor", "Passive", "Passive", "Promoter"])
    }

    func testNPSThresholdOverrides() throws {
        let plugin = try nps(["promoter_min": .int(8), "detractor_max": .int(5)])
        let values: [Int64?] = [5, 6, 7, 8]
        let got = F.labels(try plugin.assign(columns: [F.ints("nps_score", values)], rowCount: values.count))
        XCTAssertEqual(got, ["Detractor", "Passive", "Passive", "Promoter"])
    }

    func testNPSScoreOutsideScaleIsAnErrorNamingTheValue() throws {
        let plugin = try nps()
        F.assertRuntimeError(try plugin.assign(columns: [F.ints("nps_score", [7, 11])], rowCount: 2),
                             contains: "nps: nps_score 11 is outside 0-10")
        F.assertRuntimeError(try plugin.assign(columns: [F.ints("nps_score", [-1])], rowCount: 1),
                             contains: "nps: nps_score -1 is outside 0-10")
    }

    func testNPSRejectsOverlappingThresholds() throws {
        let plugin = try F.load("criteria/nps.lua", overrides: ["promoter_min": .int(6)])
        F.assertRuntimeError(try plugin.prepare(stats: [:]),
                             contains: "nps: need 0 <= detractor_max < promoter_min <= 10")
    }
}
