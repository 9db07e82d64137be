import Foundation
import XCTest

/// `- plugin: <cleaner>` clean steps end to end through `seg run`: reports, run record, determinism, privacy, errors.
final class CleanerPluginCLITests: XCTestCase {
    private let customers = """
    customer_id,name,email,phone,age
    C1,Ann,ann@shop.org,07700 900123,30
    C2,Test User,qa@example.com,+44 7700 900124,41
    C3,Bob,bob@shop.org,n/a,50
    C1,Ann,ann@shop.org,0044 7700 900123,31
    C4,Cy,cy@example.com,(0)20-7946 0018,
    C5,Dee,dee@shop.org,,22

    """
    private let criterion = """
    return { api = 1, kind = "criterion", name = "all", version = "1", description = "d", uses = {"age"},
      assign = function(row, p) return "everyone" end }
    """
    /// A workspace cleaner combining two columns: a test account is a name starting with `name_prefix` at one of
    /// the `domains` (the built-in steps look at one column at a time).
    private let dropTests = """
    return {
      api = 1, kind = "cleaner", name = "drop_tests", version = "1.0.0",
      description = "Drops test accounts: a name starting with Test at a test domain",
      uses = { "name", "email" },
      params = { domains = { "example.com" }, name_prefix = "Test" },
      clean = function(row, p)
        local domain = row.email and row.email:match("@(.+)$")
        for _, d in ipairs(p.domains) do
          if domain == d and row.name and row.name:sub(1, #p.name_prefix) == p.name_prefix then return nil end
        end
        return row
      end,
    }
    """

    private func definition(_ clean: String, pii: Bool = true) -> String {
        """
        population: customers
        id: customer_id
        as_of: 2024-12-31
        datasets:
          customers:
            file: data/customers.csv
        \(pii ? "    schema: { phone: { pii: true }, email: { pii: true } }" : "")
            clean:
        \(clean)
        criteria: [all]
        profile: { numeric: [age] }
        """
    }

    private let steps = """
          - dedupe: { key: [customer_id], keep: first }
          - plugin: drop_tests
          - plugin: phone_e164
            params: { invalid: missing }
          - missing: { column: age, action: fill, value: "40" }
    """

    private func workspace(_ clean: String, files: [String: String] = [:], limits: String = "",
                           pii: Bool = true) throws -> TempWorkspace {
        var all = ["data/customers.csv": customers, "plugins/all.lua": criterion,
                   "plugins/cleaners/drop_tests.lua": dropTests, "segmentations/d.yaml": definition(clean, pii: pii)]
        for (k, v) in files { all[k] = v }
        return try TempWorkspace(files: all, limits: limits)
    }

    private func exports(_ ws: TempWorkspace) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in ws.exportedFiles() {
            out[URL(fileURLWithPath: path).lastPathComponent] = try Data(contentsOf: ws.root.appendingPathComponent("exports/" + path))
        }
        return out
    }

    func testPluginStepsRunInOrderAndAreReportedRecordedAndDeterministic() throws {
        let a = try workspace(steps), b = try workspace(steps)
        defer { a.remove(); b.remove() }
        for ws in [a, b] {
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let files = try exports(a)
        XCTAssertEqual(files, try exports(b), "the same inputs give the same run id and the same bytes")
        XCTAssertEqual(String(decoding: files["membership.csv"]!, as: UTF8.self),
                       "customer_id,segment\nC1,everyone\nC3,everyone\nC4,everyone\nC5,everyone\n")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: files["cleaning.json"]!) as? [String: Any])
        let dataset = try XCTUnwrap((json["datasets"] as? [[String: Any]])?.first)
        XCTAssertEqual(dataset["rows_in"] as? Int, 6)
        XCTAssertEqual(dataset["rows_out"] as? Int, 4)
        let reports = try XCTUnwrap(dataset["steps"] as? [[String: Any]])
        XCTAssertEqual(reports.map { $0["name"] as? String }, ["dedupe", "plugin", "plugin", "missing"])
        XCTAssertEqual(reports.map { $0["rows_removed"] as? Int }, [1, 1, 0, 0])
        // drop_tests changes nothing it keeps; phone_e164 rewrites C1's and C4's phones and makes C3's "n/a" missing.
        XCTAssertEqual(reports[1]["values_changed_by_column"] as? [String: Int], ["name": 0, "email": 0])
        XCTAssertEqual(reports[2]["values_changed"] as? Int, 3)
        XCTAssertEqual(reports[2]["values_changed_by_column"] as? [String: Int], ["phone": 3])
        XCTAssertNil(reports[0]["values_changed_by_column"], "built-in steps keep their format")
        XCTAssertEqual(reports[2]["description"] as? String,
                       "plugin phone_e164 1.0.0: Phone numbers rewritten to E.164 (+ country code and number); unusable ones made missing; values changed: phone 3")
        let md = String(decoding: files["profiles.md"]!, as: UTF8.self)
        XCTAssertTrue(md.contains("| customers | 3 | plugin phone_e164 1.0.0: Phone numbers rewritten"), md)
        // The cleaners are recorded with the run like every other plugin: kind, version, file, hash, params.
        let profiles = String(decoding: files["profiles.json"]!, as: UTF8.self)
        for needle in ["\"kind\" : \"cleaner\"", "\"file\" : \"cleaners/phone_e164.lua\"", "\"file\" : \"cleaners/drop_tests.lua\"",
                       "\"default_country\" : \"44\"", "\"name_prefix\" : \"Test\""] {
            XCTAssertTrue(profiles.contains(needle), "profiles.json lacks \(needle)")
        }
        // Personal values the cleaner saw (and rewrote) are exported nowhere.
        for (name, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            for secret in ["7700", "+44", "ann@shop.org", "n/a"] {
                XCTAssertFalse(text.contains(secret), "\(name) contains \(secret)")
            }
        }
    }

    func testCleanerTextAndParamsChangeTheRunID() throws {
        let base = try workspace(steps)
        let params = try workspace(steps.replacingOccurrences(of: "invalid: missing", with: "invalid: drop"))
        let text = try workspace(steps, files: ["plugins/cleaners/drop_tests.lua": dropTests + "\n-- edited\n"])
        defer { base.remove(); params.remove(); text.remove() }
        var ids: [String] = []
        for ws in [base, params, text] {
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            ids.append(try XCTUnwrap(ws.exportedFiles().first?.split(separator: "/").dropFirst().first.map(String.init)))
        }
        XCTAssertEqual(Set(ids).count, 3, "run ids \(ids)")
    }

    func testErrorInCleanStopsTheRunWithPluginLineAndDataLine() throws {
        let boom = """
        return { api = 1, kind = "cleaner", name = "boom", version = "1", description = "d", uses = { "age" },
          clean = function(row, p)
            if row.age == 50 then error("boom: age 50 is not allowed") end
            return row
          end }
        """
        let ws = try workspace("      - dedupe: { key: [customer_id] }\n      - plugin: boom",
                               files: ["plugins/cleaners/boom.lua": boom])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 4: record 3 of dataset 'customers' (clean step 2): plugin 'boom' ("), r.stderr)
        XCTAssertTrue(r.stderr.contains("boom.lua:3): boom: age 50 is not allowed"), r.stderr)
        XCTAssertEqual(ws.exportedFiles(), [], "no partial output")
    }

    func testWrongTypeAndBudgetErrors() throws {
        let wrong = """
        return { api = 1, kind = "cleaner", name = "wrong", version = "1", description = "d", uses = { "age", "phone" },
          clean = function(row, p) if row.phone == "n/a" then row.age = "fifty" end return row end }
        """
        let ws = try workspace("      - plugin: wrong", files: ["plugins/cleaners/wrong.lua": wrong])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 4: record 3 of dataset 'customers' (clean step 1): plugin 'wrong' (plugins/cleaners/wrong.lua) returned a table whose 'age' is the string \"fifty\" from clean; clean must return nil or the row with each value of its column's type; 'age' is an integer column"), r.stderr)

        let spin = """
        return { api = 1, kind = "cleaner", name = "spin", version = "1", description = "d", uses = { "age" },
          clean = function(row, p) while row.age == 22 do end return row end }
        """
        let slow = try workspace("      - plugin: spin", files: ["plugins/cleaners/spin.lua": spin],
                                 limits: "limits: {instructions: 1000000}\n")
        defer { slow.remove() }
        let s = try SegProcess.run(["run", slow.root.path])
        XCTAssertEqual(s.status, 1, s.stderr)
        XCTAssertTrue(s.stderr.contains("data/customers.csv, line 7: record 6 of dataset 'customers' (clean step 1): plugin 'spin' ("), s.stderr)
        XCTAssertTrue(s.stderr.contains("spin.lua:2) exceeded its instruction budget of 1000000 instructions in one call"), s.stderr)
    }

    func testDefinitionMistakesAreUsageErrorsBeforeAnyDataIsCleaned() throws {
        let cases: [(String, String)] = [
            ("      - plugin: phone_e16", "unknown plugin 'phone_e16'; did you mean 'phone_e164'?"),
            ("      - plugin: all", "plugin 'all' is a criterion, but it is used here as a cleaner"),
            ("      - plugin: phone_e164\n        params: { invalid: 3 }", "parameter 'invalid' must be a string like its default"),
            ("      - plugin: phone_e164\n        params: { countr: x }", "parameter 'countr' is not declared by the plugin"),
            ("      - plugin: phone_e164\n        columns: { phone: mobile }", "clean step 1 (plugin) names column 'mobile', which "),
            ("      - plugin: phone_e164\n        columns: { tel: phone }", "clean step 1 maps 'tel' in 'columns', but plugin 'phone_e164' does not use it"),
            ("      - plugin: phone_e164\n        parms: {}", "unknown field 'parms' in 'datasets.customers.clean[0]'; did you mean 'params'?"),
        ]
        for (clean, message) in cases {
            let ws = try workspace(clean)
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 2, "\(clean): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(clean): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("d.yaml"), r.stderr)
        }
    }

    func testACleanerThatSeesPersonalColumnsCannotCopyThemIntoOthers() throws {
        let leak = """
        return { api = 1, kind = "cleaner", name = "leak", version = "1", description = "d", uses = { "name", "email" },
          clean = function(row, p) row.name = row.email return row end }
        """
        let ws = try workspace("      - dedupe: { key: [customer_id] }\n      - plugin: leak", files: ["plugins/cleaners/leak.lua": leak])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 2: record 1 of dataset 'customers' (clean step 2): plugin 'leak' (plugins/cleaners/leak.lua) returned a table that changes 'name', which is not a personal column, while the plugin uses the personal (pii) columns email"), r.stderr)
        XCTAssertFalse(r.stderr.contains("ann@shop.org"), r.stderr)
        XCTAssertEqual(ws.exportedFiles(), [])
        // Without the pii tag the same plugin is an ordinary cleaner.
        let open = try workspace("      - dedupe: { key: [customer_id] }\n      - plugin: leak", files: ["plugins/cleaners/leak.lua": leak], pii: false)
        defer { open.remove() }
        let ok = try SegProcess.run(["run", open.root.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }
}
