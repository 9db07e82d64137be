import Foundation
import XCTest

/// Regressions found by trying `seg` as a hostile user: each test fails on the code before its fix.
final class RegressionTests: XCTestCase {
    private let definition = """
    population: customers
    id: customer_id
    as_of: 2024-12-31
    datasets:
      customers: { file: data/customers.csv }
      tx: { file: data/tx.csv }
    features:
      rfm: { transactions: tx, customer: customer_id, date: day, amount: amount }
    criteria: [buyer]
    """
    private let buyer = """
    return { api = 1, kind = "criterion", name = "buyer", version = "1", description = "d", uses = {"frequency"},
      assign = function(row, p) if row.frequency == nil then return "never" end return "buyer" end }
    """

    private func workspace(_ extra: [String: String] = [:]) throws -> TempWorkspace {
        var files = ["data/customers.csv": "customer_id,age\n00123,30\nA1,40\n0456,50\n",
                     "data/tx.csv": "customer_id,day,amount\n00123,2024-06-01,10\n0456,2024-06-02,5\n456,2024-06-03,7\n",
                     "segmentations/d.yaml": definition, "plugins/buyer.lua": buyer]
        for (k, v) in extra { files[k] = v }
        return try TempWorkspace(files: files)
    }

    private func read(_ ws: TempWorkspace, _ suffix: String) throws -> String {
        let path = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix(suffix) })
        return try String(contentsOf: ws.root.appendingPathComponent("exports/" + path), encoding: .utf8)
    }

    func testIdsThatLookLikeNumbersStayText() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let membership = try read(ws, "membership.csv")
        XCTAssertEqual(membership, "customer_id,segment\n00123,buyer\nA1,never\n0456,buyer\n")
        XCTAssertTrue(r.stdout.contains("1 transactions with no date or an unknown customer id"), "456 is not 0456: \(r.stdout)")
    }

    func testProfileTypoAndBadScorerOutputFailBeforeAnyPluginRuns() throws {
        let typo = definition + "\nprofile: { monetary: nope }\n"
        let ws = try workspace(["segmentations/d.yaml": typo,
                                "plugins/buyer.lua": buyer.replacingOccurrences(of: "assign = function(row, p)", with: "assign = function(row, p) seg.log('RAN')")])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("profile.monetary names column 'nope'"), r.stderr)
        XCTAssertFalse(r.stderr.contains("RAN"))

        let scorer = """
        return { api = 1, kind = "scorer", name = "s", version = "1", description = "d", uses = {}, output = "segment",
          score = function(row, p) return 1 end }
        """
        let ws2 = try workspace(["plugins/s.lua": scorer, "segmentations/d.yaml": definition + "\nscorers: [s]\n"])
        defer { ws2.remove() }
        let r2 = try SegProcess.run(["run", ws2.root.path])
        XCTAssertEqual(r2.status, 2, r2.stderr)
        XCTAssertTrue(r2.stderr.contains("writes column 'segment'"), r2.stderr)
    }

    func testUndeclaredParamIsADefinitionErrorWithItsLine() throws {
        let ws = try workspace(["segmentations/d.yaml": definition.replacingOccurrences(of: "criteria: [buyer]", with: "criteria:\n  - plugin: buyer\n    params: { x: 1 }")])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        // At the override's own line (`params: { x: 1 }`), not the `- plugin:` line above it.
        XCTAssertTrue(r.stderr.contains("d.yaml:11:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("'x'"), r.stderr)
    }

    func testSymlinkedWorkspaceFindsItsOwnPlugins() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("seglink-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: ws.root)
        defer { try? FileManager.default.removeItem(at: link) }
        let r = try SegProcess.run(["run", link.path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testAFailingDefinitionLeavesNoExportsOfTheOthers() throws {
        let ws = try workspace(["segmentations/e.yaml": definition, "exports/e": "not a folder"])
        defer { ws.remove() }
        try definition.replacingOccurrences(of: "as_of:", with: "name: e\nas_of:")
            .write(to: ws.root.appendingPathComponent("segmentations/e.yaml"), atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("not a folder"), r.stderr)
        XCTAssertEqual(ws.exportedFiles(), ["e"], "d was computed and staged, but not put in place")
        let versions = try SegProcess.run(["versions", ws.root.path])
        XCTAssertTrue(versions.stdout.contains("no versions"), "nothing stored either: \(versions.stdout)")
    }

    func testAnotherFormatKeepsTheFilesOfTheSameRun() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--format", "json"]).status, 0)
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--format", "csv"]).status, 0)
        let names = ws.exportedFiles().map { ($0 as NSString).lastPathComponent }.sorted()
        XCTAssertEqual(names, ["membership.csv", "notes.txt", "profiles.csv", "profiles.json"])
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--format", ""]).status, 2)
    }

    func testDuplicateDefinitionNamesAndMisnamedPluginsAreReported() throws {
        let ws = try workspace(["segmentations/e.yaml": definition.replacingOccurrences(of: "as_of:", with: "name: d\nas_of:"),
                                "plugins/t.lua": buyer.replacingOccurrences(of: "name = \"buyer\"", with: "name = \"other\"")])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("definition names must be unique"), r.stderr)
        let p = try SegProcess.run(["plugins", ws.root.path])
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.stderr.contains("declares name 'other'"), p.stderr)
    }

    func testRecordsDoNotDependOnTheCurrentDirectory() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--format", "json"], cwd: ws.root).status, 0)
        let first = try read(ws, "profiles.json")
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--format", "json"], cwd: URL(fileURLWithPath: "/")).status, 0)
        XCTAssertEqual(try read(ws, "profiles.json"), first)
        XCTAssertTrue(first.contains("\"file\" : \"buyer.lua\""), first)
    }

    func testInfiniteScoresAreMissingAndParamsAreRecordedBeforeRows() throws {
        let scorer = """
        return { api = 1, kind = "scorer", name = "ratio", version = "1", description = "d", uses = {"age"},
          params = { tag = {"a"} },
          score = function(row, p) p.tag[1] = p.tag[1] .. "x"; if row.age == 40 then return 1/0 end return row.age end }
        """
        let ws = try workspace(["plugins/ratio.lua": scorer,
                                "segmentations/d.yaml": definition + "\nscorers: [ratio]\nprofile: { numeric: [ratio] }\n"])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try read(ws, "membership.csv"), "customer_id,segment,ratio\n00123,buyer,30\nA1,never,\n0456,buyer,50\n")
        let json = try read(ws, "profiles.json")
        XCTAssertTrue(json.contains("\"a\""), "params as they were after prepare: \(json)")
        XCTAssertFalse(json.contains("\"ax"), json)
    }
}
