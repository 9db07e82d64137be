import XCTest
@testable import LuaHost

/// The plugin table is checked field by field before any plugin function runs.
final class ManifestTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// Loads a plugin whose table has `fields` (Lua table constructor body) and returns the load error.
    func loadError(_ fields: String, file: StaticString = #filePath, line: UInt = #line) throws -> PluginError {
        let path = try folder.write("m.lua", "return {\n\(fields)\n}")
        do {
            _ = try Plugin.load(path: path)
        } catch let error as PluginError {
            return error
        }
        XCTFail("expected a load error", file: file, line: line)
        throw XCTSkip("no error")
    }

    let base = "api = 1, kind = 'criterion', name = 'nps', version = '1.0.0', description = 'd', uses = { 'score' },"
    let assign = "assign = function(row, p) return nil end,"

    func testValidPluginsOfEveryKind() throws {
        let c = try folder.load("c.lua", "return { \(base) params = { min = 9, label = 'x', on = true, list = { 1, 2 } }, \(assign) }")
        XCTAssertEqual(c.manifest, PluginManifest(api: 1, kind: .criterion, name: "nps", version: "1.0.0", description: "d",
            uses: ["score"], params: ["min": .int(9), "label": .string("x"), "on": .bool(true), "list": .array([.int(1), .int(2)])],
            output: nil, columns: [], hasPrepare: false))
        let s = try folder.load("s.lua", """
        return { api = 1, kind = 'scorer', name = 'ltv', version = '2', description = 'd', uses = {},
                 prepare = function() end, score = function() return 1 end }
        """)
        XCTAssertEqual(s.manifest.output, "ltv")
        XCTAssertTrue(s.manifest.hasPrepare)
        XCTAssertEqual(s.manifest.params, [:])
        let r = try folder.load("r.lua", """
        return { api = 1, kind = 'source', name = 'crm', version = '1', description = 'd',
                 columns = { { name = 'id', type = 'string' }, { name = 'joined', type = 'date' } },
                 read = function(src, p) end }
        """)
        XCTAssertEqual(r.manifest.columns, [SourceColumn(name: "id", type: "string"), SourceColumn(name: "joined", type: "date")])
    }

    func testMissingName() throws {
        let error = try loadError("api = 1, kind = 'criterion', version = '1', description = 'd', uses = {}, \(assign)")
        XCTAssertEqual(error.reason, .badManifest(field: "name", problem: "is missing: add name = \"my_plugin\""))
        XCTAssertTrue(error.description.hasPrefix("plugin file \(folder.path)/m.lua: field 'name' is missing"), error.description)
    }

    func testWrongKind() throws {
        let error = try loadError("api = 1, kind = 'critter', name = 'x', version = '1', description = 'd', \(assign)")
        XCTAssertEqual(error.description, "plugin file \(folder.path)/m.lua: field 'kind' must be one of source, criterion, scorer, cleaner (got \"critter\")")
    }

    func testTypoFieldIsNamedWithSuggestion() throws {
        let error = try loadError("api = 1, kind = 'criterion', name = 'x', version = '1', description = 'd', uses = {}, asign = function() end")
        guard case .badManifest(let field, let problem) = error.reason else { return XCTFail("\(error)") }
        // The typo and its consequence (no assign) are both reported, in one error.
        XCTAssertEqual(field, "")
        XCTAssertTrue(problem.contains("(1) field 'asign' is not a known plugin field (did you mean 'assign'?)"), problem)
        XCTAssertTrue(problem.contains("known fields: api, assign, clean, columns"), problem)
        XCTAssertTrue(problem.contains("(2) field 'assign' is missing"), problem)
    }

    func testMissingOrWrongFunction() throws {
        let missing = try loadError(base)
        XCTAssertEqual(missing.reason, .badManifest(field: "assign", problem: "is missing: a criterion must provide assign = function(row, p) ... end"))
        let wrong = try loadError(base + " assign = 'yes'")
        XCTAssertEqual(wrong.reason, .badManifest(field: "assign", problem: "must be a function (got a string)"))
        let foreign = try loadError(base + assign + " score = function() end")
        XCTAssertEqual(foreign.reason, .badManifest(field: "score", problem: "is not used by a criterion plugin (it belongs to scorer plugins)"))
    }

    func testFieldValues() throws {
        func problem(_ fields: String) throws -> (String, String) {
            guard case .badManifest(let field, let problem) = try loadError(fields).reason else { return ("", "") }
            return (field, problem)
        }
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "api = 1", with: "api = 2") + assign).0, "api")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "api = 1", with: "api = '1'") + assign).1, "must be an integer API level (got \"1\")")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "api = 1,", with: "") + assign).1, "is missing: add api = 1")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "'nps'", with: "'Bad Name'") + assign).1,
                       "must start with a lower-case letter and use only a-z, 0-9 and _ (got \"Bad Name\")")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "version = '1.0.0'", with: "version = 1") + assign).0, "version")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "uses = { 'score' },", with: "") + assign).0, "uses")
        XCTAssertEqual(try problem(base.replacingOccurrences(of: "{ 'score' }", with: "{ 3 }") + assign).1,
                       "entry 1 must be a column name string (got 3)")
        XCTAssertTrue(try problem(base + assign + " params = { f = function() end }").1.contains("entry 'f' is a function"))
        XCTAssertEqual(try problem(base + assign + " params = { 1, 2 }").0, "params")
        let source = "api = 1, kind = 'source', name = 's', version = '1', description = 'd', read = function() end,"
        XCTAssertEqual(try problem(source).0, "columns")
        XCTAssertTrue(try problem(source + " columns = { { name = 'a', type = 'text' } }").1.contains("needs a type, one of integer, double, bool, date, string (got \"text\")"))
        XCTAssertTrue(try problem(source + " columns = { { name = 'a', type = 'string' }, { name = 'a', type = 'bool' } }").1.contains("declares 'a' twice"))
    }

    func testNonTableReturn() throws {
        let path = try folder.write("n.lua", "return 42")
        XCTAssertThrowsError(try Plugin.load(path: path)) { error in
            XCTAssertEqual((error as? PluginError)?.description, "plugin file \(path): must return a table describing the plugin (it returned 42)")
        }
    }

    func testSyntaxRuntimeAndUnreadable() throws {
        let syntax = try folder.write("syntax.lua", "return {\n  api = 1,\n  name = = 'x'\n}")
        XCTAssertThrowsError(try Plugin.load(path: syntax)) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.line, 3)
            XCTAssertEqual(e?.description, "plugin file \(syntax):3: syntax error: unexpected symbol near '='")
        }
        let binary = try folder.write("binary.lua", "\u{1B}Lua binary")
        XCTAssertThrowsError(try Plugin.load(path: binary)) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .syntax("syntax error: attempt to load a binary chunk (mode is 't')"))
        }
        let runtime = try folder.write("runtime.lua", "local t = nil\nreturn t.x")
        XCTAssertThrowsError(try Plugin.load(path: runtime)) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.reason, .runtime("attempt to index a nil value (local 't')"))
            XCTAssertEqual(e?.line, 2)
            XCTAssertEqual(e?.plugin, "runtime.lua")
        }
        XCTAssertThrowsError(try Plugin.load(path: folder.path + "/missing.lua")) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .unreadable("no such file"))
        }
        let spin = try folder.write("spin.lua", "while true do end")
        XCTAssertThrowsError(try Plugin.load(path: spin, environment: PluginEnvironment(limits: LuaLimits(instructions: 100_000)))) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .instructionBudget(limit: 100_000))
        }
    }

    /// `labels` is optional, for criteria only, and a list of distinct non-empty strings (like `uses`).
    func testLabelsField() throws {
        let ok = try folder.load("l.lua", "return { \(base) labels = { 'Promoter', 'Passive' }, \(assign) }")
        XCTAssertEqual(ok.manifest.labels, ["Promoter", "Passive"])
        let none = try folder.load("n.lua", "return { \(base) \(assign) }")
        XCTAssertNil(none.manifest.labels)
        XCTAssertEqual(try loadError(base + assign + " labels = 'Promoter'").reason,
                       .badManifest(field: "labels", problem: "must be a list of the labels assign may return, e.g. labels = { \"High\", \"Low\" } (got \"Promoter\")"))
        XCTAssertEqual(try loadError(base + assign + " labels = { 'A', '' }").reason,
                       .badManifest(field: "labels", problem: "entry 2 must be a non-empty label string (got \"\")"))
        XCTAssertEqual(try loadError(base + assign + " labels = { 'A', 'A' }").reason,
                       .badManifest(field: "labels", problem: "lists 'A' twice"))
        let scorer = try loadError("api = 1, kind = 'scorer', name = 's', version = '1', description = 'd', uses = {}, score = function() end, labels = { 'A' }")
        XCTAssertEqual(scorer.reason, .badManifest(field: "labels", problem: "is not used by a scorer plugin (it belongs to criterion plugins)"))
    }
}
