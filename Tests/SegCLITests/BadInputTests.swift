import Foundation
import XCTest

/// Each bad input the spine must survive: a clear message naming the culprit, the documented exit status,
/// the host alive, and nothing written.
final class BadInputTests: XCTestCase {
    private let customers = "customer_id,age,score\nc1,30,5\nc2,41,9\nc3,,7\n"

    private func definition(criterion: String, extra: String = "") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/customers.csv }
        criteria:
          - plugin: \(criterion)
        as_of: 2024-01-01
        \(extra)
        """
    }

    private func plugin(_ name: String, uses: String = "\"age\"", body: String) -> String {
        """
        return {
          api = 1, kind = "criterion", name = "\(name)", version = "1.0.0", description = "test",
          uses = { \(uses) },
          assign = function(row, p)
            \(body)
          end,
        }
        """
    }

    private func workspace(_ plugin: String, name: String, limits: String = "") throws -> TempWorkspace {
        try TempWorkspace(files: ["data/customers.csv": customers,
                                  "segmentations/d.yaml": definition(criterion: name),
                                  "plugins/\(name).lua": plugin], limits: limits)
    }

    func testInfiniteLoopStopsOnInstructionBudget() throws {
        let ws = try workspace(plugin("spin", body: "while true do end"), name: "spin",
                               limits: "limits: { instructions: 1000000 }\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("spin"), r.stderr)
        XCTAssertTrue(r.stderr.contains("instruction budget"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty, "nothing written")
    }

    func testSandboxEscapesAreNotExecuted() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("segcli-pwned-\(UUID().uuidString)")
        let attempts = [
            "os.execute('touch \(marker.path)')",
            "io.open('\(marker.path)', 'w'):write('x')",
            "require('os').execute('touch \(marker.path)')",
            "load(string.dump(function() end))()",
        ]
        for body in attempts {
            let ws = try workspace(plugin("evil", body: body + "; return 'x'"), name: "evil")
            defer { ws.remove() }
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 1, "\(body): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("evil"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "\(body) ran")
            XCTAssertTrue(ws.exportedFiles().isEmpty)
        }
    }

    func testNumberInsteadOfLabelNamesPluginFieldAndCustomer() throws {
        let ws = try workspace(plugin("numeric", body: "if row.age == 41 then return 42 end return 'ok'"), name: "numeric")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("numeric"), r.stderr)
        XCTAssertTrue(r.stderr.contains("assign"), r.stderr)
        XCTAssertTrue(r.stderr.contains("c2"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testMissingUsedColumnFailsBeforeTheRun() throws {
        // The plugin would leave a trace through seg.log if it ever ran.
        let ws = try workspace(plugin("needs", uses: "\"income\"", body: "seg.log('RAN'); return 'x'"), name: "needs")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("'income'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("needs"), r.stderr)
        XCTAssertFalse(r.stderr.contains("RAN"))
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testRaggedCSVNamesFileAndLine() throws {
        let ws = try TempWorkspace(files: ["data/customers.csv": "customer_id,age\nc1,30\nc2,41,7\n",
                                           "segmentations/d.yaml": definition(criterion: "ok"),
                                           "plugins/ok.lua": plugin("ok", body: "return 'x'")])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("customers.csv"), r.stderr)
        XCTAssertTrue(r.stderr.contains("line 3"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testUnknownPluginListsTheAvailableOnes() throws {
        let ws = try workspace(plugin("ok", body: "return 'x'"), name: "ok")
        defer { ws.remove() }
        try definition(criterion: "lifecyle").write(to: ws.root.appendingPathComponent("segmentations/d.yaml"),
                                                    atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("unknown plugin 'lifecyle'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'lifecycle'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("rfm") && r.stderr.contains("nps") && r.stderr.contains("ok"), r.stderr)
    }

    func testFailureInOneDefinitionWritesNoneOfThem() throws {
        let ws = try workspace(plugin("ok", body: "return 'x'"), name: "ok")
        defer { ws.remove() }
        try definition(criterion: "bad").write(to: ws.root.appendingPathComponent("segmentations/z.yaml"),
                                               atomically: true, encoding: .utf8)
        try plugin("bad", body: "error('boom')").write(to: ws.root.appendingPathComponent("plugins/bad.lua"),
                                                       atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("boom") && r.stderr.contains("bad.lua:"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty, "d ran fine, but z failed, so nothing is written")
    }
}
