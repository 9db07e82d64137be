import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// `seg versions`, `seg show`, `seg export` and `seg diff` through the real binary.
final class HistoryVersionsTests: XCTestCase {
    private let profileFiles = ["membership.csv", "profiles.csv", "profiles.json", "profiles.md", "report-data.json", "report.html"]

    func testEveryRunIsAVersionThatShowAndExportReproduce() throws {
        let ws = try Shop.workspace(definitions: [
            "tiers": Shop.definition(),
            "strict": Shop.definition(criteria: "criteria:\n  - plugin: tier\n    params: { gold: 200 }\n"),
        ])
        defer { ws.remove() }
        XCTAssertEqual(try ws.versionRows(), [], "no store yet: an empty list, not an error")
        XCTAssertEqual(try seg(["run", ws.root.path]).status, 0)
        let later = try seg(["run", ws.root.path, "tiers", "--as-of", "2024-03-31"])
        XCTAssertEqual(later.status, 0, later.stderr)

        let rows = try ws.versionRows()
        XCTAssertEqual(rows.map { $0[0] }, ["v1", "v2", "v3"])
        XCTAssertEqual(rows.map { $0[2] }, ["strict", "tiers", "tiers"], "definitions run in name order")
        XCTAssertEqual(rows.map { $0[3] }, ["2024-05-10", "2024-05-10", "2024-03-31"])
        XCTAssertEqual(rows.map { $0.suffix(3) }, [["2", "5", "passed"], ["2", "5", "passed"], ["2", "5", "passed"]],
                       "segments, customers, gates (none declared: passed)")
        XCTAssertEqual(try ws.versionRows(definition: "tiers").map { $0[0] }, ["v2", "v3"])
        XCTAssertEqual(try ws.versionRows(definition: "nope"), [])

        let show = try seg(["show", ws.root.path, "v2"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let customersSHA = SHA256.hex(Data(Shop.customers.utf8)), ordersSHA = SHA256.hex(Data(Shop.transactions.utf8))
        for expected in ["v2  tiers  created ", "reference date 2024-05-10",
                         "input  customers: data/customers.csv sha256 \(customersSHA) (5 rows)",
                         "input  transactions: data/transactions.csv sha256 \(ordersSHA) (5 rows)",
                         "plugin tier 1.0.0 (criterion) sha256 \(SHA256.hex(Data(Shop.tierPlugin.utf8)))",
                         "definition sha256 \(SHA256.hex(Shop.definition()))", "Gold", "Basic"] {
            XCTAssertTrue(show.stdout.contains(expected), "\(expected) in \(show.stdout)")
        }
        for ref in ["latest", "latest:tiers", try ws.runID(of: "v1")] {
            XCTAssertEqual(try seg(["show", ws.root.path, ref]).status, 0, ref)
        }
        let unknown = try seg(["show", ws.root.path, "v9"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("unknown version 'v9'") && unknown.stderr.contains("v3"), unknown.stderr)

        // Re-exporting each version gives the bytes its run wrote.
        for version in ["v1", "v2", "v3"] {
            let definition = try ws.versionRows().first { $0[0] == version }![2]
            let original = "exports/\(definition)/\(try ws.runID(of: version))"
            let out = ws.root.appendingPathComponent("reexport-\(version)")
            let r = try seg(["export", ws.root.path, version, "--out", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted().filter { $0 != "notes.txt" }, profileFiles)
            for name in profileFiles {
                XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), try ws.data("\(original)/\(name)"),
                               "\(version) \(name)")
            }
        }
        // Without --out the export folder is written again in place; --format limits the profile files.
        let v2Folder = "exports/tiers/\(try ws.runID(of: "v2"))"
        let before = try profileFiles.map { try ws.data("\(v2Folder)/\($0)") }
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent(v2Folder))
        XCTAssertEqual(try seg(["export", ws.root.path, "v2"]).status, 0)
        XCTAssertEqual(try profileFiles.map { try ws.data("\(v2Folder)/\($0)") }, before)
        let jsonOnly = ws.root.appendingPathComponent("json-only")
        XCTAssertEqual(try seg(["export", ws.root.path, "v2", "--format", "json", "--out", jsonOnly.path]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: jsonOnly.path).sorted(),
                       ["membership.csv", "notes.txt", "profiles.json"])
    }

    func testReExportOfTheDemoRfmVersionIsByteIdentical() throws {
        // The demo's rfm has categorical and numeric profiles, a monetary column and a scorer: every export path.
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path, "rfm", "-q"]).status, 0)
        let original = "exports/rfm/\(try ws.runID(of: "v1"))"
        let out = ws.root.appendingPathComponent("again")
        XCTAssertEqual(try seg(["export", ws.root.path, "latest:rfm", "--out", out.path]).status, 0)
        for name in profileFiles {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), try ws.data("\(original)/\(name)"), name)
        }
    }

    func testDiffOfTwoReferenceDatesWritesTheMigration() throws {
        let ws = try Shop.workspace(definitions: [
            "tiers": Shop.definition(),
            "strict": Shop.definition(criteria: "criteria:\n  - plugin: tier\n    params: { gold: 200 }\n"),
        ])
        defer { ws.remove() }
        XCTAssertEqual(try seg(["run", ws.root.path, "tiers", "--as-of", "2024-03-31"]).status, 0)   // v1
        XCTAssertEqual(try seg(["run", ws.root.path, "tiers"]).status, 0)                             // v2
        XCTAssertEqual(try seg(["run", ws.root.path, "strict"]).status, 0)                            // v3

        let diff = try seg(["diff", ws.root.path, "v1", "v2"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        for expected in ["migration", "moved 2", "stayed 3", "drift: 40.0%", "2024-03-31 → 2024-05-10"] {
            XCTAssertTrue(diff.stdout.contains(expected), "\(expected) in \(diff.stdout)")
        }
        let folder = "exports/tiers/diffs/v1-v2"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(folder).path).sorted(),
                       ["diff.csv", "diff.html", "diff.json", "diff.md"])
        let json = try jsonObject(String(decoding: try ws.data("\(folder)/diff.json"), as: UTF8.self))
        XCTAssertEqual(json["definition"] as? String, "tiers")
        XCTAssertEqual(json["moved"] as? Int, 2)
        XCTAssertEqual(json["stayed"] as? Int, 3)
        XCTAssertEqual(json["labels"] as? [String], ["Basic", "Gold", "(unassigned)", "(absent)"])
        XCTAssertEqual(json["matrix"] as? [[Int]], [[1, 1, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0]])
        XCTAssertTrue(json["movers"] is NSNull, "no --customers, no movers")
        XCTAssertTrue(String(decoding: try ws.data("\(folder)/diff.md"), as: UTF8.self).contains("## Migration matrix"))
        XCTAssertTrue(String(decoding: try ws.data("\(folder)/diff.csv"), as: UTF8.self)
            .hasPrefix("section,subject,field,from,to,value\n"))

        // --customers names who moved, in the files and on the terminal.
        let out = ws.root.appendingPathComponent("movers")
        let withMovers = try seg(["diff", ws.root.path, "v1", "v2", "--customers", "--out", out.path])
        XCTAssertEqual(withMovers.status, 0, withMovers.stderr)
        let movers = try jsonObject(String(decoding: try Data(contentsOf: out.appendingPathComponent("diff.json")), as: UTF8.self))["movers"]
        let list = try XCTUnwrap(movers as? [[String: String]])
        XCTAssertEqual(list, [["customerID": "b", "from": "Basic", "to": "Gold"],
                              ["customerID": "d", "from": "(unassigned)", "to": "Gold"]])
        XCTAssertTrue(withMovers.stdout.contains("b") && withMovers.stdout.contains("(unassigned) → Gold"), withMovers.stdout)

        // Versions of two definitions cannot be compared: a usage error naming both.
        let mixed = try seg(["diff", ws.root.path, "v1", "v3"])
        XCTAssertEqual(mixed.status, 2, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("'tiers'") && mixed.stderr.contains("'strict'"), mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("seg versions"), mixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("exports/tiers/diffs/v1-v3").path))
    }
}
