import Foundation
import XCTest

/// A store Segwork 0.3.0 wrote (Tests/Fixtures/store-0.3.0: two versions of a first_match definition of two criteria,
/// with clean steps): this Segwork verifies its versions, exports and reports on them, diffs them, and stores new
/// versions beside them.
final class OldStoreCLITests: XCTestCase {
    private func workspace() throws -> URL {
        let fixture = SegProcess.root.appendingPathComponent("Tests/Fixtures/store-0.3.0")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("segold-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture, to: root)
        try FileManager.default.moveItem(at: root.appendingPathComponent("dot-seg"), to: root.appendingPathComponent(".seg"))
        return root
    }

    func testAnOlderStoreIsReadVerifiedExportedAndExtended() throws {
        let ws = try workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        // Each older version re-executes to what it recorded: format 1 profiles, a membership without criterion columns.
        for v in ["v1", "v2"] {
            let r = try SegProcess.run(["run", ws.path, "--verify", v])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("recorded by Segwork 0.3.0"), r.stdout)
        }
        let export = try SegProcess.run(["export", ws.path, "v2", "--out", ws.appendingPathComponent("out").path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent("out").path).sorted()
        XCTAssertEqual(files, ["membership.csv", "profiles.csv", "profiles.json", "profiles.md", "report.html"],
                       "what the store of 0.3.0 can give: no chart data, cleaning report or rejects were kept")
        XCTAssertTrue(export.stdout.contains("recorded by Segwork 0.3.0"), "and it says so: \(export.stdout)")
        let json = try String(contentsOf: ws.appendingPathComponent("out/profiles.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"formatVersion\" : 1"), "the stored profiles.json as it was")
        let membership = try String(contentsOf: ws.appendingPathComponent("out/membership.csv"), encoding: .utf8)
        XCTAssertTrue(membership.hasPrefix("customer_id,segment\n"), membership)
        let html = try String(contentsOf: ws.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("recorded before Segwork 0.4.0"), "the charts that need rows say why they are missing")

        let report = try SegProcess.run(["report", ws.path, "v1"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("kept no chart data"), report.stdout)
        XCTAssertEqual(try SegProcess.run(["diff", ws.path, "v1", "v2"]).status, 0)

        // A new run beside them: the store becomes schema 4, and the new version's report starts from v2.
        let run = try SegProcess.run(["run", ws.path, "--as-of", "2025-01-31", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let check = try SegProcess.run(["check", ws.path, "--store"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let diff = try SegProcess.run(["diff", ws.path, "v2", "v3"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let v3 = try SegProcess.run(["export", ws.path, "v3", "--out", ws.appendingPathComponent("out3").path])
        XCTAssertEqual(v3.status, 0, v3.stderr)
        let data = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.appendingPathComponent("out3/report-data.json"))) as? [String: Any]
        XCTAssertEqual((data?["history"] as? [[String: Any]])?.compactMap { $0["version"] as? String }, ["v1", "v2"],
                       "the history reaches the versions 0.3.0 stored")
        let newMembership = try String(contentsOf: ws.appendingPathComponent("out3/membership.csv"), encoding: .utf8)
        XCTAssertTrue(newMembership.hasPrefix("customer_id,segment,decided_by,spender,age_band\n"), newMembership)
    }
}
