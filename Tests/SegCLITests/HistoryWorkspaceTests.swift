import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// `seg init` and `seg import` through the real binary.
final class HistoryWorkspaceTests: XCTestCase {
    func testInitCreatesASkeletonRefusesASecondInitAndTheWorkspaceRuns() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("seginit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.appendingPathComponent("shop")
        // The folder may exist already, with data in it: init keeps it.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Shop.customers.write(to: dir.appendingPathComponent("data/customers.csv"), atomically: true, encoding: .utf8)

        let first = try seg(["init", dir.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("created workspace"), first.stdout)
        for folder in ["data", "segmentations", "plugins"] {
            var isDir: ObjCBool = false
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(folder).path, isDirectory: &isDir)
                          && isDir.boolValue, folder)
        }
        let yaml = try String(contentsOf: dir.appendingPathComponent("workspace.yaml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("name: shop"), yaml)
        let ignored = try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(ignored.contains("exports/"), "\(ignored)")
        XCTAssertTrue(ignored.contains(".seg/"), "\(ignored)")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data/customers.csv"), encoding: .utf8), Shop.customers)

        let second = try seg(["init", dir.path])
        XCTAssertEqual(second.status, 2, second.stderr)
        XCTAssertTrue(second.stderr.contains("already"), second.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("workspace.yaml"), encoding: .utf8), yaml,
                       "a second init changes nothing")

        // A tiny definition with a workspace plugin runs in the new workspace and becomes v1 (run by name: init's
        // example definition is left alone).
        try Shop.transactions.write(to: dir.appendingPathComponent("data/transactions.csv"), atomically: true, encoding: .utf8)
        try Shop.tierPlugin.write(to: dir.appendingPathComponent("plugins/tier.lua"), atomically: true, encoding: .utf8)
        try Shop.definition().write(to: dir.appendingPathComponent("segmentations/tiers.yaml"), atomically: true, encoding: .utf8)
        let run = try seg(["run", dir.path, "tiers"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("tiers  v1  run "), run.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".seg/store.sqlite").path))
        let rows = try TempWorkspace(existing: dir).versionRows()
        XCTAssertEqual(rows.map { $0[0] }, ["v1"])
    }

    func testImportSnapshotsOnceAndDefinitionsReadTheLatestSnapshot() throws {
        let imported = Shop.definition().replacingOccurrences(of: "file: data/transactions.csv", with: "dataset: orders")
        let ws = try Shop.workspace(definitions: ["tiers": imported])
        defer { ws.remove() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: outside) }
        try Shop.transactions.write(to: outside, atomically: true, encoding: .utf8)
        let sha = SHA256.hex(Data(Shop.transactions.utf8))

        let first = try seg(["import", ws.root.path, "orders", outside.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("imported orders \(sha.prefix(12)) (5 rows, "), first.stdout)
        XCTAssertEqual(try ws.store().datasetVersions(name: "orders").map(\.sha256), [sha])

        let again = try seg(["import", ws.root.path, "orders", outside.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("unchanged: orders \(sha.prefix(12))"), again.stdout)
        XCTAssertTrue(again.stdout.contains("nothing to do"), again.stdout)
        XCTAssertEqual(try ws.store().datasetVersions(name: "orders").count, 1, "identical bytes add no dataset version")

        // Changed bytes: d's order of 300 becomes 30, so d is Basic instead of Gold.
        let changed = Shop.transactions.replacingOccurrences(of: "2024-04-01,300", with: "2024-04-01,30")
        try changed.write(to: outside, atomically: true, encoding: .utf8)
        let newer = try seg(["import", ws.root.path, "orders", outside.path])
        XCTAssertEqual(newer.status, 0, newer.stderr)
        let changedSHA = SHA256.hex(Data(changed.utf8))
        XCTAssertTrue(newer.stdout.hasPrefix("imported orders \(changedSHA.prefix(12))"), newer.stdout)
        XCTAssertEqual(try ws.store().datasetVersions(name: "orders").map(\.sha256), [sha, changedSHA])

        let run = try seg(["run", ws.root.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let membership = "customer_id,segment\na,Gold\nb,Gold\nc,Basic\nd,Basic\ne,\n"
        let runID = try ws.runID(of: "v1")
        XCTAssertEqual(String(decoding: try ws.data("exports/tiers/\(runID)/membership.csv"), as: UTF8.self), membership)
        let show = try seg(["show", ws.root.path, "v1"])
        XCTAssertTrue(show.stdout.contains("sha256 \(changedSHA)"), "the version names the latest snapshot: \(show.stdout)")

        // The snapshot lives in the workspace: deleting the imported file does not matter.
        try FileManager.default.removeItem(at: outside)
        let rerun = try seg(["run", ws.root.path])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("unchanged: same as v1  run \(runID)"), "same snapshot, same run: \(rerun.stdout)")
        let verify = try seg(["run", ws.root.path, "--verify", "v1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
    }

    func testImportMistakesAreReported() throws {
        let ws = try Shop.workspace(definitions: [
            "tiers": Shop.definition().replacingOccurrences(of: "file: data/transactions.csv", with: "dataset: orders"),
        ])
        defer { ws.remove() }
        let missing = try seg(["import", ws.root.path, "orders", ws.root.appendingPathComponent("nope.csv").path])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nope.csv") && missing.stderr.contains("cannot be read"), missing.stderr)
        let badName = try seg(["import", ws.root.path, "9 lives", ws.root.appendingPathComponent("data/customers.csv").path])
        XCTAssertEqual(badName.status, 2, badName.stderr)
        // A definition reading a dataset nobody imported says how to import it.
        let run = try seg(["run", ws.root.path])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("has not been imported") && run.stderr.contains("seg import"), run.stderr)
        XCTAssertEqual(try ws.versionRows(), [])
    }
}
