import Foundation
import XCTest

/// `seg plugins test`: plugin tests in Lua beside each plugin, run in the real sandbox.
final class PluginsTestCLITests: XCTestCase {
    /// A temporary plugin library (a folder with criteria/, scorers/, …) holding `files`.
    private func library(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("seglib-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    private func criterion(_ name: String, _ body: String, prepare: String = "") -> String {
        """
        return { api = 1, kind = "criterion", name = "\(name)", version = "1.0.0", description = "t",
          uses = { "x" }, params = { cut = 5 },
          \(prepare)
          assign = function(row, p) \(body) end }
        """
    }

    func testBundledLibraryPasses() throws {
        let r = try SegProcess.run(["plugins", "test", "plugins"], cwd: SegProcess.root)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertNotNil(last.range(of: #"^[1-9][0-9]* passed, 0 failed$"#, options: .regularExpression), last)
        for plugin in ["rfm", "nps", "lifecycle", "demographic_bands", "value_score", "phone_e164", "legacy_pipe"] {
            XCTAssertTrue(r.stdout.contains("PASS \(plugin) › "), "no passing case for \(plugin)")
        }
        XCTAssertFalse(r.stdout.contains("no tests:"), r.stdout)
    }

    func testEachKindOfFailureShowsExpectedAndActual() throws {
        let lib = try library([
            "criteria/tier.lua": criterion("tier", "if row.x == nil then return nil end; if row.x > 100 then error('too big: ' .. row.x) end; if row.x >= p.cut then return 'High' end; return 'Low'"),
            "criteria/tier.test.lua": """
            return {
              { name = "passes", row = { x = 5 }, label = "High" },
              { name = "wrong label", row = { x = 4 }, label = "High" },
              { name = "expected nil", row = { x = 4 }, none = true },
              { name = "expected a label, got nil", row = {}, label = "Low" },
              { name = "expected an error", row = { x = 1 }, error = "too big" },
              { name = "unexpected error", row = { x = 101 }, label = "High" },
              { name = "error text differs", row = { x = 101 }, error = "too small" },
              { name = "stray field", row = { y = 1 }, label = "Low" },
            }
            """,
            "scorers/half.lua": """
            return { api = 1, kind = "scorer", name = "half", version = "1.0.0", description = "t", uses = { "x" },
              params = {}, score = function(row, p) if row.x == nil then return nil end return row.x / 2 end }
            """,
            "scorers/half.test.lua": """
            return { { name = "exact", row = { x = 3 }, score = 1.5 },
                     { name = "outside tolerance", row = { x = 3 }, score = 1.4, tolerance = 0.05 },
                     { name = "inside tolerance", row = { x = 3 }, score = 1.46, tolerance = 0.05 } }
            """,
            "cleaners/up.lua": """
            return { api = 1, kind = "cleaner", name = "up", version = "1.0.0", description = "t", uses = { "s" },
              params = {}, clean = function(row, p) if row.s == "drop" then return nil end
                if row.s then row.s = row.s:upper() end return row end }
            """,
            "cleaners/up.test.lua": """
            return { { name = "cleaned", row = { s = "a" }, cleaned = { s = "A" } },
                     { name = "wrong row", row = { s = "a" }, cleaned = { s = "a" } },
                     { name = "expected dropped", row = { s = "a" }, dropped = true },
                     { name = "dropped", row = { s = "drop" }, dropped = true } }
            """,
            "sources/lines.lua": """
            return { api = 1, kind = "source", name = "lines", version = "1.0.0", description = "t",
              columns = { { name = "id", type = "string" }, { name = "n", type = "integer" } }, params = { file = "x" },
              read = function(src, p) for l in src:lines(p.file) do local f = seg.split(l, ",")
                src:emit({ id = f[1], n = math.tointeger(tonumber(f[2])) }) end end }
            """,
            "sources/fixtures/two.txt": "a,1\nb,2\n",
            "sources/lines.test.lua": """
            return { { name = "all records", params = { file = "fixtures/two.txt" },
                       records = { { id = "a", n = 1 }, { id = "b", n = 2 } } },
                     { name = "second record differs", params = { file = "fixtures/two.txt" },
                       records = { { id = "a", n = 1 }, { id = "b", n = 3 } } },
                     { name = "one record missing", params = { file = "fixtures/two.txt" },
                       records = { { id = "a", n = 1 }, { id = "b", n = 2 }, { id = "c" } } },
                     { name = "one record extra", params = { file = "fixtures/two.txt" }, records = { { id = "a", n = 1 } } } }
            """,
        ])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let out = r.stdout
        for passing in ["tier › passes", "half › exact", "half › inside tolerance", "up › cleaned", "up › dropped",
                        "lines › all records"] {
            XCTAssertTrue(out.contains("PASS \(passing)\n"), passing + "\n" + out)
        }
        func failure(_ name: String, _ expected: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertTrue(out.contains("FAIL \(name)\n    expected: \(expected)\n    actual:   \(actual)\n"),
                          "\(name)\n\(out)", file: file, line: line)
        }
        failure("tier › wrong label", #"label "High""#, #"label "Low""#)
        failure("tier › expected nil", "nil", #"label "Low""#)
        failure("tier › expected a label, got nil", #"label "Low""#, "nil")
        failure("tier › expected an error", #"an error containing "too big""#, #"label "Low""#)
        XCTAssertTrue(out.contains("FAIL tier › unexpected error\n    expected: label \"High\"\n    actual:   error: plugin 'tier' (criteria/tier.lua:4): too big: 101 for row 1"), out)
        XCTAssertTrue(out.contains("FAIL tier › error text differs\n    expected: an error containing \"too small\"\n    actual:   error: "), out)
        XCTAssertTrue(out.contains("FAIL tier › stray field\n    expected: label \"Low\"\n    actual:   bad case: row field 'y' is not in the plugin's uses (x)"), out)
        failure("half › outside tolerance", "score 1.4 ± 0.05", "score 1.5")
        failure("up › wrong row", #"cleaned row { s = "a" }"#, #"cleaned row { s = "A" } (s: expected "a", got "A")"#)
        failure("up › expected dropped", "row dropped", #"cleaned row { s = "A" }"#)
        failure("lines › second record differs", #"record 2: { id = "b", n = 3 }"#, #"record 2: { id = "b", n = 2 } (n: expected 3, got 2)"#)
        failure("lines › one record missing", #"3 records; record 3: { id = "c" }"#, "2 records; record 3 is missing")
        failure("lines › one record extra", "1 record", #"2 records; record 2 is extra: { id = "b", n = 2 }"#)
        XCTAssertTrue(out.hasSuffix("\n6 passed, 13 failed\n"), out)
    }

    func testBadTestFilesAreFailuresNamingFileAndLine() throws {
        let lib = try library([
            "criteria/a.lua": criterion("a", "return 'A'"),
            "criteria/a.test.lua": "return {\n  { row = { x = 1 }, label = 'A' }\n  { row = {} }\n}\n",
            "criteria/b.lua": criterion("b", "return 'B'"),
            "criteria/b.test.lua": "return { { row = { x = 1 }, lable = 'B' } }\n",
            "criteria/c.lua": criterion("c", "return 'C'"),
            "criteria/c.test.lua": "return { { row = { x = 1 }, label = function() end } }\n",
            "criteria/d.lua": criterion("d", "return 'D'"),
            "criteria/d.test.lua": "return { { row = { x = 1 }, score = 1 } }\n",
            "criteria/e.lua": criterion("e", "return 'E'"),
            "criteria/e.test.lua": "local t = {}\nerror('broken on purpose')\nreturn t\n",
        ])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("ERROR a › plugin file criteria/a.test.lua:3: syntax error: '}' expected (to close '{' at line 1) near '{'"), r.stdout)
        // A malformed case fails alone (the file's other cases would still run).
        XCTAssertTrue(r.stdout.contains("FAIL b › #1\n    expected: a well-formed case\n    actual:   criteria/b.test.lua: case '#1' has an unknown field 'lable'; did you mean 'label'?"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ERROR c › plugin file criteria/c.test.lua: '[1].label' is a function; the file must return plain data"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FAIL d › #1\n    expected: a well-formed case\n    actual:   criteria/d.test.lua: case '#1': 'score' does not fit; a criterion case expects one of label = \"…\", none = true, error = \"…\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("ERROR e › plugin 'e.test.lua' (criteria/e.test.lua:2): broken on purpose"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("\n0 passed, 5 failed\n"), r.stdout)
    }

    func testAMalformedCaseFailsAloneAndTheOthersStillRun() throws {
        let lib = try library(["criteria/t.lua": criterion("t", "if row.x and row.x > 5 then return 'High' end return 'Low'"),
                               "criteria/t.test.lua": """
                                   return {
                                     { name = "high", row = { x = 9 }, label = "High" },
                                     { name = "bad", row = "x", label = "Low" },
                                     { name = "low", row = { x = 1 }, label = "Low" },
                                   }
                                   """])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("PASS t › high\nFAIL t › bad\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("case 'bad': row must be a table"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("PASS t › low\n2 passed, 1 failed\n"), r.stdout)
    }

    /// Data never gives a plugin NaN or infinity, so a test row may not either: such a case is malformed.
    func testARowWithNaNOrInfinityIsAMalformedCase() throws {
        let lib = try library(["criteria/t.lua": criterion("t", "return 'A'"),
                               "criteria/t.test.lua": "return { { name = 'nan', row = { x = 0/0 }, label = 'A' }, { name = 'ok', row = { x = 1 }, label = 'A' } }\n"])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("row: 'x' is NaN, which a run never gives a plugin"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("PASS t › ok\n1 passed, 1 failed\n"), r.stdout)
    }

    func testCasesDoNotSeeEachOthersGlobalsOrParams() throws {
        let lib = try library([
            "criteria/count.lua": criterion("count", "calls = (calls or 0) + 1; p.seen = (p.seen or 0) + 1; return calls .. '/' .. p.seen"),
            "criteria/count.test.lua": "return { { row = { x = 1 }, label = '1/1' }, { row = { x = 2 }, label = '1/1' } }\n",
        ])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("2 passed, 0 failed\n"), r.stdout)
    }

    func testPrepareSeesFixtureRowsElseTheRowsOfEveryCase() throws {
        let prepare = "prepare = function(stats, p) return { top = stats.x.max, n = stats.x.count } end,"
        let lib = try library([
            "criteria/top.lua": criterion("top", "return string.format('%g of %d', p.top, p.n)", prepare: prepare),
            "criteria/top.test.lua": """
            return {
              { name = "cases' rows", row = { x = 1 }, label = "7 of 2" },
              { name = "own fixture", row = { x = 7 }, fixture = { { x = 40 }, { x = 2 }, {} }, label = "40 of 2" },
            }
            """,
            "criteria/shared.lua": criterion("shared", "return string.format('%g of %d', p.top, p.n)", prepare: prepare),
            "criteria/shared.test.lua": """
            return { fixture = { { x = 3 } }, params = { cut = 1 },
                     cases = { { row = { x = 99 }, label = "3 of 1" } } }
            """,
        ])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("3 passed, 0 failed\n"), r.stdout)
    }

    func testAsOfFreezesTheClockAsARunWithAsOfDoes() throws {
        let lib = try library([
            "criteria/today.lua": criterion("today", "return os.date('%Y-%m-%d')"),
            "criteria/today.test.lua": """
            return { as_of = "2024-06-30", cases = {
              { name = "the file's date", row = { x = 1 }, label = "2024-06-30" },
              { name = "the case's own", row = { x = 1 }, as_of = "2023-01-31", label = "2023-01-31" } } }
            """,
        ])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("2 passed, 0 failed\n"), r.stdout)
    }

    func testRealLimitsOfTheWorkspace() throws {
        let ws = try TempWorkspace(files: [
            "plugins/spin.lua": criterion("spin", "while true do end"),
            "plugins/spin.test.lua": "return { { name = 'loops', row = { x = 1 }, error = 'instruction budget of 5000' } }\n",
        ], limits: "limits:\n  instructions: 5000\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["plugins", "test", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "PASS spin › loops\n1 passed, 0 failed\n", "only the workspace's own plugins, not the bundled ones")
        let named = try SegProcess.run(["plugins", "test", "spin", "nps"], cwd: ws.root)
        XCTAssertEqual(named.status, 0, named.stdout + named.stderr)
        XCTAssertTrue(named.stdout.contains("PASS spin › loops\nPASS nps › "), "a named bundled plugin is tested: \(named.stdout)")
    }

    func testNoTestsUnknownNamesAndFolders() throws {
        let lib = try library(["criteria/bare.lua": criterion("bare", "return 'B'"),
                               "criteria/other.lua": criterion("other", "return 'O'"),
                               "criteria/other.test.lua": "return { { row = { x = 1 }, label = 'O' } }"])
        let r = try SegProcess.run(["plugins", "test", lib.path])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "no tests: criteria/bare.lua\nPASS other › #1\n1 passed, 0 failed (1 plugin without tests)\n")
        let strict = try SegProcess.run(["plugins", "test", lib.path, "--require-tests"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stdout.hasPrefix("FAIL bare › no tests: criteria/bare.lua (add criteria/bare.test.lua)\n"), strict.stdout)
        XCTAssertTrue(strict.stdout.hasSuffix("1 passed, 1 failed (1 plugin without tests)\n"), strict.stdout)
        let unknown = try SegProcess.run(["plugins", "test", lib.path, "othr"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown plugin 'othr' in \(lib.path); did you mean 'other'? available: bare, other"), unknown.stderr)
        let two = try SegProcess.run(["plugins", "test", lib.path, "plugins/"], cwd: SegProcess.root)
        XCTAssertEqual(two.status, 2)
        XCTAssertTrue(two.stderr.contains("give at most one folder"), two.stderr)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("segempty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let neither = try SegProcess.run(["plugins", "test"], cwd: empty)
        XCTAssertEqual(neither.status, 2)
        XCTAssertTrue(neither.stderr.contains(". is neither a workspace"), neither.stderr)
    }
}
