import XCTest
@testable import LuaHost

/// configure, prepare and effectiveParams.
final class ParamsTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    let params = "{ min = 9, ratio = 0.5, name = 'x', strict = true, tiers = { 1, 2 } }"

    func testOverridesMergeOverDefaults() throws {
        let plugin = try folder.load("p.lua", criterion("p", params: params, body: """
        return string.format("%s %s %s %s %d", tostring(p.min), tostring(p.ratio), p.name, tostring(p.strict), #p.tiers)
        """))
        XCTAssertEqual(try plugin.assign(columns: [intColumn([1])], rowCount: 1).labels, ["9 0.5 x true 2"])
        try plugin.configure(overrides: ["ratio": .int(2), "min": .double(7.5), "tiers": .array([.int(1), .int(2), .int(3)])])
        XCTAssertEqual(try plugin.assign(columns: [intColumn([1])], rowCount: 1).labels, ["7.5 2 x true 3"])
        XCTAssertEqual(try plugin.effectiveParams(), ["min": .double(7.5), "ratio": .int(2), "name": .string("x"),
                                                      "strict": .bool(true), "tiers": .array([.int(1), .int(2), .int(3)])])
    }

    func testUnknownAndMistypedOverrides() throws {
        let plugin = try folder.load("p.lua", criterion("p", params: params, body: "return nil"))
        XCTAssertThrowsError(try plugin.configure(overrides: ["minn": .int(1)])) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .badParam(name: "minn", problem: "is not declared by the plugin; did you mean 'min'? declared parameters: min, name, ratio, strict, tiers"))
            XCTAssertEqual(e?.description, "plugin 'p' (\(plugin.path)): parameter 'minn' is not declared by the plugin; did you mean 'min'? declared parameters: min, name, ratio, strict, tiers")
        }
        XCTAssertThrowsError(try plugin.configure(overrides: ["min": .string("9")])) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badParam(name: "min", problem: "must be a number like its default (got a string)"))
        }
        XCTAssertThrowsError(try plugin.configure(overrides: ["strict": .int(1)]))
        XCTAssertThrowsError(try plugin.configure(overrides: ["tiers": .string("1,2")]))
        let none = try folder.load("n.lua", criterion("n", body: "return nil"))
        XCTAssertThrowsError(try none.configure(overrides: ["x": .int(1)])) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badParam(name: "x", problem: "is not declared by the plugin; it declares no parameters"))
        }
    }

    func testPrepareSeesStatisticsAndItsTableIsMerged() throws {
        let plugin = try folder.load("q.lua", scorer("q", uses: ["m", "city"], params: "{ cut = 0 }", body: """
        return row.m >= p.cut and 1 or 0
        """, prepare: """
        local m = stats.m
        assert(stats.city.p == nil and stats.city.min == nil, "text columns have no numeric fields")
        return { cut = m.p[50], low = m.p[0], high = m.p[100], n = m.count + m.missing,
                 top = stats.city.top[1].value .. "=" .. stats.city.top[1].count, distinct = stats.city.distinct }
        """))
        let percentiles = (0...100).map { Double($0) * 2 }
        try plugin.prepare(stats: [
            "m": ColumnStatistics(count: 8, missing: 2, min: 0, max: 200, mean: 100, sum: 800, percentiles: percentiles),
            "city": ColumnStatistics(count: 10, missing: 0, distinct: 3, top: [.init(value: "Oslo", count: 6), .init(value: "Rome", count: 3)]),
        ])
        XCTAssertEqual(try plugin.effectiveParams(), ["cut": .double(100), "low": .double(0), "high": .double(200), "n": .int(10),
                                                      "top": .string("Oslo=6"), "distinct": .int(3)])
        let scores = try plugin.score(columns: [ColumnInput(name: "m", values: .double([99, 100, 150]), validity: nil)], rowCount: 3)
        XCTAssertEqual(scores.values, [0, 1, 1])
    }

    func testPrepareBadReturnAndNonDataParams() throws {
        let bad = try folder.load("b.lua", scorer("b", body: "return 1", prepare: "return 42"))
        XCTAssertThrowsError(try bad.prepare(stats: [:])) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badReturn(field: "prepare", expected: "a table (merged into p) or nil", got: "number"))
        }
        let fn = try folder.load("f.lua", scorer("f", body: "return 1", prepare: "p.helper = function() end"))
        try fn.prepare(stats: [:])
        XCTAssertThrowsError(try fn.effectiveParams()) { error in
            guard case .badParam(let name, let problem)? = (error as? PluginError)?.reason else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "helper")
            XCTAssertTrue(problem.hasPrefix("is a function"), problem)
        }
        let cycle = try folder.load("c.lua", scorer("c", body: "return 1", prepare: "local t = {} t.self = t return { loop = t }"))
        try cycle.prepare(stats: [:])
        XCTAssertThrowsError(try cycle.effectiveParams())
        let spin = try folder.load("s.lua", scorer("s", body: "return 1", prepare: "while true do end"),
                                   environment: PluginEnvironment(limits: LuaLimits(instructions: 100_000)))
        XCTAssertThrowsError(try spin.prepare(stats: [:])) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .instructionBudget(limit: 100_000))
        }
    }

    func testPrepareIsSkippedWithoutPrepareFunction() throws {
        let plugin = try folder.load("n.lua", scorer("n", params: "{ a = 1 }", body: "return p.a"))
        try plugin.prepare(stats: ["x": ColumnStatistics(count: 1, missing: 0)])
        XCTAssertEqual(try plugin.effectiveParams(), ["a": .int(1)])
    }
}
