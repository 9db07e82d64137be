import Foundation
import XCTest
import LuaHost

/// The three full examples in docs/PLUGINS.md are real plugins: extracted from the page, they load and
/// give the results their comments promise. Keeps the documentation from drifting away from the host.
final class DocumentationExampleTests: XCTestCase {
    typealias F = PluginFixture

    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("segwork-doc-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"),
                                                withIntermediateDirectories: true)
        let page = try String(contentsOf: F.repoRoot.appendingPathComponent("docs/PLUGINS.md"), encoding: .utf8)
        // Each example is a ```lua block whose first line is "-- <name>: ...".
        for block in page.components(separatedBy: "```lua\n").dropFirst() {
            guard let code = block.components(separatedBy: "```").first,
                  code.hasPrefix("-- "), code.contains("return {"),
                  let name = code.dropFirst(3).split(separator: ":").first else { continue }
            try Data(code.utf8).write(to: folder.appendingPathComponent("\(name).lua"))
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func load(_ name: String) throws -> Plugin {
        let env = PluginEnvironment(fileRoot: folder.path, log: { _, _ in })
        let plugin = try Plugin.load(path: folder.appendingPathComponent("\(name).lua").path, environment: env)
        try plugin.configure(overrides: [:])
        return plugin
    }

    func testCriterionExample() throws {
        let plugin = try load("spend_band")
        try plugin.prepare(stats: [:])
        let values: [Double?] = [99.99, 100, 999, 1000, nil]
        let got = try plugin.assign(columns: [F.doubles("monetary", values)], rowCount: values.count)
        XCTAssertEqual(F.labels(got), ["Low", "Mid", "Mid", "High", nil])
    }

    /// The annotated example of "Editor support": `---@type` is a comment to Lua, and `labels` is part of the table.
    func testAnnotatedCriterionExample() throws {
        let plugin = try load("churn_risk")
        XCTAssertEqual(plugin.manifest.labels, ["At risk", "Active"])
        try plugin.prepare(stats: [:])
        let got = try plugin.assign(columns: [F.ints("recency_days", [181, 180, nil])], rowCount: 3)
        XCTAssertEqual(F.labels(got), ["At risk", "Active", nil])
    }

    func testScorerExample() throws {
        let plugin = try load("spend_index")
        XCTAssertEqual(plugin.manifest.output, "spend_index")
        // p[95] of 10, 20, 30, 40, 200 is 40 + 0.8 * 160 = 168.
        try plugin.prepare(stats: ["monetary": F.numericStats([10, 20, 30, 40, 200])])
        let cap = try XCTUnwrap(plugin.effectiveParams()["cap"]?.doubleValue)
        XCTAssertEqual(cap, 168, accuracy: 1e-9)
        let got = F.scores(try plugin.score(columns: [F.doubles("monetary", [0, 84, 500, nil])], rowCount: 4))
        XCTAssertEqual(got.count, 4)
        for (score, want) in zip(got, [0, 50, 100] as [Double]) {
            XCTAssertEqual(try XCTUnwrap(score), want, accuracy: 1e-9)
        }
        XCTAssertNil(got.last ?? nil)
    }

    func testScorerExampleValidatesItsParameterInPrepare() throws {
        let plugin = try load("spend_index")
        try plugin.configure(overrides: ["cap_percentile": .double(95.5)])
        F.assertRuntimeError(try plugin.prepare(stats: ["monetary": F.numericStats([1, 2])]),
                             contains: "spend_index: cap_percentile must be a whole number from 1 to 100, got 95.5")
    }

    func testSourceExample() throws {
        let text = "order_id\tcustomer_id\tamount\tordered_at\r\nO1\tC1\t12.5\t2024-01-02\r\n\r\nO2\t C2 \t\t\r\n"
        try Data(text.utf8).write(to: folder.appendingPathComponent("data/orders.tsv"))
        let out = try load("tsv_orders").read()
        XCTAssertEqual(out.names, ["order_id", "customer_id", "amount", "ordered_at"])
        XCTAssertEqual(out.values, [[.string("O1"), .string("O2")], [.string("C1"), .string("C2")],
                                    [.double(12.5), .null], [.string("2024-01-02"), .null]])
    }

    func testCleanerExample() throws {
        let plugin = try load("drop_test_accounts")
        XCTAssertEqual(plugin.manifest.kind, .cleaner)
        let names = ["QA Bot", "QA Bot", "Testa", "Ann"]
        let emails = ["qa@example.com", "qa@shop.org", " Testa@Example.com ", "   "]
        let out = try plugin.clean(columns: [
            ColumnInput(name: "name", values: .string(codes: [0, 1, 2, 3], dictionary: names), validity: nil),
            ColumnInput(name: "email", values: .string(codes: [0, 1, 2, 3], dictionary: emails), validity: nil),
        ], rowCount: 4)
        XCTAssertEqual(out.keep, [false, true, true, true])
        guard case .string(let codes, let dictionary) = out.columns[1].values else { return XCTFail("email is not text") }
        XCTAssertEqual(dictionary[Int(codes[1])], "qa@shop.org")
        XCTAssertEqual(dictionary[Int(codes[2])], "testa@example.com")
        XCTAssertEqual(out.columns[1].valid, [false, true, true, false])
        XCTAssertEqual(out.columns[1].changed, 2)
        XCTAssertEqual(out.columns[0].changed, 0)
    }
}
