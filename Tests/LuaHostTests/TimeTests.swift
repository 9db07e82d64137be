import Foundation
import XCTest
@testable import LuaHost

/// Plugin time is UTC whatever the process's TZ: os.date formats in UTC, os.time(table) reads UTC.
final class TimeTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// Runs `body` with the process's TZ set to `zone` (a POSIX rule, so no tz database is needed),
    /// checking that the C library really sees it; restores TZ afterwards.
    func inTimeZone<T>(_ zone: String, _ body: () throws -> T) throws -> T {
        let old = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", zone, 1)
        tzset()
        defer {
            if let old { setenv("TZ", old, 1) } else { unsetenv("TZ") }
            tzset()
        }
        var epoch = time_t(0)
        var local = tm()
        localtime_r(&epoch, &local)
        XCTAssertEqual(local.tm_hour, 19, "TZ=\(zone) must put the epoch at 19:00 local time")
        return try body()
    }

    /// Runs `body` as assign over one row and returns the label.
    func label(_ body: String, environment: PluginEnvironment = PluginEnvironment()) throws -> String? {
        let plugin = try folder.load("t\(UUID().uuidString.prefix(8)).lua", criterion("clock", body: body), environment: environment)
        let result = try plugin.assign(columns: [intColumn([1])], rowCount: 1)
        return result.codes[0] < 0 ? nil : result.labels[Int(result.codes[0])]
    }

    func testDateFormatsInUTCWhateverTheProcessTimeZone() throws {
        try inTimeZone("XYZ+05") {
            XCTAssertEqual(try label("return os.date('%Y-%m-%d %H:%M %Z', 0)"), "1970-01-01 00:00 GMT")
            XCTAssertEqual(try label("return os.date('!%Y-%m-%d %H:%M', 0)"), "1970-01-01 00:00")
            XCTAssertEqual(try label("local t = os.date('*t', 0) return t.year .. '-' .. t.month .. '-' .. t.day .. ' ' .. t.hour .. ' ' .. tostring(t.isdst)"),
                           "1970-1-1 0 false")
            let frozen = PluginEnvironment(frozenTime: 1_700_000_000)
            XCTAssertEqual(try label("return os.date('%Y-%m-%d %H:%M:%S')", environment: frozen), "2023-11-14 22:13:20")
            XCTAssertEqual(try label("return tostring(os.date('*t').hour)", environment: frozen), "22")
        }
    }

    func testTimeReadsItsTableAsUTC() throws {
        try inTimeZone("XYZ+05") {
            XCTAssertEqual(try label("return tostring(os.time({ year = 2024, month = 6, day = 1, hour = 0 }))"), "1717200000")
            XCTAssertEqual(try label("return tostring(os.time({ year = 1970, month = 1, day = 1 }))"), "43200") // hour defaults to 12
            XCTAssertEqual(try label("return tostring(os.time({ year = 2024, month = 13, day = 1, hour = 0 }))"), "1735689600")
            XCTAssertEqual(try label("return tostring(os.time({ year = 1900, month = 1, day = 1 }))"), "-2208945600")
            XCTAssertEqual(try label("return os.date('%Y-%m-%d %H:%M:%S', os.time({ year = 2000, month = 1, day = 1, hour = 0 }))"),
                           "2000-01-01 00:00:00")
        }
    }

    func testTimeNormalizesItsTableLikeLua() throws {
        XCTAssertEqual(try label("""
        local t = { year = 2024, month = 2, day = 30, hour = 25, min = -1 }
        local s = os.time(t)
        return s .. ' ' .. t.year .. '-' .. t.month .. '-' .. t.day .. ' ' .. t.hour .. ':' .. t.min .. ':' .. t.sec
          .. ' wday ' .. t.wday .. ' yday ' .. t.yday .. ' ' .. tostring(t.isdst)
        """), "1709341140 2024-3-2 0:59:0 wday 7 yday 62 false")
        XCTAssertEqual(try label("local t = { year = 1900, month = 1, day = 1 } os.time(t) return t.wday .. ' ' .. t.yday"), "2 1")
    }

    func testTimeTableErrorsMatchLua() throws {
        func failure(_ body: String) throws -> String {
            let plugin = try folder.load("e.lua", criterion("clock", body: body))
            guard case .runtime(let message)? = assignError(plugin)?.reason else { return "no runtime error" }
            return message
        }
        XCTAssertTrue(try failure("os.time({ year = 2024, month = 1 })").contains("field 'day' missing in date table"))
        XCTAssertTrue(try failure("os.time({ year = 'x', month = 1, day = 1 })").contains("field 'year' is not an integer"))
        XCTAssertTrue(try failure("os.time({ year = 2024, month = 1, day = 1.5 })").contains("field 'day' is not an integer"))
        XCTAssertTrue(try failure("os.time({ year = 1 << 40, month = 1, day = 1 })").contains("field 'year' is out-of-bound"))
        XCTAssertTrue(try failure("os.time(5)").contains("bad argument #1 to 'time' (table expected, got number)"))
    }
}
