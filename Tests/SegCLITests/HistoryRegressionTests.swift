import Foundation
import XCTest

/// Regressions from trying the history commands as a hostile user: each test fails on the code before its fix.
final class HistoryRegressionTests: XCTestCase {
    func testSummaryCannotOverwriteTheWorkspaceOrSpecialFiles() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path]).status, 0)
        let store = try ws.data(".seg/store.sqlite")
        for target in [".seg/store.sqlite", "segmentations/tiers.yaml", "data/customers.csv"] {
            let r = try seg(["run", ws.root.path, "--summary", ws.root.appendingPathComponent(target).path])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("inside the workspace"), r.stderr)
        }
        XCTAssertEqual(try ws.data(".seg/store.sqlite"), store, "the store is untouched")
        let device = try seg(["run", ws.root.path, "--summary", "/dev/null"])
        XCTAssertEqual(device.status, 2, device.stderr)
        XCTAssertTrue(device.stderr.contains("not a regular file"), device.stderr)
        let dash = try seg(["run", ws.root.path, "--summary", "-"])
        XCTAssertEqual(dash.status, 0, dash.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(dash.stdout.utf8)) as? [String: Any], dash.stdout)
    }

    func testSameBytesImportedUnderTwoNamesAreReadAsTheirOwnFormat() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        let tsv = ws.root.appendingPathComponent("extra.tsv"), csv = ws.root.appendingPathComponent("extra.csv")
        let text = "customer_id\tscore\na\t1\nb\t2\n"
        try text.write(to: tsv, atomically: true, encoding: .utf8)
        try text.write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try seg(["import", ws.root.path, "p1", tsv.path]).status, 0)
        // As .csv the tab-separated bytes are one column, which import refuses unless told it is meant (--one-column).
        XCTAssertEqual(try seg(["import", ws.root.path, "p2", csv.path]).status, 1)
        XCTAssertEqual(try seg(["import", ws.root.path, "p2", csv.path, "--one-column"]).status, 0)
        let def = Shop.definition(extra: "").replacingOccurrences(of: "  transactions:\n    file:", with: "  extra:\n    dataset: p1\n    join: customer_id\n  transactions:\n    file:")
        try ws.write("segmentations/tiers.yaml", def)
        let r = try seg(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try seg(["run", ws.root.path, "--verify", "latest"]).status, 0)
    }

    func testReservedLabelsAreRefusedWhenTheyAreReturned() throws {
        let absent = Shop.tierPlugin.replacingOccurrences(of: "return \"Basic\"", with: "return \"(absent)\"")
        let ws = try Shop.workspace(plugins: ["tier": absent])
        defer { ws.remove() }
        let r = try seg(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("reserved label '(absent)'") && r.stderr.contains("tier") && r.stderr.contains("customer c"), r.stderr)
        XCTAssertEqual(try ws.versionRows(), [])
    }

    func testAnEmptiedStoreIsDamagedNotANewHistory() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path]).status, 0)
        try Data().write(to: ws.root.appendingPathComponent(".seg/store.sqlite"))
        for args in [["versions", ws.root.path], ["run", ws.root.path]] {
            let r = try seg(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("damaged"), r.stderr)
        }
    }

    func testFullStoreCheckAndVerifyNameATamperedSnapshot() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path]).status, 0)
        XCTAssertEqual(try seg(["check", ws.root.path, "--store"]).status, 0)
        let datasets = ws.root.appendingPathComponent(".seg/datasets")
        let snapshot = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: datasets.path).first { $0.hasSuffix(".csv") })
        let url = datasets.appendingPathComponent(snapshot)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        let h = try FileHandle(forWritingTo: url)
        h.seekToEndOfFile(); h.write(Data("z,1\n".utf8)); try h.close()
        for args in [["check", ws.root.path, "--store"], ["run", ws.root.path, "--verify", "v1"]] {
            let r = try seg(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("damaged") && r.stderr.contains(snapshot.prefix(12)), r.stderr)
        }
    }
}

final class HashedExportTests: XCTestCase {
    func testHashingAnUnhashedVersionLeavesTheRunsOwnFolderAlone() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path]).status, 0)
        let runID = try ws.runID(of: "v1")
        let original = try ws.data("exports/tiers/\(runID)/membership.csv")
        let r = try seg(["export", ws.root.path, "v1", "--hash-ids"], environment: ["SEG_ID_SALT": "pepper"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try ws.data("exports/tiers/\(runID)/membership.csv"), original)
        let hashed = String(decoding: try ws.data("exports/tiers/\(runID)-hashed-ids/membership.csv"), as: UTF8.self)
        XCTAssertFalse(hashed.contains("\na,"), hashed)
        XCTAssertEqual(hashed.split(separator: "\n").count, 6)
    }
}

final class CleanedExportTests: XCTestCase {
    func testReExportKeepsWhatOnlyTheRunWrote() throws {
        let def = Shop.definition().replacingOccurrences(of: "    file: data/customers.csv\n",
                                                         with: "    file: data/customers.csv\n    clean:\n      - validate: { column: age, range: [0, 45] }\n")
        let ws = try Shop.workspace(definitions: ["tiers": def])
        defer { ws.remove() }
        let run = try seg(["run", ws.root.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let runID = try ws.runID(of: "v1")
        let folder = "exports/tiers/\(runID)"
        let before = try ["cleaning.json", "rejects.csv", "profiles.md", "profiles.json", "membership.csv"].map { try ws.data("\(folder)/\($0)") }
        let r = try seg(["export", ws.root.path, "v1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let after = try ["cleaning.json", "rejects.csv", "profiles.md", "profiles.json", "membership.csv"].map { try ws.data("\(folder)/\($0)") }
        XCTAssertEqual(after, before, "re-exporting into the run's folder changes no byte and loses no file")
    }
}
