import XCTest
@testable import LuaHost

/// Instruction budget, wall-clock limit and memory cap: a runaway plugin stops with a clear error and
/// the host (and the plugin) stay usable.
final class BudgetTests: XCTestCase {
    let small = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 8 << 20, seconds: 30))

    func testInfiniteLoopHitsBudgetAndPluginStaysUsable() throws {
        let folder = try PluginFolder()
        let plugin = try folder.load("spin.lua", criterion("spin", body: """
        if row.x == 1 then
          while true do end
        end
        return "ok"
        """), environment: small)
        let error = try XCTUnwrap(assignError(plugin, rows: 1))
        XCTAssertEqual(error.reason, .instructionBudget(limit: 1_000_000))
        XCTAssertEqual(error.plugin, "spin")
        XCTAssertEqual(error.line, 7)
        XCTAssertEqual(error.row, 0)
        XCTAssertTrue(error.description.hasPrefix("plugin 'spin' (\(plugin.path):7) exceeded its instruction budget of 1000000 instructions in one call for row 1; raise limits.instructions"), error.description)
        // The same plugin keeps working afterwards, and so does a new one.
        let result = try plugin.assign(columns: [intColumn([2, 3])], rowCount: 2)
        XCTAssertEqual(result, LabelAssignment(codes: [0, 0], labels: ["ok"]))
        let other = try folder.load("other.lua", criterion("other", body: "return 'fine'"), environment: small)
        XCTAssertEqual(try other.assign(columns: [intColumn([1])], rowCount: 1).labels, ["fine"])
    }

    func testDefaultBudgetMessageNamesTheLimit() throws {
        let error = PluginError(plugin: "spin", file: "plugins/spin.lua", line: 3, reason: .instructionBudget(limit: 100_000_000))
        XCTAssertEqual(error.description, "plugin 'spin' (plugins/spin.lua:3) exceeded its instruction budget of 100000000 instructions in one call; raise limits.instructions in workspace.yaml if this is expected")
        XCTAssertEqual(error.errorDescription, error.description)
    }

    func testPcallCannotSwallowTheBudget() throws {
        let folder = try PluginFolder()
        let swallow = try folder.load("a.lua", criterion("swallow", body: """
        pcall(function() while true do end end)
        return "x"
        """), environment: small)
        XCTAssertEqual(assignError(swallow)?.reason, .instructionBudget(limit: 1_000_000))
        let retry = try folder.load("b.lua", criterion("retry", body: """
        while true do
          pcall(function() while true do end end)
          xpcall(function() while true do end end, function(e) return e end)
        end
        """), environment: small)
        XCTAssertEqual(assignError(retry)?.reason, .instructionBudget(limit: 1_000_000))
    }

    func testCoroutinesInheritTheBudget() throws {
        let folder = try PluginFolder()
        let wrapped = try folder.load("w.lua", criterion("wrapped", body: "coroutine.wrap(function() while true do end end)()"),
                                      environment: small)
        XCTAssertEqual(assignError(wrapped)?.reason, .instructionBudget(limit: 1_000_000))
        let resumed = try folder.load("r.lua", criterion("resumed", body: """
        local ok = coroutine.resume(coroutine.create(function() while true do end end))
        return "survived"
        """), environment: small)
        XCTAssertEqual(assignError(resumed)?.reason, .instructionBudget(limit: 1_000_000))
    }

    func testBudgetIsPerRow() throws {
        let folder = try PluginFolder()
        // Each row runs ~100k instructions: far over the budget in total, well under it per row.
        let plugin = try folder.load("work.lua", criterion("work", body: """
        local s = 0
        for i = 1, 30000 do s = s + i end
        return "done"
        """), environment: small)
        let result = try plugin.assign(columns: [intColumn([Int64](repeating: 1, count: 50))], rowCount: 50)
        XCTAssertEqual(result.codes, [Int32](repeating: 0, count: 50))
    }

    func testWallClockLimit() throws {
        let folder = try PluginFolder()
        let env = PluginEnvironment(limits: LuaLimits(instructions: Int.max, memoryBytes: 8 << 20, seconds: 0.05))
        let plugin = try folder.load("slow.lua", criterion("slow", body: "while true do end"), environment: env)
        let error = try XCTUnwrap(assignError(plugin))
        XCTAssertEqual(error.reason, .timeLimit(seconds: 0.05))
        XCTAssertTrue(error.description.contains("ran longer than its time limit of 0.05 s in one call"), error.description)
    }

    func testHugeStringRepHitsMemoryCap() throws {
        let folder = try PluginFolder()
        for expression in ["string.rep('x', 2^31)", "string.rep('x', 1e10)", "('x'):rep(1e8)"] {
            let plugin = try folder.load("rep.lua", criterion("rep", body: "return \(expression)"), environment: small)
            let error = try XCTUnwrap(assignError(plugin))
            XCTAssertEqual(error.reason, .memoryCap(limitBytes: 8 << 20), expression)
            XCTAssertTrue(error.description.contains("exceeded its memory cap of 8 MiB"), error.description)
        }
    }

    func testGrowingTableHitsMemoryCapAndHostRecovers() throws {
        let folder = try PluginFolder()
        let plugin = try folder.load("grow.lua", criterion("grow", body: """
        if row.x == 1 then
          local t = {}
          for i = 1, 1e9 do t[i] = "v" .. i end
        end
        return "small"
        """), environment: PluginEnvironment(limits: LuaLimits(instructions: Int.max, memoryBytes: 4 << 20, seconds: 30)))
        XCTAssertEqual(assignError(plugin)?.reason, .memoryCap(limitBytes: 4 << 20))
        XCTAssertEqual(try plugin.assign(columns: [intColumn([2])], rowCount: 1).labels, ["small"])
    }

    func testCaughtAndRethrownMemoryErrorIsStillMemoryCap() throws {
        let folder = try PluginFolder()
        let plugin = try folder.load("re.lua", criterion("re", body: """
        local ok, e = pcall(string.rep, "x", 1e10)
        error(e)
        """), environment: small)
        XCTAssertEqual(assignError(plugin)?.reason, .memoryCap(limitBytes: 8 << 20))
    }

    func testHostDataDoesNotCountAgainstThePluginCap() throws {
        let folder = try PluginFolder()
        let env = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 256 << 10, seconds: 30))
        let plugin = try folder.load("ids.lua", criterion("ids", uses: ["id"], body: "return row.id:sub(1, 1)"), environment: env)
        // 50k distinct ids of ~30 bytes: several MiB of Lua strings, far over the plugin's 256 KiB.
        let count = 50_000
        let dictionary = (0..<count).map { "C\($0)-customer-identifier-xyz" }
        let column = ColumnInput(name: "id", values: .string(codes: (0..<Int32(count)).map { $0 }, dictionary: dictionary), validity: nil)
        let result = try plugin.assign(columns: [column], rowCount: count)
        XCTAssertEqual(result.labels, ["C"])
    }
}
