import Foundation
import XCTest
@testable import LuaHost

/// The budget hook armed late: with an instruction budget of at least 10 million, calls run with no hook
/// until they have run for 10 ms, then the ticker arms it (Sources/CLuaSupport/arming.c). Whatever the
/// plugin does (loops, pcall, coroutines made before the hook was armed) it is still stopped, and calls
/// that finish early are never stopped. No test here depends on timing beyond "a loop stops".
final class DeferredHookTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// The smallest budget that is counted late (10 M instructions).
    let deferred = PluginEnvironment(limits: LuaLimits(instructions: 10_000_000, memoryBytes: 8 << 20, seconds: 30))

    func load(_ body: String, extra: String = "", environment: PluginEnvironment? = nil) throws -> Plugin {
        try folder.load("p\(UUID().uuidString.prefix(8)).lua", criterion("late", body: body, extra: extra),
                        environment: environment ?? deferred)
    }

    func testInfiniteLoopIsStoppedAndThePluginStaysUsable() throws {
        let plugin = try load("""
        if row.x == 1 then
          while true do end
        end
        return "ok"
        """)
        let error = try XCTUnwrap(assignError(plugin))
        XCTAssertEqual(error.reason, .instructionBudget(limit: 10_000_000))
        XCTAssertEqual(error.line, 7)
        XCTAssertEqual(try plugin.assign(columns: [intColumn([2, 3])], rowCount: 2), LabelAssignment(codes: [0, 0], labels: ["ok"]))
    }

    func testCoroutinesCreatedBeforeTheHookIsArmedAreStopped() throws {
        let bodies = [
            "coroutine.resume(coroutine.create(function() while true do end end)) return 'survived'",
            "coroutine.wrap(function() while true do end end)() return 'survived'",
            // Nested: the inner coroutine loops while the outer one waits in resume.
            "coroutine.wrap(function() coroutine.resume(coroutine.create(function() while true do end end)) end)() return 'x'",
            // Looping inside pcall inside a coroutine, and coroutines resumed over and over inside pcall.
            "coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()",
            "while true do pcall(coroutine.wrap(function() while true do end end)) end",
            "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
            // A pending __close handler run by coroutine.close.
            """
            local co = coroutine.create(function()
              local guard <close> = setmetatable({}, { __close = function() while true do end end })
              coroutine.yield()
            end)
            coroutine.resume(co)
            coroutine.close(co)
            return 'closed'
            """,
        ]
        for body in bodies {
            let plugin = try load(body)
            XCTAssertEqual(assignError(plugin)?.reason, .instructionBudget(limit: 10_000_000), body)
        }
    }

    func testCoroutineMadeInAnEarlierRowIsStoppedWhenResumedLater() throws {
        // Row 1 creates the coroutine and returns at once (no hook armed); row 2 resumes it into a loop.
        let plugin = try load("""
        if co == nil then
          co = coroutine.create(function() coroutine.yield() while true do end end)
          coroutine.resume(co)
          return "made"
        end
        coroutine.resume(co)
        return "survived"
        """, extra: "local co")
        let error = try XCTUnwrap(assignError(plugin, rows: 2))
        XCTAssertEqual(error.reason, .instructionBudget(limit: 10_000_000))
        XCTAssertEqual(error.row, 1)
    }

    func testPcallCannotSwallowALateBudget() throws {
        for body in ["pcall(function() while true do end end) return 'x'",
                     "while true do pcall(function() while true do end end) xpcall(function() while true do end end, print) end"] {
            XCTAssertEqual(assignError(try load(body))?.reason, .instructionBudget(limit: 10_000_000), body)
        }
    }

    func testTimeLimitStopsALateCall() throws {
        let env = PluginEnvironment(limits: LuaLimits(instructions: Int.max, memoryBytes: 8 << 20, seconds: 0.05))
        let plugin = try load("coroutine.wrap(function() while true do end end)()", environment: env)
        XCTAssertEqual(assignError(plugin)?.reason, .timeLimit(seconds: 0.05))
        // A finite call that runs well past the grace period and the time limit is stopped too.
        let finite = try load("local t = os.clock() while os.clock() - t < 0.2 do end return 'late'", environment: env)
        XCTAssertEqual(assignError(finite)?.reason, .timeLimit(seconds: 0.05))
    }

    func testShortCallsNeverTrip() throws {
        let rows = 200_000
        let plugin = try load("""
        local s = 0
        for i = 1, 20 do s = s + i end
        if row.x % 2 == 0 then return "even" end
        return "odd"
        """)
        let result = try plugin.assign(columns: [intColumn((0..<Int64(rows)).map { $0 })], rowCount: rows)
        XCTAssertEqual(result.labels, ["even", "odd"])
        XCTAssertEqual(result.codes.count, rows)
        XCTAssertEqual(result.codes.last, 1)
    }

    func testCallsAroundTheGraceBoundaryFinishWithTheRightResults() throws {
        // Each row runs 5-60 ms of CPU (spanning the 10 ms grace) and 2-4 M instructions at most: under the
        // budget whether or not the hook gets armed in it. Half of them run the loop inside a coroutine.
        let plugin = try load("""
        local spin = function(ms)
          local t, n = os.clock(), 0
          while os.clock() - t < ms / 1000 do n = n + 1 end
          return n
        end
        local ms = 5 + (row.x % 12) * 5
        if row.x % 2 == 0 then
          local co = coroutine.wrap(function() coroutine.yield(spin(ms / 2)) return spin(ms / 2) end)
          co() co()
        else
          spin(ms)
        end
        return "row" .. row.x
        """)
        let rows = 24
        let result = try plugin.assign(columns: [intColumn((0..<Int64(rows)).map { $0 })], rowCount: rows)
        XCTAssertEqual(result.labels, (0..<rows).map { "row\($0)" })
        XCTAssertEqual(result.codes, (0..<Int32(rows)).map { $0 })
    }

    func testBudgetIsStillPerRowAfterArming() throws {
        // Every row runs ~6 M instructions (armed in most rows): 72 M in all, far over the 10 M budget.
        let plugin = try load("local s = 0 for i = 1, 3000000 do s = s + i end return tostring(s)")
        let result = try plugin.assign(columns: [intColumn([Int64](repeating: 1, count: 12))], rowCount: 12)
        XCTAssertEqual(result.labels, ["4500001500000"])
    }

    func testMemoryCapIsUnchanged() throws {
        let plugin = try load("return string.rep('x', 1e8)")
        XCTAssertEqual(assignError(plugin)?.reason, .memoryCap(limitBytes: 8 << 20))
        let grow = try load("local t = {} for i = 1, 1e9 do t[i] = 'v' .. i end")
        XCTAssertEqual(assignError(grow)?.reason, .memoryCap(limitBytes: 8 << 20))
    }

    func testSourceLoopsAndDataCapUnderALateHook() throws {
        func source(_ body: String) -> String {
            """
            return {
              api = 1, kind = "source", name = "late", version = "1.0.0", description = "test",
              columns = { { name = 'id', type = 'string' } }, params = {},
              read = function(src, p)
                \(body)
              end,
            }
            """
        }
        let env = PluginEnvironment(limits: LuaLimits(instructions: 10_000_000, sourceBytes: 1 << 20), fileRoot: folder.path)
        let spin = try folder.load("spin.lua", source("src:emit({ id = 'a' }) coroutine.wrap(function() while true do end end)()"),
                                   environment: env)
        XCTAssertThrowsError(try spin.read()) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .instructionBudget(limit: 10_000_000))
        }
        let runaway = try folder.load("runaway.lua", source("while true do pcall(src.emit, src, { id = 'zz' }) end"), environment: env)
        XCTAssertThrowsError(try runaway.read()) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .sourceDataCap(limitBytes: 1 << 20))
        }
    }

    func testSmallBudgetsAreExact() throws {
        // Below 10 M instructions the hook runs from the first instruction: 2 M instructions exceed 1 M,
        // however fast they run.
        let env = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 8 << 20, seconds: 30))
        let plugin = try load("local s = 0 for i = 1, 1000000 do s = s + i end return 'done'", environment: env)
        XCTAssertEqual(assignError(plugin)?.reason, .instructionBudget(limit: 1_000_000))
    }
}
