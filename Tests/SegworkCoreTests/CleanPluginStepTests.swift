import Foundation
import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

/// `plugin` clean steps inside `Cleaner.run`: parsing, column mapping, typed write-back (dates included), order with
/// the built-in steps, and errors placed at the row's data line.
final class CleanPluginStepTests: XCTestCase {
    private var folder: URL!
    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cleanplugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private let csv = "id,day,tel\nA,2024-01-31,1\nB,,2\nC,2024-02-10,3\nA,2024-03-01,4\n"

    /// Parses `steps` into a definition's clean list, loads `plugin` (Lua text) for every plugin step, and runs them.
    private func run(_ steps: String, plugin: String, pii: Set<String> = []) throws -> Cleaner.Result {
        let yaml = "population: d\nid: id\ncriteria: [x]\ndatasets:\n  d:\n    file: d.csv\n    clean:\n"
            + steps.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n") + "\n"
        let def = try Definition.parse(text: yaml, file: "def.yaml", defaultName: "def")
        let path = folder.appendingPathComponent("c.lua").path
        try plugin.write(toFile: path, atomically: true, encoding: .utf8)
        var cleaners: [Int: Plugin] = [:]
        for (i, step) in def.datasets[0].clean.enumerated() {
            guard case .plugin(let spec) = step.action else { continue }
            let p = try Plugin.load(path: path)
            try p.configure(overrides: spec.params)
            cleaners[i] = p
        }
        let table = try DataReader.parseCSV(Array(csv.utf8), origin: "d.csv",
                                            options: ReadOptions(schema: ["day": .date], textColumns: ["id"]))
        return try Cleaner.run(table, steps: def.datasets[0].clean, dataset: "d", origin: "d.csv",
                               definitionFile: "def.yaml", pii: pii, cleaners: cleaners)
    }

    private func cleaner(uses: String, params: String = "{}", _ body: String) -> String {
        """
        return { api = 1, kind = "cleaner", name = "c", version = "2.0", description = "test", uses = { \(uses) },
          params = \(params), clean = function(row, p)
            \(body)
          end }
        """
    }

    private func values(_ t: Table, _ column: String) -> [String?] { (0..<t.rowCount).map { t[column]!.string(at: $0) } }

    func testParsesPluginStepsWithParamsAndColumns() throws {
        let yaml = """
            population: d
            id: id
            criteria: [x]
            datasets:
              d:
                file: d.csv
                clean:
                  - plugin: phone_e164
                    params: { default_country: "1", min_digits: 10 }
                    columns: { phone: mobile }
                  - dedupe: { key: [id] }
            """
        let def = try Definition.parse(text: yaml, file: "def.yaml", defaultName: "def")
        XCTAssertEqual(def.datasets[0].clean.map(\.name), ["plugin", "dedupe"])
        XCTAssertEqual(def.datasets[0].clean[0].action, .plugin(CleanPluginSpec(
            name: "phone_e164", params: ["default_country": .string("1"), "min_digits": .int(10)], columns: ["phone": "mobile"])))
        XCTAssertEqual(def.datasets[0].clean[0].line, 8)
        XCTAssertThrowsError(try Definition.parse(text: yaml.replacingOccurrences(of: "- plugin: phone_e164", with: "- plugin: \"\""),
                                                  file: "def.yaml", defaultName: "def")) { error in
            XCTAssertTrue("\(error)".contains("needs the name of a cleaner plugin"), "\(error)")
        }
    }

    func testDatesAndMappedColumnsAreWrittenBackTypedInStepOrder() throws {
        // After dedupe (A's second row goes), the plugin fills a missing day and shifts another; tel feeds 'n'.
        let out = try run("- dedupe: { key: [id] }\n- plugin: c\n  columns: { n: tel }", plugin: cleaner(uses: "'day', 'n'", """
            if row.day == nil then row.day = "2024-02-29" elseif row.n == 3 then row.day = "2025-01-01" end
            row.n = row.n * 10
            return row
            """))
        XCTAssertEqual(out.table["day"]?.type, .date)
        XCTAssertEqual(values(out.table, "day"), ["2024-01-31", "2024-02-29", "2025-01-01"])
        XCTAssertEqual(values(out.table, "tel"), ["10", "20", "30"])
        XCTAssertEqual(out.report.steps[1].valuesChangedByColumn, ["day": 2, "tel": 3])
        XCTAssertEqual(out.report.steps[1].description, "plugin c 2.0: test; values changed: day 2, tel 3")
        XCTAssertEqual(out.pluginParams, [1: [:]])
    }

    func testNilDropsRowsAndLaterStepsSeeTheRest() throws {
        let out = try run("- plugin: c\n  params: { max: 2 }\n- missing: { column: day, action: drop_row }",
                          plugin: cleaner(uses: "'tel'", params: "{ max = 9 }", "if row.tel > p.max then return nil end return row"))
        XCTAssertEqual(values(out.table, "id"), ["A"])
        XCTAssertEqual(out.report.steps.map(\.rowsRemoved), [2, 1])
        XCTAssertEqual(out.pluginParams[0], ["max": .int(2)])
    }

    func testABadDateNamesColumnAndDataLineAndWithholdsPII() throws {
        let plugin = cleaner(uses: "'day'", "if row.day == nil then row.day = '2024-02-30' end return row")
        XCTAssertThrowsError(try run("- plugin: c", plugin: plugin)) { error in
            XCTAssertEqual("\(error)", "d.csv, line 3: record 2 of dataset 'd' (clean step 1): plugin 'c' (\(folder.appendingPathComponent("c.lua").path)) returned a table whose 'day' is \"2024-02-30\", which is not a date YYYY-MM-DD from clean; clean must return nil or the row with each value of its column's type; 'day' is a date column, so a \"YYYY-MM-DD\" string or nil")
        }
        XCTAssertThrowsError(try run("- plugin: c", plugin: plugin, pii: ["day"])) { error in
            XCTAssertTrue("\(error)".contains("'day' is a string (withheld: pii), which is not a date"), "\(error)")
            XCTAssertFalse("\(error)".contains("2024-02-30"))
        }
    }

    func testErrorLinesCountRecordsAsReadNotAsLeftByEarlierSteps() throws {
        // keep: last removes A's first record, so the failing row (A's second) is row 3 of the table but record 4 as read.
        let out = { try self.run("- dedupe: { key: [id], keep: last }\n- plugin: c", plugin: self.cleaner(uses: "'tel'", "if row.tel == 4 then error('c: four') end return row")) }
        XCTAssertThrowsError(try out()) { error in
            XCTAssertTrue("\(error)".hasPrefix("d.csv, line 5: record 4 of dataset 'd' (clean step 2): plugin 'c' ("), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("c.lua:3): c: four"), "\(error)")
        }
    }
}
