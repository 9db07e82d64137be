import Foundation
import XCTest
@testable import LuaHost

/// assign and score over columns: values, missing values, labels, scores, bad returns and errors.
final class RowCallTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func testEveryColumnTypeIsVisibleInRow() throws {
        let plugin = try folder.load("show.lua", criterion("show", uses: ["name", "flag", "amount", "n"], body: """
        return string.format("%s|%s|%s|%s:%s", tostring(row.name), tostring(row.flag), tostring(row.amount),
                             tostring(row.n), tostring(math.type(row.n)))
        """))
        let columns = [
            ColumnInput(name: "name", values: .string(codes: [1, 0, 1, 5], dictionary: ["Ann", "Bob"]), validity: [0b1011]),
            ColumnInput(name: "flag", values: .bool([true, false, true, true]), validity: [0b0111]),
            ColumnInput(name: "amount", values: .double([1.5, -2, 0, 1e300]), validity: nil),
            intColumn([7, 8, 9, -1], name: "n", validity: [0b1101]),
        ]
        let result = try plugin.assign(columns: columns, rowCount: 4)
        let rows = result.codes.map { result.labels[Int($0)] }
        XCTAssertEqual(rows, ["Bob|true|1.5|7:integer", "Ann|false|-2.0|nil:nil", "nil|true|0.0|9:integer", "nil|nil|1e+300|-1:integer"])
    }

    /// A text column with about one value per row (ids, e-mails) is made into Lua strings row by row instead of one
    /// table of every value (columns.c, shared with the cleaner loop): every row must still see its own value, and
    /// missing or out-of-range codes arrive as nil.
    func testHighCardinalityTextColumnsGiveEveryRowItsOwnValue() throws {
        let plugin = try folder.load("id.lua", scorer("id", uses: ["s"], body: """
        if row.s == nil then return -1 end
        return tonumber(row.s:sub(4))
        """))
        let n = 6000
        let dictionary = (0..<n).map { "id-\($0 * 7)" }
        var codes = (0..<n).map { Int32(($0 * 37) % n) }
        codes[5] = Int32(n + 3)   // out of range: nil
        var validity = [UInt64](repeating: ~0, count: (n + 63) / 64)
        validity[0] &= ~(1 << 9)  // row 9 missing
        let result = try plugin.score(columns: [ColumnInput(name: "s", values: .string(codes: codes, dictionary: dictionary),
                                                            validity: validity)], rowCount: n)
        for row in 0..<n {
            let expected = row == 5 || row == 9 ? -1 : Double(Int(codes[row]) * 7)
            XCTAssertEqual(result.values[row], expected, "row \(row)")
        }
    }

    func testLabelsAreInternedInOrderOfFirstAppearance() throws {
        let plugin = try folder.load("rfm.lua", criterion("rfm", uses: ["r", "f"], body: """
        if row.r >= 4 and row.f >= 4 then return "Champions" end
        if row.r <= 1 then return nil end
        return "Other" .. ""
        """))
        let r: [Int64] = [5, 1, 3, 4, 2, 5]
        let f: [Int64] = [4, 5, 1, 5, 2, 1]
        let result = try plugin.assign(columns: [intColumn(r, name: "r"), intColumn(f, name: "f")], rowCount: 6)
        XCTAssertEqual(result, LabelAssignment(codes: [0, -1, 1, 0, 1, 1], labels: ["Champions", "Other"]))
    }

    func testScoresWithNilAndNaN() throws {
        let plugin = try folder.load("s.lua", scorer("s", body: """
        if row.x == 0 then return nil end
        if row.x == 1 then return 0/0 end
        if row.x == 2 then return 7 end
        return row.x * 1.5
        """))
        let result = try plugin.score(columns: [intColumn([0, 1, 2, 3])], rowCount: 4)
        XCTAssertEqual(result, ScoreColumn(values: [0, 0, 7, 4.5], valid: [false, false, true, true]))
    }

    func testBadReturnNamesTheRow() throws {
        let plugin = try folder.load("bad.lua", criterion("bad", body: "if row.x == 3 then return 42 end return 'ok'"))
        var error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 2, 3, 4])], rows: 4))
        XCTAssertEqual(error.reason, .badReturn(field: "assign", expected: "a string label or nil", got: "number"))
        XCTAssertEqual(error.row, 2)
        XCTAssertEqual(error.description, "plugin 'bad' (\(plugin.path)) returned a number from assign for row 3; assign must return a string label or nil")
        error.customerID = "C7"
        XCTAssertEqual(error.description, "plugin 'bad' (\(plugin.path)) returned a number from assign for customer C7 (row 3); assign must return a string label or nil")
        let score = try folder.load("bs.lua", scorer("bs", body: "return row.x > 1"))
        XCTAssertThrowsError(try score.score(columns: [intColumn([1, 2])], rowCount: 2)) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .badReturn(field: "score", expected: "a number or nil", got: "boolean"))
            XCTAssertEqual(e?.row, 0)
        }
    }

    func testRuntimeErrorCarriesFileLineRowAndTraceback() throws {
        let plugin = try folder.load("rfm.lua", criterion("rfm", uses: ["r"], body: """
        local limit = p.missing
        if row.r > limit then return "x" end
        """))
        var error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1], name: "r")], rows: 1))
        XCTAssertEqual(error.reason, .runtime("attempt to compare nil with number"))
        XCTAssertEqual(error.line, 7)
        XCTAssertEqual(error.file, plugin.path)
        XCTAssertTrue(error.traceback?.contains("stack traceback:") ?? false)
        XCTAssertTrue(error.traceback?.contains("rfm.lua:7: in function") ?? false, error.traceback ?? "")
        error.customerID = "C123"
        XCTAssertEqual(error.description, "plugin 'rfm' (\(plugin.path):7): attempt to compare nil with number for customer C123 (row 1)")
    }

    func testErrorRaisedWithoutPositionFindsLineInTraceback() throws {
        let plugin = try folder.load("t.lua", criterion("t", body: "error({ code = 1 })"))
        let error = try XCTUnwrap(assignError(plugin))
        XCTAssertEqual(error.reason, .runtime("(error object is a table value)"))
        XCTAssertEqual(error.line, 6)
    }

    func testWrongKindCallIsRefused() throws {
        let plugin = try folder.load("c.lua", criterion("c", body: "return 'x'"))
        XCTAssertThrowsError(try plugin.score(columns: [intColumn([1])], rowCount: 1)) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .runtime("is a criterion plugin and has no score function; use it as a criterion"))
        }
    }

    func testZeroRows() throws {
        let plugin = try folder.load("c.lua", criterion("c", body: "return 'x'"))
        XCTAssertEqual(try plugin.assign(columns: [intColumn([])], rowCount: 0), LabelAssignment(codes: [], labels: []))
    }

    func testPluginsOnDifferentThreadsRunIndependently() throws {
        let loaded = try (0..<2).map { i in
            try folder.load("t\(i).lua", criterion("t\(i)", body: "return row.x % 2 == 0 and 'even' or 'odd'"))
        }
        let n = 50_000
        let column = intColumn((0..<n).map(Int64.init))
        let results = LockedResults()
        // Each thread uses only its own plugin (a Plugin is confined to one thread at a time).
        nonisolated(unsafe) let plugins = loaded
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            results.set(i, try? plugins[i].assign(columns: [column], rowCount: n))
        }
        for i in 0..<2 {
            let result = try XCTUnwrap(results.get(i))
            XCTAssertEqual(result.labels, ["even", "odd"])
            XCTAssertEqual(result.codes.prefix(4), [0, 1, 0, 1])
        }
    }

    func testManyRowsWithThreeFields() throws {
        let plugin = try folder.load("rfm3.lua", criterion("rfm3", uses: ["r", "f", "m"], body: """
        if row.r >= 4 and row.f >= 4 then return "A" elseif row.m > 100 then return "B" end
        return nil
        """))
        let n = 100_000
        let r = (0..<n).map { Int64($0 % 5 + 1) }
        let f = (0..<n).map { Int64($0 / 7 % 5 + 1) }
        let m = (0..<n).map { Double($0 % 300) }
        let result = try plugin.assign(columns: [intColumn(r, name: "r"), intColumn(f, name: "f"),
                                                 ColumnInput(name: "m", values: .double(m), validity: nil)], rowCount: n)
        XCTAssertEqual(result.codes.count, n)
        for i in stride(from: 0, to: n, by: 997) {
            let expected: String? = r[i] >= 4 && f[i] >= 4 ? "A" : m[i] > 100 ? "B" : nil
            XCTAssertEqual(result.codes[i] < 0 ? nil : result.labels[Int(result.codes[i])], expected, "row \(i)")
        }
    }
}

/// Results written from several threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: LabelAssignment] = [:]
    func set(_ i: Int, _ value: LabelAssignment?) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> LabelAssignment? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
