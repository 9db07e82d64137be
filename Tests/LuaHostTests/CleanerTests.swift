import XCTest
@testable import LuaHost

/// A cleaner whose clean body is `body` (a Lua statement list over `row` and `p`).
func cleaner(_ name: String, uses: [String] = ["x"], params: String = "{}", body: String) -> String {
    let usesList = uses.map { "\"\($0)\"" }.joined(separator: ", ")
    return """
    return {
      api = 1, kind = "cleaner", name = "\(name)", version = "1.0.0", description = "test",
      uses = { \(usesList) }, params = \(params),
      clean = function(row, p)
        \(body)
      end,
    }
    """
}

/// The cleaner kind: manifest, row in / row or nil out, typed read-back, bad returns, errors and limits.
final class CleanerTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func cleanError(_ plugin: Plugin, _ columns: [ColumnInput], rows: Int, withheld: Set<String> = [],
                    file: StaticString = #filePath, line: UInt = #line) -> PluginError? {
        do {
            _ = try plugin.clean(columns: columns, rowCount: rows, withheld: withheld)
            XCTFail("expected a PluginError", file: file, line: line)
        } catch let error as PluginError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testManifest() throws {
        let plugin = try folder.load("fix.lua", cleaner("fix", uses: ["phone"], params: "{ country = 'GB' }", body: "return row"))
        XCTAssertEqual(plugin.manifest.kind, .cleaner)
        XCTAssertEqual(plugin.manifest.uses, ["phone"])
        XCTAssertEqual(plugin.manifest.params, ["country": .string("GB")])
        func loadError(_ text: String) throws -> PluginError {
            let path = try folder.write("bad.lua", text)
            do { _ = try Plugin.load(path: path) } catch let e as PluginError { return e }
            XCTFail("expected a load error"); throw XCTSkip("no error")
        }
        let head = "api = 1, kind = 'cleaner', name = 'bad', version = '1', description = 'd',"
        XCTAssertEqual(try loadError("return { \(head) uses = {'x'} }").reason,
                       .badManifest(field: "clean", problem: "is missing: a cleaner must provide clean = function(row, p) ... end"))
        XCTAssertEqual(try loadError("return { \(head) uses = {'x'}, clean = 3 }").reason,
                       .badManifest(field: "clean", problem: "must be a function (got a number)"))
        XCTAssertEqual(try loadError("return { \(head) clean = function() end }").reason.field, "uses")
        XCTAssertEqual(try loadError("return { \(head) uses = {}, clean = function() end, assign = function() end }").reason,
                       .badManifest(field: "assign", problem: "is not used by a cleaner plugin (it belongs to criterion plugins)"))
        XCTAssertEqual(try loadError("return { \(head) uses = {}, clean = function() end, output = 'y' }").reason,
                       .badManifest(field: "output", problem: "is not used by a cleaner plugin (it belongs to scorer plugins)"))
        // A clean function in another kind is refused, and a criterion cannot be used to clean.
        let crit = "api = 1, kind = 'criterion', name = 'bad', version = '1', description = 'd', uses = {}, assign = function() end,"
        XCTAssertEqual(try loadError("return { \(crit) clean = function() end }").reason,
                       .badManifest(field: "clean", problem: "is not used by a criterion plugin (it belongs to cleaner plugins)"))
        let c = try folder.load("c.lua", criterion("c", body: "return 'x'"))
        XCTAssertThrowsError(try c.clean(columns: [intColumn([1])], rowCount: 1))
    }

    func testEveryTypeRoundTripsAndChangesAreCounted() throws {
        let plugin = try folder.load("fix.lua", cleaner("fix", uses: ["name", "flag", "amount", "n", "day"], body: """
        if row.n == 3 then return nil end
        if row.name then row.name = row.name:upper() end
        if row.n == 1 then row.flag = not row.flag end
        if row.amount then row.amount = row.amount * 2 end
        if row.n == 9 then row.n = 10.0 end
        if row.day == nil then row.day = "2024-01-01" end
        return row
        """))
        let columns = [
            ColumnInput(name: "name", values: .string(codes: [0, 1, 0, 2], dictionary: ["ann", "BOB", "cy"]), validity: nil),
            ColumnInput(name: "flag", values: .bool([true, false, true, true]), validity: [0b1011]),
            ColumnInput(name: "amount", values: .double([1.5, 0, 2, 0]), validity: [0b0111]),
            intColumn([1, 2, 3, 9], name: "n"),
            ColumnInput(name: "day", values: .string(codes: [0, 0, 0, 0], dictionary: ["2023-05-06"]), validity: [0b0101]),
        ]
        let out = try plugin.clean(columns: columns, rowCount: 4, dates: ["day"])
        XCTAssertEqual(out.keep, [true, true, false, true])
        XCTAssertEqual(out.columns.map(\.name), ["name", "flag", "amount", "n", "day"])
        guard case .string(let codes, let dictionary) = out.columns[0].values else { return XCTFail() }
        XCTAssertEqual(dictionary, ["ann", "BOB", "cy", "ANN", "CY"])  // "BOB" is the input's entry, not a new one
        XCTAssertEqual([0, 1, 3].map { dictionary[Int(codes[$0])] }, ["ANN", "BOB", "CY"])
        XCTAssertEqual(out.columns[0].changed, 2)
        guard case .bool(let flags) = out.columns[1].values else { return XCTFail() }
        XCTAssertEqual([flags[0], flags[1]], [false, false])
        XCTAssertEqual(out.columns[1].valid, [true, true, false, true])
        XCTAssertEqual(out.columns[1].changed, 1)
        guard case .double(let amounts) = out.columns[2].values else { return XCTFail() }
        XCTAssertEqual([amounts[0], amounts[1]], [3, 0])
        XCTAssertEqual(out.columns[2].valid, [true, true, false, false])
        XCTAssertEqual(out.columns[2].changed, 1)  // 0 * 2 is still 0
        guard case .integer(let ns) = out.columns[3].values else { return XCTFail() }
        XCTAssertEqual([ns[0], ns[1], ns[3]], [1, 2, 10])
        XCTAssertEqual(out.columns[3].changed, 1)
        guard case .string(let dayCodes, let days) = out.columns[4].values else { return XCTFail() }
        XCTAssertEqual([0, 1, 3].map { days[Int(dayCodes[$0])] }, ["2023-05-06", "2024-01-01", "2024-01-01"])
        XCTAssertEqual(out.columns[4].changed, 2)
    }

    func testLeftOutFieldsBecomeMissingAndANewTableWorks() throws {
        let plugin = try folder.load("only.lua", cleaner("only", uses: ["x", "y"], body: "return { x = row.x + 1 }"))
        let out = try plugin.clean(columns: [intColumn([1, 2]), intColumn([5, 6], name: "y")], rowCount: 2)
        XCTAssertEqual(out.keep, [true, true])
        guard case .integer(let xs) = out.columns[0].values else { return XCTFail() }
        XCTAssertEqual(xs, [2, 3])
        XCTAssertEqual(out.columns[1].valid, [false, false])
        XCTAssertEqual(out.columns[1].changed, 2)
    }

    func testManyColumns() throws {
        let names = (0..<60).map { "c\($0)" }
        let plugin = try folder.load("wide.lua", cleaner("wide", uses: names, body: """
            for k, v in pairs(row) do row[k] = v + 1 end
            return row
            """))
        let columns = names.enumerated().map { i, name in intColumn([Int64(i), Int64(i) * 2], name: name) }
        let out = try plugin.clean(columns: columns, rowCount: 2)
        for (i, column) in out.columns.enumerated() {
            guard case .integer(let v) = column.values else { return XCTFail() }
            XCTAssertEqual(v, [Int64(i) + 1, Int64(i) * 2 + 1])
        }
    }

    func testNilDropsRows() throws {
        let plugin = try folder.load("drop.lua", cleaner("drop", params: "{ min = 2 }", body: "if row.x < p.min then return nil end return row"))
        let out = try plugin.clean(columns: [intColumn([1, 2, 0, 5])], rowCount: 4)
        XCTAssertEqual(out.keep, [false, true, false, true])
        XCTAssertEqual(out.columns[0].changed, 0)
        try plugin.configure(overrides: ["min": .int(5)])
        XCTAssertEqual(try plugin.clean(columns: [intColumn([1, 2, 0, 5])], rowCount: 4).keep, [false, false, false, true])
    }

    func testWhatADroppedRowLeftInTheReusedRowTableDoesNotLeakIntoTheNext() throws {
        let plugin = try folder.load("scratch.lua", cleaner("scratch", body: """
            if row.x == 1 then row.junk = 1 setmetatable(row, { __index = function() return 5 end }) return nil end
            if row.x == 2 then row.more = 1 return { x = 20 } end
            assert(row.y == nil, "the metatable of an earlier row is gone")
            return row
            """))
        let out = try plugin.clean(columns: [intColumn([1, 2, 3])], rowCount: 3)
        XCTAssertEqual(out.keep, [false, true, true])
        guard case .integer(let xs) = out.columns[0].values else { return XCTFail() }
        XCTAssertEqual([xs[1], xs[2]], [20, 3])
    }

    func testBadReturnTypes() throws {
        let plugin = try folder.load("bad.lua", cleaner("bad", body: "if row.x == 2 then return 'x' end return row"))
        let error = try XCTUnwrap(cleanError(plugin, [intColumn([1, 2])], rows: 2))
        XCTAssertEqual(error.reason, .badReturn(field: "clean", expected: "a table (the cleaned row) or nil (to drop the row)", got: "string"))
        XCTAssertEqual(error.row, 1)
        XCTAssertEqual(error.description, "plugin 'bad' (\(plugin.path)) returned a string from clean for row 2; clean must return a table (the cleaned row) or nil (to drop the row)")
    }

    func testWrongColumnTypesNameColumnAndRow() throws {
        let plugin = try folder.load("t.lua", cleaner("t", uses: ["x", "s", "b", "d"], body: """
        if row.x == 2 then row.x = "12" end
        if row.x == 3 then row.x = 2.5 end
        if row.x == 4 then row.s = 7 end
        if row.x == 5 then row.b = 1 end
        if row.x == 6 then row.d = true end
        if row.x == 7 then row.s = "\\255" end
        return row
        """))
        let n = 7
        let columns = [
            intColumn((1...Int64(n)).map { $0 }),
            ColumnInput(name: "s", values: .string(codes: [Int32](repeating: 0, count: n), dictionary: ["a"]), validity: nil),
            ColumnInput(name: "b", values: .bool([Bool](repeating: true, count: n)), validity: nil),
            ColumnInput(name: "d", values: .double([Double](repeating: 1, count: n)), validity: nil),
        ]
        func failure(at x: Int64) throws -> PluginError {
            var cols = columns
            cols[0] = intColumn([1, x])
            for c in 1..<cols.count {
                switch cols[c].values {
                case .string(let codes, let d): cols[c].values = .string(codes: Array(codes.prefix(2)), dictionary: d)
                case .bool(let v): cols[c].values = .bool(Array(v.prefix(2)))
                case .double(let v): cols[c].values = .double(Array(v.prefix(2)))
                default: break
                }
            }
            let e = try XCTUnwrap(cleanError(plugin, cols, rows: 2))
            XCTAssertEqual(e.row, 1)
            return e
        }
        XCTAssertEqual(try failure(at: 2).reason, .badReturn(field: "clean",
            expected: "nil or the row with each value of its column's type; 'x' is an integer column, so an integer (or a float with a whole value) or nil",
            got: "table whose 'x' is the string \"12\""))
        let float = try failure(at: 3).description
        XCTAssertTrue(float.contains("returned a table whose 'x' is the float 2.5, which is not a whole number"), float)
        XCTAssertTrue(try failure(at: 4).description.contains("'s' is the integer 7 from clean for row 2; clean must return nil or the row with each value of its column's type; 's' is a string column"))
        XCTAssertTrue(try failure(at: 5).description.contains("'b' is the integer 1"))
        XCTAssertTrue(try failure(at: 6).description.contains("'d' is the boolean true"))
        let bytes = try failure(at: 7).description
        XCTAssertTrue(bytes.contains("'s' is the string \"\\xFF\", which is not valid UTF-8"), bytes)
    }

    func testWithheldValuesAreNeverShown() throws {
        let plugin = try folder.load("w.lua", cleaner("w", uses: ["email"], body: "return { email = 42 }"))
        let column = ColumnInput(name: "email", values: .string(codes: [0], dictionary: ["ann@example.com"]), validity: nil)
        let error = try XCTUnwrap(cleanError(plugin, [column], rows: 1, withheld: ["email"]))
        XCTAssertTrue(error.description.contains("'email' is a number (withheld: pii)"), error.description)
        // The message names the plugin's file (a temporary path that may itself hold "42"): look past it.
        XCTAssertFalse(error.description.replacingOccurrences(of: plugin.path, with: "").contains("42"), error.description)
    }

    func testUnknownColumnIsAnError() throws {
        let plugin = try folder.load("u.lua", cleaner("u", uses: ["x", "y"], body: "row.z = 1 return row"))
        let error = try XCTUnwrap(cleanError(plugin, [intColumn([1]), intColumn([2], name: "y")], rows: 1))
        XCTAssertEqual(error.reason, .badReturn(field: "clean",
            expected: "nil or the row, keyed only by the columns in uses (x, y); to change another column of the dataset, add it to uses",
            got: "table with the key 'z', which is not a column it uses"))
        let array = try folder.load("a.lua", cleaner("a", body: "return { 5 }"))
        let arrayError = try XCTUnwrap(cleanError(array, [intColumn([1])], rows: 1))
        XCTAssertTrue(arrayError.description.contains("the key of type number"), arrayError.description)
    }

    func testErrorInCleanNamesFileLineAndRow() throws {
        let plugin = try folder.load("e.lua", cleaner("e", body: "if row.x == 3 then error('e: x may not be 3') end return row"))
        let error = try XCTUnwrap(cleanError(plugin, [intColumn([1, 2, 3])], rows: 3))
        XCTAssertEqual(error.reason, .runtime("e: x may not be 3"))
        XCTAssertEqual(error.line, 5)
        XCTAssertEqual(error.row, 2)
        XCTAssertEqual(error.description, "plugin 'e' (\(plugin.path):5): e: x may not be 3 for row 3")
    }

    func testInfiniteLoopHitsTheBudgetPerRowAndTheHostRecovers() throws {
        let small = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 8 << 20, seconds: 30))
        let plugin = try folder.load("spin.lua", cleaner("spin", body: "if row.x == 2 then while true do end end return row"),
                                     environment: small)
        let error = try XCTUnwrap(cleanError(plugin, [intColumn([1, 2])], rows: 2))
        XCTAssertEqual(error.reason, .instructionBudget(limit: 1_000_000))
        XCTAssertEqual(error.row, 1)
        XCTAssertEqual(error.line, 5)
        // The budget is per row: many cheap rows together run far more instructions than one budget.
        let many = 20_000
        let busy = try folder.load("busy.lua", cleaner("busy", body: "local s = 0 for i = 1, 100 do s = s + i end row.x = s return row"),
                                   environment: small)
        let out = try busy.clean(columns: [intColumn([Int64](repeating: 1, count: many))], rowCount: many)
        XCTAssertEqual(out.columns[0].changed, many)
        XCTAssertEqual(try plugin.clean(columns: [intColumn([1])], rowCount: 1).keep, [true])
    }

    func testHighCardinalityTextKeepsUnchangedCodesAndMapsBackToKnownValues() throws {
        // 6000 distinct values for 6000 rows: the host makes each row's string per row instead of one Lua table
        // of all of them; unchanged values keep their code and a value changed into another known one takes its code.
        let n = 6000
        let plugin = try folder.load("many.lua", cleaner("many", uses: ["s", "i"], body: """
            if row.i % 3 == 1 then row.s = "v" .. (row.i - 1) elseif row.i % 3 == 2 then row.s = row.s .. "!" end
            return row
            """))
        let column = ColumnInput(name: "s", values: .string(codes: (0..<Int32(n)).map { $0 }, dictionary: (0..<n).map { "v\($0)" }),
                                 validity: nil)
        let out = try plugin.clean(columns: [column, intColumn((0..<Int64(n)).map { $0 }, name: "i")], rowCount: n)
        guard case .string(let codes, let dictionary) = out.columns[0].values else { return XCTFail() }
        XCTAssertEqual(Array(codes.prefix(6)), [0, 0, Int32(n), 3, 3, Int32(n + 1)])
        XCTAssertEqual(dictionary.count, n + n / 3)
        XCTAssertEqual(dictionary[n], "v2!")
        XCTAssertEqual(out.columns[0].changed, 2 * n / 3)
    }

    func testMemoryCapAppliesToEachCall() throws {
        let small = PluginEnvironment(limits: LuaLimits(instructions: 100_000_000, memoryBytes: 1 << 20, seconds: 30))
        let plugin = try folder.load("hog.lua", cleaner("hog", body: """
        if row.x == 2 then local t = {} for i = 1, 1e7 do t[i] = i end end
        return row
        """), environment: small)
        let error = try XCTUnwrap(cleanError(plugin, [intColumn([1, 2])], rows: 2))
        XCTAssertEqual(error.reason, .memoryCap(limitBytes: 1 << 20))
        XCTAssertEqual(error.row, 1)
    }

    func testManyNewStringsDoNotCountAgainstTheMemoryCap() throws {
        // Every row gets a new distinct string: they are kept outside the Lua state, so a small cap is fine.
        let small = PluginEnvironment(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 1 << 20, seconds: 30))
        let plugin = try folder.load("ids.lua", cleaner("ids", uses: ["s"], body: "return { s = row.s .. string.rep('-', 40) }"),
                                     environment: small)
        let n = 50_000
        let column = ColumnInput(name: "s", values: .string(codes: (0..<Int32(n)).map { $0 }, dictionary: (0..<n).map { "id\($0)" }),
                                 validity: nil)
        let out = try plugin.clean(columns: [column], rowCount: n)
        guard case .string(let codes, let dictionary) = out.columns[0].values else { return XCTFail() }
        XCTAssertEqual(dictionary.count, 2 * n)
        XCTAssertEqual(dictionary[Int(codes[n - 1])], "id\(n - 1)" + String(repeating: "-", count: 40))
        XCTAssertEqual(out.columns[0].changed, n)
    }
}

private extension PluginError.Reason {
    var field: String? {
        if case .badManifest(let field, _) = self { return field }
        return nil
    }
}

/// A cleaner that sees personal columns may change only those.
final class CleanerPrivacyTests: XCTestCase {
    func testOnlyWithheldColumnsMayChangeWhenAnyIsWithheld() throws {
        let folder = try PluginFolder()
        let columns = [
            ColumnInput(name: "email", values: .string(codes: [0, 1], dictionary: ["A@x.org", "b@y.org"]), validity: nil),
            ColumnInput(name: "nick", values: .string(codes: [0, 1], dictionary: ["a", "b"]), validity: nil),
        ]
        let copy = try folder.load("copy.lua", cleaner("copy", uses: ["email", "nick"], body: "row.nick = row.email return row"))
        XCTAssertThrowsError(try copy.clean(columns: columns, rowCount: 2, withheld: ["email"])) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.row, 0)
            XCTAssertEqual(e?.reason, .badReturn(field: "clean",
                expected: "the row with only its personal columns changed (a cleaner that sees pii columns may change only those, so no personal value can move into a column that is exported); use a separate cleaner step for 'nick'",
                got: "table that changes 'nick', which is not a personal column, while the plugin uses the personal (pii) columns email"))
            XCTAssertFalse("\(error)".contains("x.org"))
        }
        // Leaving the other column out (it becomes missing) is a change too; without withheld columns all is allowed.
        let drop = try folder.load("drop.lua", cleaner("drop", uses: ["email", "nick"], body: "return { email = row.email }"))
        XCTAssertThrowsError(try drop.clean(columns: columns, rowCount: 2, withheld: ["email"]))
        XCTAssertEqual(try copy.clean(columns: columns, rowCount: 2).columns[1].changed, 2)
        // Changing the personal column and dropping rows by it are fine.
        let tidy = try folder.load("tidy.lua", cleaner("tidy", uses: ["email", "nick"], body: """
            if row.email:find("@y.org") then return nil end
            row.email = row.email:lower()
            return row
            """))
        let out = try tidy.clean(columns: columns, rowCount: 2, withheld: ["email"])
        XCTAssertEqual(out.keep, [true, false])
        XCTAssertEqual(out.columns.map(\.changed), [1, 0])
    }
}
