import Foundation
import XCTest
@testable import LuaHost

/// Source plugins: read(src, p) with src:emit and src:lines, confined to the file root.
final class SourceTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func source(_ body: String, columns: String = "{ { name = 'id', type = 'string' }, { name = 'spend', type = 'double' }, { name = 'vip', type = 'bool' } }") -> String {
        """
        return {
          api = 1, kind = "source", name = "crm", version = "1.0.0", description = "test",
          columns = \(columns), params = { sep = ";" },
          read = function(src, p)
            \(body)
          end,
        }
        """
    }

    var environment: PluginEnvironment {
        PluginEnvironment(limits: LuaLimits(instructions: 200_000), fileRoot: folder.path)
    }

    func testLinesAndEmit() throws {
        try folder.write("data/crm.txt", "id;spend;vip\r\nC1;10.5;yes\nC2;;no\n\nC3;7;yes")
        let plugin = try folder.load("crm.lua", source("""
        local first = true
        for line in src:lines("data/crm.txt") do
          if first then first = false
          elseif line ~= "" then
            local f = seg.split(line, p.sep)
            src:emit({ id = f[1], spend = tonumber(f[2]), vip = f[3] == "yes" })
          end
        end
        src:emit({ id = 42 })
        """), environment: environment)
        let output = try plugin.read()
        XCTAssertEqual(output.names, ["id", "spend", "vip"])
        XCTAssertEqual(output.values, [
            [.string("C1"), .string("C2"), .string("C3"), .int(42)],
            [.double(10.5), .null, .int(7), .null],
            [.bool(true), .bool(false), .bool(true), .null],
        ])
    }

    func testBudgetRestartsAtEachRecord() throws {
        let plugin = try folder.load("many.lua", source("""
        for i = 1, 20000 do
          local s = 0
          for k = 1, 20 do s = s + k end
          src:emit({ id = tostring(i), spend = s })
        end
        """), environment: environment)
        let output = try plugin.read()
        XCTAssertEqual(output.values[0].count, 20000)
        XCTAssertEqual(output.values[1].last, .int(210))
        let spin = try folder.load("spin.lua", source("src:emit({ id = 'a' }) while true do end"), environment: environment)
        XCTAssertThrowsError(try spin.read()) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .instructionBudget(limit: 200_000))
        }
    }

    func testEmitRejectsUndeclaredFieldsAndNonDataValues() throws {
        func message(_ body: String) throws -> String {
            let plugin = try folder.load("e.lua", source(body), environment: environment)
            do { _ = try plugin.read() } catch let error as PluginError {
                if case .runtime(let text) = error.reason { return text }
                return "\(error.reason)"
            }
            return "no error"
        }
        XCTAssertEqual(try message("src:emit({ idd = 'x' })"), "src:emit: field 'idd' is not a declared column (declared: id, spend, vip)")
        XCTAssertEqual(try message("src:emit({ id = {} })"), "src:emit: field 'id' is a table; emit only nil, booleans, numbers and strings")
        XCTAssertEqual(try message("src:emit({ 'x' })"), "src:emit: record keys must be column names (strings), got a number key")
        XCTAssertEqual(try message("src.emit({ id = 'x' })"), "src:emit(record): call it with a colon (src:emit, not src.emit)")
    }

    func testPathsOutsideTheRootAreForbidden() throws {
        let outside = try PluginFolder()
        let secret = try outside.write("secret.txt", "top secret")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.txt", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/linkdir", withDestinationPath: outside.path)
        try folder.write("inside/ok.txt", "fine")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/inner.txt", withDestinationPath: folder.path + "/inside/ok.txt")
        func attempt(_ path: String, environment env: PluginEnvironment? = nil) throws -> PluginError.Reason? {
            let plugin = try folder.load("r.lua", source("for line in src:lines(\"\(path)\") do src:emit({ id = line }) end"),
                                         environment: env ?? environment)
            do { _ = try plugin.read() } catch let error as PluginError { return error.reason }
            return nil
        }
        XCTAssertEqual(try attempt(secret), .forbidden("src:lines('\(secret)'): absolute paths are not allowed; give a path inside the workspace"))
        XCTAssertEqual(try attempt("../x/secret.txt"), .forbidden("src:lines('../x/secret.txt'): '..' is not allowed in paths; give a path inside the workspace"))
        XCTAssertEqual(try attempt("inside/../../secret.txt"), .forbidden("src:lines('inside/../../secret.txt'): '..' is not allowed in paths; give a path inside the workspace"))
        XCTAssertEqual(try attempt("link.txt"), .forbidden("src:lines('link.txt'): the path leads outside the workspace (through a symbolic link)"))
        XCTAssertEqual(try attempt("linkdir/secret.txt"), .forbidden("src:lines('linkdir/secret.txt'): the path leads outside the workspace (through a symbolic link)"))
        XCTAssertEqual(try attempt("inside/ok.txt", environment: PluginEnvironment()),
                       .forbidden("src:lines('inside/ok.txt'): this plugin may not read files (no workspace folder is set)"))
        XCTAssertNil(try attempt("inner.txt"))
        XCTAssertNil(try attempt("./inside/ok.txt"))
        guard case .runtime(let missing)? = try attempt("nope.txt") else { return XCTFail("missing file must be a runtime error") }
        XCTAssertTrue(missing.contains("src:lines('nope.txt'): cannot open it (No such file or directory)"), missing)
    }

    func testForbiddenErrorDescriptionNamesPluginAndLine() throws {
        let plugin = try folder.load("r.lua", source("for l in src:lines('/etc/passwd') do end"), environment: environment)
        XCTAssertThrowsError(try plugin.read()) { error in
            XCTAssertEqual((error as? PluginError)?.description,
                           "plugin 'crm' (\(plugin.path):5): src:lines('/etc/passwd'): absolute paths are not allowed; give a path inside the workspace")
        }
    }

    func testLongLinesAreReadInChunks() throws {
        let long = String(repeating: "abcdefghij", count: 5000)
        try folder.write("long.txt", long + "\n" + "short\r\n")
        let plugin = try folder.load("l.lua", source("for line in src:lines('long.txt') do src:emit({ id = line, spend = #line }) end"),
                                     environment: environment)
        let output = try plugin.read()
        XCTAssertEqual(output.values[0], [.string(long), .string("short")])
        XCTAssertEqual(output.values[1], [.int(50000), .int(5)])
    }

    func testSourceBytesCountsSixteenBytesPerValuePlusStringBytes() throws {
        XCTAssertEqual(LuaLimits.default.sourceBytes, 1 << 30)
        XCTAssertEqual(LuaLimits.bytesPerEmittedValue, 16)
        // 3 declared columns x 16 bytes + 4 bytes of "abcd" = 52 bytes per record: 19 records fit in 988.
        let env = PluginEnvironment(limits: LuaLimits(instructions: 200_000, sourceBytes: 52 * 19), fileRoot: folder.path)
        let body = "for i = 1, p.n do src:emit({ id = 'abcd', spend = 1 }) end"
        let columns = "{ { name = 'id', type = 'string' }, { name = 'spend', type = 'double' }, { name = 'vip', type = 'bool' } }"
        let text = source(body, columns: columns).replacingOccurrences(of: "params = { sep = \";\" }", with: "params = { n = 19 }")
        let plugin = try folder.load("count.lua", text, environment: env)
        XCTAssertEqual(try plugin.read().values[0].count, 19)
        try plugin.configure(overrides: ["n": .int(20)])
        XCTAssertThrowsError(try plugin.read()) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .sourceDataCap(limitBytes: 988))
            XCTAssertEqual(e?.line, 5)
        }
    }

    func testSourceBytesCapEndsARunawayEmitterEvenUnderPcall() throws {
        // The instruction budget restarts at every record, so only the data cap stops these.
        let env = PluginEnvironment(limits: LuaLimits(instructions: 200_000, sourceBytes: 1 << 20), fileRoot: folder.path)
        for body in ["for i = 1, 1000000 do src:emit({ id = 'zz', spend = 1 }) end",
                     "for i = 1, 1000000 do pcall(src.emit, src, { id = 'zz', spend = 1 }) end"] {
            let plugin = try folder.load("runaway.lua", source(body), environment: env)
            XCTAssertThrowsError(try plugin.read(), body) { error in
                let e = error as? PluginError
                XCTAssertEqual(e?.reason, .sourceDataCap(limitBytes: 1 << 20), body)
                XCTAssertEqual(e?.description, "plugin 'crm' (\(plugin.path):5) emitted more than its limit of 1 MiB of data "
                    + "in one read while producing record 20972 (after 20971 emitted) (each value counts 16 bytes plus the bytes of "
                    + "its text); if read never stops emitting, "
                    + "fix its loop; if the data really is this large, raise limits.source_mb in workspace.yaml")
                XCTAssertEqual(e?.record, 20971)
            }
        }
    }

    func testEmittedStringsMustBeValidUTF8() throws {
        let plugin = try folder.load("latin1.lua", source("""
        src:emit({ id = 'Jos\\xC3\\xA9' })
        src:emit({ spend = 1, id = 'Jos\\xE9' })
        """), environment: environment)
        XCTAssertThrowsError(try plugin.read()) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .runtime("src:emit: field 'id' of record 2 is a string that is not valid UTF-8 "
                + "(\"Jos\\xE9\"); re-encode the text as UTF-8 (a Latin-1 byte b becomes utf8.char(b))"))
            XCTAssertEqual(e?.line, 6)
        }
        let good = try folder.load("utf8.lua", source("""
        src:emit({ id = 'Jos\\xC3\\xA9' })
        pcall(src.emit, src, { id = 'bad\\xFF', spend = 2 })
        src:emit({ id = 'Jos' .. utf8.char(0xE9) .. '2' })
        """), environment: environment)
        let output = try good.read()
        XCTAssertEqual(output.values[0], [.string("José"), .string("José2")])
        XCTAssertEqual(output.values[1], [.null, .null])
    }
}
