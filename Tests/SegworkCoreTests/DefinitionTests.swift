import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

final class DefinitionTests: XCTestCase {
    private let minimal = """
    population: customers
    id: customer_id
    datasets:
      customers: { file: data/customers.csv, schema: { signup_date: date } }
      tx: { file: data/tx.csv }
      survey: { source: legacy_pipe, params: { file: data/s.txt }, join: customer_id }
    features:
      rfm: { transactions: tx, customer: customer_id, order: order_id, date: order_date, amount: amount }
      days_since: { signup_date: tenure_days }
    scorers: [value_score]
    criteria:
      - plugin: rfm
      - plugin: lifecycle
        params: { new_max_tenure_days: 60, ratio: 0.5, labels: [a, b], on: true }
        columns: { tenure_days: tenure }
    combine: first_match
    profile: { numeric: [age], categorical: country }
    exports: [json, md]
    as_of: 2024-06-30
    """

    func testParsesEveryField() throws {
        let d = try Definition.parse(text: minimal, file: "seg/x.yaml", defaultName: "x")
        XCTAssertEqual(d.name, "x")
        XCTAssertEqual(d.datasets.map(\.name), ["customers", "tx", "survey"])
        XCTAssertEqual(d.datasets[0].schema, ["signup_date": .date])
        XCTAssertEqual(d.datasets[2].source, "legacy_pipe")
        XCTAssertEqual(d.datasets[2].params, ["file": .string("data/s.txt")])
        XCTAssertEqual(d.datasets[2].join, "customer_id")
        XCTAssertEqual(d.rfm?.order, "order_id")
        XCTAssertEqual(d.daysSince.map(\.output), ["tenure_days"])
        XCTAssertEqual(d.scorers.map(\.plugin), ["value_score"])
        XCTAssertEqual(d.criteria[1].params, ["new_max_tenure_days": .int(60), "ratio": .double(0.5),
                                              "labels": .array([.string("a"), .string("b")]), "on": .bool(true)])
        XCTAssertEqual(d.criteria[1].columns, ["tenure_days": "tenure"])
        XCTAssertEqual(d.combine, .firstMatch)
        XCTAssertEqual(d.profile.categorical, ["country"])
        XCTAssertNil(d.profile.monetary, "the runner, not the parser, defaults the revenue column")
        XCTAssertEqual(d.formats, [.json, .md])
        XCTAssertEqual(d.asOf?.description, "2024-06-30")
    }

    func testTypoInFieldNamesTheLineAndSuggests() {
        let text = minimal.replacingOccurrences(of: "combine:", with: "combin:")
        XCTAssertThrowsError(try Definition.parse(text: text, file: "d.yaml", defaultName: "d")) { e in
            let err = e as! DefinitionError
            XCTAssertEqual(err.line, 16)
            XCTAssertTrue(err.message.contains("unknown field 'combin'"), err.message)
            XCTAssertTrue(err.message.contains("did you mean 'combine'"), err.message)
        }
    }

    func testBadValuesAreNamed() {
        let cases: [(String, String, String)] = [
            ("combine: first_match", "combine: sideways", "must be cross or first_match"),
            ("exports: [json, md]", "exports: [pdf]", "formats are json, csv, md"),
            ("as_of: 2024-06-30", "as_of: 30/06/2024", "YYYY-MM-DD"),
            ("signup_date: date", "signup_date: datum", "must be one of integer, double, bool, date, string"),
            ("population: customers", "population: people", "population 'people' is not one of the datasets"),
            ("tx: { file: data/tx.csv }", "tx: { file: data/tx.csv, source: x }", "exactly one of 'file'"),
        ]
        for (from, to, expected) in cases {
            XCTAssertThrowsError(try Definition.parse(text: minimal.replacingOccurrences(of: from, with: to),
                                                      file: "d.yaml", defaultName: "d"), to) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(to): \(e)")
                XCTAssertTrue("\(e)".hasPrefix("d.yaml"), "\(e)")
            }
        }
    }

    func testMissingRequiredFieldAndBrokenYAML() {
        XCTAssertThrowsError(try Definition.parse(text: "id: x\n", file: "d.yaml", defaultName: "d")) { e in
            XCTAssertTrue("\(e)".contains("'population' is missing"), "\(e)")
        }
        XCTAssertThrowsError(try Definition.parse(text: "population: [a\nid: b\n", file: "d.yaml", defaultName: "d")) { e in
            XCTAssertTrue("\(e)".contains("not valid YAML"), "\(e)")
            XCTAssertNotNil((e as? DefinitionError)?.line)
        }
        XCTAssertThrowsError(try Definition.parse(text: "", file: "d.yaml", defaultName: "d"))
    }

    func testWorkspaceLimitsAndPluginPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("segmentations"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: w\nplugins: [mine, /opt/lib]\nlimits: { instructions: 5000, memory_mb: 8, seconds: 0.5, source_mb: 3 }\n"
            .write(to: dir.appendingPathComponent("workspace.yaml"), atomically: true, encoding: .utf8)
        // SEG_PLUGIN_PATH is read like PATH: folders that do not exist are passed over.
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
        try FileManager.default.createDirectory(atPath: a, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: true)
        let ws = try Workspace.open(dir.path, environment: ["SEG_PLUGIN_PATH": "\(a):/nonexistent-\(UUID().uuidString):\(b)", "SEG_BUNDLED_PLUGINS": ""])
        XCTAssertEqual(ws.name, "w")
        XCTAssertEqual(ws.limits, LuaLimits(instructions: 5000, memoryBytes: 8 << 20, seconds: 0.5, sourceBytes: 3 << 20))
        XCTAssertEqual(ws.pluginPaths.map(\.path), [dir.appendingPathComponent("mine").path, "/opt/lib", a, b])
        let bundled = try Workspace.open(dir.path, environment: ["SEG_PLUGIN_PATH": "\(a):\(dir.appendingPathComponent("mine").path)", "SEG_BUNDLED_PLUGINS": "/z"])
        XCTAssertEqual(bundled.pluginPaths.map(\.path), [dir.appendingPathComponent("mine").path, "/opt/lib", a, "/z"],
                       "the bundled library comes last and every folder appears once")
        XCTAssertThrowsError(try ws.definitions(named: [])) { e in XCTAssertTrue("\(e)".contains("holds no definitions")) }
        try "limits: { instructions: 10 }\n".write(to: dir.appendingPathComponent("workspace.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Workspace.open(dir.path)) { e in XCTAssertTrue("\(e)".contains("at least 1000"), "\(e)") }
    }

    func testClosestSuggestion() {
        XCTAssertEqual(closest("lifecyle", ["lifecycle", "rfm", "nps"]), "lifecycle")
        XCTAssertNil(closest("zzzzzz", ["lifecycle", "rfm"]))
    }
}
