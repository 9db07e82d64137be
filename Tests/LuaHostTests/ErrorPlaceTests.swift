import Foundation
import XCTest
@testable import LuaHost

/// Errors name the place: the plugin file of a bad return value, every bad manifest field, the record a source
/// was producing when a limit stopped it, and the row (customer) a stuck call was on.
final class ErrorPlaceTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func testBadReturnsNameThePluginFile() throws {
        let cases = ["table": "return {}",
                     "proxy": "return setmetatable({}, { __index = function() return 'x' end, __tostring = function() return 'x' end })",
                     "cycle": "local t = {} t.self = t return t"]
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let plugin = try folder.load("\(name).lua", criterion(name, body: "if row.x == 2 then \(body) end return 'ok'"))
            var error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 2])], rows: 2))
            error.customerID = "C2"
            XCTAssertEqual(error.description, "plugin '\(name)' (\(plugin.path)) returned a table from assign for customer C2 (row 2); assign must return a string label or nil")
            let scorePlugin = try folder.load("s\(name).lua", scorer("s\(name)", body: body))
            XCTAssertThrowsError(try scorePlugin.score(columns: [intColumn([1])], rowCount: 1)) { e in
                XCTAssertTrue("\(e)".contains("plugin 's\(name)' (\(scorePlugin.path)) returned a table from score for row 1"), "\(e)")
            }
        }
    }

    func testManifestErrorReportsEveryBadField() throws {
        let text = """
        return { api = 1, kind = "criterion", name = "Bad Name", description = "d",
                 parms = {}, uses = "age", assign = function(row, p) return nil end }
        """
        XCTAssertThrowsError(try folder.load("bad.lua", text)) { error in
            let e = error as? PluginError
            let d = "\(error)"
            guard case .badManifest(let field, let problem) = e?.reason else { return XCTFail(d) }
            XCTAssertEqual(field, "", d)
            XCTAssertTrue(problem.hasPrefix("has 4 problems: (1) field 'parms' is not a known plugin field (did you mean 'params'?)"), d)
            XCTAssertTrue(d.contains("(2) field 'name' must start with a lower-case letter"), d)
            XCTAssertTrue(d.contains("(3) field 'version' is missing"), d)
            XCTAssertTrue(d.contains("(4) field 'uses' must be a list of column names (got \"age\")"), d)
        }
        // One bad field: the message is as before, naming that field alone.
        XCTAssertThrowsError(try folder.load("one.lua", criterion("one", body: "return nil").replacingOccurrences(of: "params = {}", with: "parms = {}"))) { error in
            XCTAssertEqual((error as? PluginError)?.reason.fieldName, "parms")
        }
    }

    func testSourceStoppedByALimitNamesTheRecord() throws {
        let columns = "{ { name = 'id', type = 'string' }, { name = 'n', type = 'integer' } }"
        let text = """
        return { api = 1, kind = "source", name = "grow", version = "1", description = "d", columns = \(columns),
          read = function(src, p)
            local keep = {}
            for i = 1, 100000000 do keep[i] = string.rep("x", 200) .. i; src:emit({ id = 'a', n = i }) end
          end }
        """
        let env = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 2 << 20), fileRoot: folder.path)
        let plugin = try folder.load("grow.lua", text, environment: env)
        XCTAssertThrowsError(try plugin.read()) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .memoryCap(limitBytes: 2 << 20))
            let record = try? XCTUnwrap(e?.record)
            XCTAssertGreaterThan(record ?? 0, 100)
            XCTAssertTrue("\(error)".contains("exceeded its memory cap of 2 MiB while producing record \((record ?? 0) + 1) (after \(record ?? 0) emitted)"), "\(error)")
        }
        // A record-free failure (bad Lua in prepare-less code before any emit) keeps its old wording.
        let plain = try folder.load("plain.lua", text.replacingOccurrences(of: "local keep = {}", with: "error('boom', 0)"), environment: env)
        XCTAssertThrowsError(try plain.read()) { error in XCTAssertNil((error as? PluginError)?.record) }
    }

    /// A plugin whose assign is stuck in one string.find for about half a second on row 2 (n = 22).
    private func stuck() throws -> Plugin {
        try folder.load("stuck.lua", criterion("stuck", body: """
        if row.x == 2 then string.find(string.rep("a", 22), string.rep("a?", 22) .. string.rep("a", 22)) end
        return "done"
        """), environment: PluginEnvironment(limits: LuaLimits(instructions: 1_000_000_000, seconds: 0.01)))
    }

    func testWatchdogNamesTheRowAndWhatTheCallerSaysAboutIt() throws {
        let events = LockedEvents()
        Plugin.watchdogMinimumSeconds = 0.1
        Plugin.watchdogHandler = { events.append($0) }
        defer {
            Plugin.watchdogMinimumSeconds = 10
            Plugin.watchdogHandler = nil
        }
        let plain = try stuck()
        _ = try? plain.assign(columns: [intColumn([1, 2, 3])], rowCount: 3)
        let first = try XCTUnwrap(events.all.first)
        XCTAssertEqual(first.row, 1)
        XCTAssertNil(first.record)
        XCTAssertEqual(first.context, " for row 2")

        let described = try stuck()
        described.rowDescription = { " for customer C\($0 + 100) (data/customers.csv, line \($0 + 2))" }
        _ = try? described.assign(columns: [intColumn([1, 2, 3])], rowCount: 3)
        let second = try XCTUnwrap(events.all.last)
        XCTAssertEqual(events.all.count, 2)
        XCTAssertEqual(second.context, " for customer C101 (data/customers.csv, line 3)")
    }

    func testWatchdogNamesTheRecordOfAStuckSource() throws {
        let events = LockedEvents()
        Plugin.watchdogMinimumSeconds = 0.1
        Plugin.watchdogHandler = { events.append($0) }
        defer {
            Plugin.watchdogMinimumSeconds = 10
            Plugin.watchdogHandler = nil
        }
        let text = """
        return { api = 1, kind = "source", name = "slow", version = "1", description = "d",
          columns = { { name = 'n', type = 'integer' } },
          read = function(src, p)
            for i = 1, 3 do
              if i == 3 then string.find(string.rep("a", 22), string.rep("a?", 22) .. string.rep("a", 22)) end
              src:emit({ n = i })
            end
          end }
        """
        let plugin = try folder.load("slow.lua", text, environment: PluginEnvironment(limits: LuaLimits(instructions: 1_000_000_000, seconds: 0.01)))
        _ = try? plugin.read()
        let event = try XCTUnwrap(events.all.first)
        XCTAssertEqual(event.record, 2)
        XCTAssertEqual(event.context, " while producing record 3 (after 2 emitted)")
    }
}

private extension PluginError.Reason {
    var fieldName: String? {
        if case .badManifest(let field, _) = self { return field }
        return nil
    }
}
