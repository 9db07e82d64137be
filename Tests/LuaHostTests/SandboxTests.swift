import Foundation
import XCTest
@testable import LuaHost

/// What a plugin can and cannot reach.
final class SandboxTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// Runs `body` as assign over one row (x = 1) and returns the label.
    func label(_ body: String, extra: String = "", environment: PluginEnvironment = PluginEnvironment()) throws -> String? {
        let plugin = try folder.load("p\(UUID().uuidString.prefix(8)).lua", criterion("probe", body: body, extra: extra), environment: environment)
        let result = try plugin.assign(columns: [intColumn([1])], rowCount: 1)
        return result.codes[0] < 0 ? nil : result.labels[Int(result.codes[0])]
    }

    /// Runs `body` and returns the runtime error message it raises.
    func failure(_ body: String, environment: PluginEnvironment = PluginEnvironment(), file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let plugin = try folder.load("f\(UUID().uuidString.prefix(8)).lua", criterion("probe", body: body), environment: environment)
        let error = try XCTUnwrap(assignError(plugin, file: file, line: line), file: file, line: line)
        guard case .runtime(let message) = error.reason else {
            XCTFail("expected a runtime error, got \(error.reason)", file: file, line: line)
            return ""
        }
        return message
    }

    func testDangerousFunctionsAreAbsentAndNeverRun() throws {
        let marker = folder.url.appendingPathComponent("marker").path
        let cases: [(String, String)] = [
            ("os.execute('touch \(marker)')", "attempt to call a nil value (field 'execute')"),
            ("io.open('\(marker)', 'w')", "attempt to index a nil value (global 'io')"),
            ("dofile('\(marker)')", "attempt to call a nil value (global 'dofile')"),
            ("loadfile('\(marker)')", "attempt to call a nil value (global 'loadfile')"),
            ("debug.getinfo(1)", "attempt to index a nil value (global 'debug')"),
            ("os.exit(0)", "attempt to call a nil value (field 'exit')"),
            ("os.remove('\(marker)')", "attempt to call a nil value (field 'remove')"),
            ("os.getenv('HOME')", "attempt to call a nil value (field 'getenv')"),
            ("package.loadlib('x', 'y')", "attempt to index a nil value (global 'package')"),
            ("collectgarbage()", "attempt to call a nil value (global 'collectgarbage')"),
            ("load(string.dump(function() end))", "attempt to call a nil value (field 'dump')"),
            ("getmetatable('').__index.dump(print)", "attempt to call a nil value (field 'dump')"),
        ]
        for (code, expected) in cases {
            let message = try failure(code)
            XCTAssertTrue(message.contains(expected), "\(code): \(message)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testRequireOfUnknownOrStandardModuleFails() throws {
        let library = folder.url.appendingPathComponent("lib").path
        let env = PluginEnvironment(libraryPaths: [library])
        XCTAssertEqual(try failure("require 'os'", environment: env),
                       "module 'os' not found in the plugin library (searched: \(library)/os.lua)")
        XCTAssertTrue(try failure("require 'io'").contains("module 'io' not found in the plugin library (searched: no library paths are configured)"))
        XCTAssertTrue(try failure("require '../secret'", environment: env).contains("module names may only use letters, digits, '_' and single dots"))
        XCTAssertTrue(try failure("require '..secret'", environment: env).contains("not found in the plugin library"))
    }

    func testRequireLoadsFromLibraryIntoTheSandboxAndCaches() throws {
        try folder.write("lib/util/text.lua", """
        loads = (loads or 0) + 1
        return { shout = function(s) return string.upper(s) .. "!" end, loads = function() return loads end }
        """)
        try folder.write("secret.lua", "return { leaked = true }")
        let env = PluginEnvironment(libraryPaths: [folder.url.appendingPathComponent("lib").path])
        XCTAssertEqual(try label("""
        local a = require "util.text"
        local b = require "util.text"
        return a.shout("hi") .. tostring(rawequal(a, b)) .. a.loads()
        """, environment: env), "HI!true1")
        // A module cannot be reached outside the library folders.
        XCTAssertTrue(try failure("require 'secret'", environment: env).contains("not found in the plugin library"))
    }

    func testModuleErrorsNameTheModuleFile() throws {
        try folder.write("lib/broken.lua", "local x = nil\nreturn x.field")
        let env = PluginEnvironment(libraryPaths: [folder.url.appendingPathComponent("lib").path])
        let message = try failure("require 'broken'", environment: env)
        XCTAssertTrue(message.contains("broken.lua:2: attempt to index a nil value"), message)
    }

    func testSetmetatableRefusesGc() throws {
        let message = try failure("setmetatable({}, { __gc = function() while true do end end })")
        XCTAssertTrue(message.contains("metatables with a __gc field are not allowed in plugins"), message)
        XCTAssertEqual(try label("return getmetatable(setmetatable({}, { __index = { a = 'ok' } })).__index.a"), "ok")
    }

    func testLoadIsTextOnlyWithSandboxEnvironment() throws {
        XCTAssertEqual(try label("return tostring(load('return seg.api')())"), "1")
        XCTAssertEqual(try label("return select(2, load('\\27Lua\\84\\0'))"), "attempt to load a binary chunk (mode is 't')")
        XCTAssertEqual(try label("return select(2, load('\\27Lua', 'chunk', 'b'))"), "attempt to load a binary chunk (mode is 't')")
        XCTAssertEqual(try label("return load('return x', 'c', 't', { x = 'own env' })()"), "own env")
    }

    func testErrorObjectsAreFormattedSafely() throws {
        XCTAssertEqual(try failure("error(setmetatable({}, { __tostring = function() error('boom') end }))"),
                       "(error object is a table value)")
        XCTAssertEqual(try failure("error(setmetatable({}, { __tostring = function() return {} end }))"),
                       "(error object is a table value)")
        XCTAssertEqual(try failure("error(setmetatable({}, { __tostring = function() return 'custom' end }))"), "custom")
        XCTAssertEqual(try failure("error()"), "nil")
        XCTAssertEqual(try failure("error('plain', 0)"), "plain")
    }

    func testStackOverflowsAreCleanErrors() throws {
        // Deep Lua recursion: Lua's stack limit or the memory cap, whichever comes first; never a crash.
        let deep = try folder.load("deep.lua", criterion("deep", body: "local function f() return 1 + f() end return f()"))
        let reason = try XCTUnwrap(assignError(deep)).reason
        if case .runtime(let message) = reason { XCTAssertTrue(message.contains("stack overflow"), message) }
        else { XCTAssertEqual(reason, .memoryCap(limitBytes: LuaLimits.default.memoryBytes)) }
        XCTAssertEqual(try deep.assign(columns: [intColumn([])], rowCount: 0).codes, [])
        XCTAssertTrue(try failure("local function f() return select(2, pcall(f)) end error(f())").contains("stack overflow"))
        XCTAssertTrue(try failure("local function f() return xpcall(f, f) end f() error('after')").contains("after"))
        XCTAssertEqual(try failure("error(print)"), "(error object is a function value)")
    }

    func testRandomIsSeededFromTheEnvironment() throws {
        let body = "return tostring(math.random(1, 1000000)) .. ',' .. tostring(math.random(1, 1000000))"
        let a = try label(body, environment: PluginEnvironment(randomSeed: 42))
        let b = try label(body, environment: PluginEnvironment(randomSeed: 42))
        let c = try label(body, environment: PluginEnvironment(randomSeed: 43))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        // randomseed() without an argument would reseed from the clock in plain Lua; here it repeats the run's seed.
        let reseed = "math.randomseed() " + body
        XCTAssertEqual(try label(reseed, environment: PluginEnvironment(randomSeed: 42)), a)
        XCTAssertEqual(try label("math.randomseed(7) " + body, environment: PluginEnvironment(randomSeed: 42)),
                       try label("math.randomseed(7) " + body, environment: PluginEnvironment(randomSeed: 1)))
    }

    func testFrozenTime() throws {
        let env = PluginEnvironment(frozenTime: 1_700_000_000)
        XCTAssertEqual(try label("return tostring(os.time())", environment: env), "1700000000")
        XCTAssertEqual(try label("return os.date('!%Y-%m-%d %H:%M:%S')", environment: env), "2023-11-14 22:13:20")
        XCTAssertEqual(try label("return tostring(os.clock())", environment: env), "0.0")
        XCTAssertEqual(try label("return tostring(os.time({ year = 2020, month = 1, day = 1, hour = 12 }) > 0)", environment: env), "true")
        XCTAssertEqual(try label("return os.date('!%Y', 0)", environment: env), "1970")
        // Without frozenTime the real clock runs.
        XCTAssertEqual(try label("return tostring(os.time() > 1700000000)"), "true")
    }

    func testSegHostTable() throws {
        XCTAssertEqual(try label("return tostring(seg.api)"), "1")
        XCTAssertEqual(try label("return table.concat(seg.split('a,,b,', ','), '|') .. '#' .. #seg.split('', ',')"), "a||b|#1")
        XCTAssertEqual(try label("return table.concat(seg.split('a.b', '.'), '|')"), "a|b")
        XCTAssertEqual(try label("return table.concat(seg.split('1<>2<>3', '<>'), '|')"), "1|2|3")
        XCTAssertEqual(try label("return '[' .. seg.trim('  \\t hello world \\r\\n') .. ']'"), "[hello world]")
        XCTAssertTrue(try failure("seg.split('a', '')").contains("separator must not be empty"))
    }

    func testLogAndPrintGoToTheEnvironmentLog() throws {
        let collector = LogCollector()
        let env = PluginEnvironment(log: collector.log)
        _ = try label("seg.log('row', row.x, nil, true) print('via', 'print') return nil", environment: env)
        XCTAssertEqual(collector.lines, ["probe: row 1 nil true", "probe: via print"])
    }

    func testGlobalsStayInTheirOwnState() throws {
        let writer = try folder.load("w.lua", criterion("writer", body: "shared = 'writer' return shared"))
        let reader = try folder.load("r.lua", criterion("reader", body: "return shared"))
        XCTAssertEqual(try writer.assign(columns: [intColumn([1])], rowCount: 1).labels, ["writer"])
        XCTAssertEqual(try reader.assign(columns: [intColumn([1])], rowCount: 1).codes, [-1])
    }

    func testAvailableLibraries() throws {
        XCTAssertEqual(try label("""
        local t = { 3, 1, 2 } table.sort(t)
        return table.concat(t, '') .. string.format('%.1f', math.pi) .. utf8.char(233) .. _VERSION .. tostring(_G == _ENV)
        """), "1233.1é" + "Lua 5.4" + "true")
    }
}
