import Foundation
import XCTest

/// `seg run` on the demo workspace and on small workspaces made for each case, through the real binary.
final class RunCommandTests: XCTestCase {
    func testDemoRunWritesAllExportsAndIsDeterministic() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let first = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("rfm  v13  run "), first.stdout)  // the 13th definition by name
        XCTAssertTrue(first.stdout.contains("Champions"), first.stdout)
        XCTAssertTrue(first.stdout.contains("lifecycle_nps"), first.stdout)
        let files = ws.exportedFiles()
        for name in ["profiles.json", "profiles.csv", "profiles.md", "membership.csv", "report.html", "report-data.json"] {
            XCTAssertTrue(files.contains { $0.hasPrefix("rfm/") && $0.hasSuffix("/" + name) }, "\(name) in \(files)")
        }
        XCTAssertFalse(files.contains { $0.hasPrefix("demographics/") && $0.hasSuffix("profiles.csv") },
                       "demographics exports only json and md")
        let bytes = try files.map { try Data(contentsOf: ws.root.appendingPathComponent("exports/" + $0)) }
        let second = try SegProcess.run(["run", ws.root.path, "--quiet"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stdout, "")
        XCTAssertEqual(ws.exportedFiles(), files, "same inputs, same run ids, same files")
        XCTAssertEqual(try files.map { try Data(contentsOf: ws.root.appendingPathComponent("exports/" + $0)) }, bytes)

        // A different reference date is a different run, in a new folder.
        let third = try SegProcess.run(["run", ws.root.path, "rfm", "--as-of", "2024-06-30", "--format", "json"])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stdout.contains("as of 2024-06-30"), third.stdout)
        XCTAssertEqual(ws.exportedFiles().filter { $0.hasPrefix("rfm/") && !$0.hasSuffix("/notes.txt") }.count, 6 + 2,
                       "old run kept, new one has json and membership")
    }

    func testHelpListsCommandsAndExitCodes() throws {
        let top = try SegProcess.run(["--help"])
        XCTAssertEqual(top.status, 0)
        for word in ["run", "plugins", "Exit status"] { XCTAssertTrue(top.stdout.contains(word), top.stdout) }
        let run = try SegProcess.run(["run", "--help"])
        for word in ["--as-of", "--format", "DEFINITION"] {
            XCTAssertTrue(run.stdout.uppercased().contains(word.uppercased()), run.stdout)
        }
    }

    func testBadUsageExitsTwo() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let badDate = try SegProcess.run(["run", ws.root.path, "--as-of", "31/12/2024"])
        XCTAssertEqual(badDate.status, 2, badDate.stderr)
        XCTAssertTrue(badDate.stderr.contains("YYYY-MM-DD"), badDate.stderr)
        let unknownDef = try SegProcess.run(["run", ws.root.path, "nope"])
        XCTAssertEqual(unknownDef.status, 2)
        XCTAssertTrue(unknownDef.stderr.contains("available: attitudes, b2b, behaviour, channels, clusters, cross_sell, demographics, "
                                                  + "engagement, geography, households, lifecycle_nps, products, rfm, rfm_grid, "
                                                  + "satisfaction, value_lifecycle"), unknownDef.stderr)
        let noWorkspace = try SegProcess.run(["run", ws.root.appendingPathComponent("missing").path])
        XCTAssertEqual(noWorkspace.status, 2)
        let unknownOption = try SegProcess.run(["run", ws.root.path, "--frobnicate"])
        XCTAssertEqual(unknownOption.status, 2)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testPluginsCommandListsTheBundledLibrary() throws {
        let ws = try TempWorkspace(files: [:])
        defer { ws.remove() }
        let r = try SegProcess.run(["plugins", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["rfm", "lifecycle", "nps", "demographic_bands", "value_score", "legacy_pipe"] {
            XCTAssertTrue(r.stdout.contains(line), r.stdout)
        }
        XCTAssertTrue(r.stdout.contains("criterion") && r.stdout.contains("scorer") && r.stdout.contains("source"))
    }
}
