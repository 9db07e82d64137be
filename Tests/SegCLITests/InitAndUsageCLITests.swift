import Foundation
import XCTest

/// `seg init` gives a workspace that runs at once; usage errors in CI mode still print the JSON summary.
final class InitAndUsageCLITests: XCTestCase {
    func testInitWritesAnExampleThatRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seginit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let initRun = try SegProcess.run(["init", dir.path])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        for file in ["segmentations/example_rfm.yaml", "data/sample_customers.csv", "data/sample_transactions.csv"] {
            XCTAssertTrue(initRun.stdout.contains(file), initRun.stdout)
        }
        let customers = try String(contentsOf: dir.appendingPathComponent("data/sample_customers.csv"), encoding: .utf8)
        XCTAssertEqual(customers.split(separator: "\n").count, 25, customers)
        let run = try SegProcess.run(["run", dir.path])
        XCTAssertEqual(run.status, 0, run.stderr + run.stdout)
        XCTAssertTrue(run.stdout.contains("example_rfm"), run.stdout)
        // Several segments, not one: the sample data is made to spread over the RFM grid.
        let csv = try XCTUnwrap(try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("exports").path)
            .first { $0.hasSuffix("membership.csv") })
        let membership = try String(contentsOf: dir.appendingPathComponent("exports").appendingPathComponent(csv), encoding: .utf8)
        let segments = Set(membership.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] })
        XCTAssertGreaterThanOrEqual(segments.count, 4, membership)
    }

    func testInitNeverOverwritesAndSkipsTheExampleWhenAPartExists() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seginit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "mine\n".write(to: dir.appendingPathComponent("data/sample_customers.csv"), atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["init", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data/sample_customers.csv"), encoding: .utf8), "mine\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("segmentations/example_rfm.yaml").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/sample_transactions.csv").path))
    }

    func testUsageErrorsPrintTheJSONSummaryWhenHeadless() throws {
        let ws = try TempWorkspace(files: [:])
        defer { ws.remove() }
        for (args, env, expected) in [
            (["run", ws.root.path, "--as-of", "soon", "--ci"], [String: String](), "--as-of must be a date"),
            (["run", ws.root.path, "--bogus"], ["CI": "true"], "Unknown option '--bogus'"),
            (["check", ws.root.path, "--no-such-flag", "--ci"], [:], "Unknown option '--no-such-flag'"),
        ] {
            let r = try SegProcess.run(args, environment: env)
            XCTAssertEqual(r.status, 2, r.stderr)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
            XCTAssertEqual(json["status"] as? Int, 2, r.stdout)
            XCTAssertEqual(json["ok"] as? Bool, false, r.stdout)
            XCTAssertEqual(json["formatVersion"] as? Int, 1, r.stdout)
            XCTAssertEqual((json["runs"] as? [Any])?.count, 0, r.stdout)
            XCTAssertTrue((json["error"] as? String)?.contains(expected) == true, r.stdout)
            XCTAssertTrue(r.stderr.contains(expected), r.stderr)
        }
        // Not headless: nothing on stdout, as before.
        let plain = try SegProcess.run(["run", ws.root.path, "--bogus"])
        XCTAssertEqual(plain.status, 2)
        XCTAssertEqual(plain.stdout, "")
    }
}
