import Foundation
import XCTest

/// `seg import` with a dataset's layout options, `seg forget` on such a snapshot, and the documentation's examples of
/// these layouts, run as a user runs them.
final class DataShapesImportCLITests: XCTestCase {
    private var spendCriterion: String { DataShapes.spendCriterion }
    private func membership(_ ws: TempWorkspace) throws -> String { try DataShapes.membership(ws) }

    /// `seg import` takes the options of a definition, checks the file with them, and a definition reading the
    /// imported dataset with the same options runs; errors name the user's file, never the snapshot.
    func testImportTakesTheSameOptions() throws {
        let ws = try TempWorkspace(files: [
            "plugins/spend_band.lua": spendCriterion,
            "in/log.txt": "  01 20240105 12,5\n02\t20240106   9,99  \n\n01 20240107 1,00\n",
            "in/bad.txt": "01 20240105 12,5\n02 20240106\n",
            "in/pipe.psv": "customer_id|spend\n01|3\n",
            "in/semi.csv": "customer_id;spend\n01;3,5\n",
            "segmentations/d.yaml": """
            population: { from: tx, id: customer_id }
            datasets:
              tx:
                dataset: tx
                delimiter: whitespace
                header: false
                columns: [customer_id, date, spend]
                decimal: ","
                schema: { date: { format: "%Y%m%d" } }
            features:
              rfm: { transactions: tx, customer: customer_id, date: date, amount: spend }
            criteria:
              - plugin: spend_band
                columns: { spend: monetary }
            """,
        ])
        defer { ws.remove() }
        let dir = ws.root.path
        var r = try SegProcess.run(["import", dir, "tx", "in/log.txt", "--delimiter", "whitespace", "--no-header",
                                    "--columns", "customer_id,date,spend", "--decimal", ","], cwd: ws.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("imported tx ") && r.stdout.contains("(3 rows, "), r.stdout)
        r = try SegProcess.run(["run", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try membership(ws), "customer_id,segment\n01,big\n02,small\n")

        r = try SegProcess.run(["import", dir, "bad", "in/bad.txt", "--delimiter", "whitespace", "--no-header",
                                "--columns", "customer_id,date,spend"], cwd: ws.root)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("in/bad.txt, line 2: the record has 2 fields but columns names 3"), r.stderr)
        r = try SegProcess.run(["import", dir, "pipe", "in/pipe.psv", "--delimiter", "|"], cwd: ws.root)
        XCTAssertTrue(r.status == 0 && r.stdout.contains("(1 rows, "), r.stdout + r.stderr)
        r = try SegProcess.run(["import", dir, "semi", "in/semi.csv", "--decimal", ","], cwd: ws.root)
        XCTAssertTrue(r.status == 0 && r.stdout.contains("(1 rows, "), r.stdout + r.stderr)
        // One column with tabs (the ';' would split it: --one-column says the file really has one column).
        r = try SegProcess.run(["import", dir, "tab", "in/semi.csv", "--delimiter", "tab", "--one-column"], cwd: ws.root)
        XCTAssertTrue(r.status == 0 && r.stdout.contains("(1 rows, "), r.stdout + r.stderr)
        r = try SegProcess.run(["import", dir, "x", "in/log.txt", "--columns", "a,b,c"], cwd: ws.root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--columns names the columns of a file without a header; add --no-header"), r.stderr)
        r = try SegProcess.run(["import", dir, "x", "in/log.txt", "--delimiter", "colon"], cwd: ws.root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--delimiter must be one of"), r.stderr)

        // A misspelt column of the imported dataset: the definition's line and a did-you-mean, no snapshot path.
        let def = ws.root.appendingPathComponent("segmentations/d.yaml")
        try String(contentsOf: def, encoding: .utf8).replacingOccurrences(of: "amount: spend", with: "amount: spnd")
            .write(to: def, atomically: true, encoding: .utf8)
        r = try SegProcess.run(["run", dir])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("d.yaml:11: features.rfm.amount names column 'spnd', which dataset 'tx' does not have; did you mean 'spend'?"), r.stderr)
        // A bad value: the user's file and line.
        try String(contentsOf: def, encoding: .utf8).replacingOccurrences(of: "amount: spnd", with: "amount: spend")
            .replacingOccurrences(of: "%Y%m%d", with: "%d%m%Y").write(to: def, atomically: true, encoding: .utf8)
        r = try SegProcess.run(["run", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("in/log.txt (imported as dataset 'tx'), line 1, column 'date'"), r.stderr)
        XCTAssertFalse((r.stdout + r.stderr).contains(".seg/"), r.stderr)
    }

    /// `seg forget` finds a customer's records in a whitespace-separated, header-less snapshot (the definition's
    /// layout), removes exactly those lines and keeps every other byte.
    func testForgetErasesFromAWhitespaceHeaderlessSnapshot() throws {
        let log = "00001 20240105 12.5\n  00002\t20240106   9.99  \n\n00001 20240107 1.00\n00002 20240108 3.00\n00012 20240108 3.00\n"
        let ws = try TempWorkspace(files: [
            "plugins/spend_band.lua": spendCriterion, "data/log.txt": log,
            "segmentations/d.yaml": """
            population: { from: tx, id: customer_id }
            datasets:
              tx:
                file: data/log.txt
                delimiter: whitespace
                header: false
                columns: [customer_id, date, spend]
                schema: { date: { format: "%Y%m%d" } }
            features:
              rfm: { transactions: tx, customer: customer_id, date: date, amount: spend }
            criteria:
              - plugin: spend_band
                columns: { spend: monetary }
            """,
        ])
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": "shapes-salt"]
        var r = try SegProcess.run(["run", ws.root.path], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try SegProcess.run(["forget", ws.root.path, "00002"], environment: env)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let snapshots = ws.root.appendingPathComponent(".seg/datasets")
        let texts = try FileManager.default.contentsOfDirectory(atPath: snapshots.path).map {
            try String(contentsOf: snapshots.appendingPathComponent($0), encoding: .utf8)
        }
        XCTAssertEqual(texts, ["00001 20240105 12.5\n\n00001 20240107 1.00\n00012 20240108 3.00\n"])
        let membership = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        XCTAssertEqual(try String(contentsOf: ws.root.appendingPathComponent("exports/\(membership)"), encoding: .utf8),
                       "customer_id,segment\n00001,big\n00012,small\n")
    }

    /// Copies workspaces/cdnow-style (with the bundled plugins) into a temporary folder.
    private func cdnowCopy(definition: String? = nil) throws -> TempWorkspace {
        let example = SegProcess.root.appendingPathComponent("workspaces/cdnow-style")
        func read(_ p: String) throws -> String { try String(contentsOf: example.appendingPathComponent(p), encoding: .utf8) }
        return try TempWorkspace(files: [
            "data/transactions.txt": try read("data/transactions.txt"),
            "segmentations/rfm.yaml": try definition ?? read("segmentations/rfm.yaml"),
            "workspace.yaml": try read("workspace.yaml") + "plugins: [\(SegProcess.root.appendingPathComponent("plugins").path)]\n",
        ])
    }

    /// The `seg import` example of docs/WORKSPACES.md gives the output shown there.
    func testWorkspacesDocImportExample() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/WORKSPACES.md"), encoding: .utf8)
        let lines = page.components(separatedBy: "\n")
        let at = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("$ seg import . tx ") })
        XCTAssertEqual(lines[at - 1], "$ cd workspaces/cdnow-style")
        let ws = try cdnowCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(Array(lines[at].split(separator: " ").dropFirst(2).map(String.init)), cwd: ws.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, lines[at + 1] + "\n")
    }

    /// The CDNOW-style example of docs/DEFINITIONS.md runs on the example data and gives the example workspace's
    /// segments.
    func testDefinitionsDocExampleRuns() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/DEFINITIONS.md"), encoding: .utf8)
        let block = try XCTUnwrap(page.components(separatedBy: "```yaml\n").first { $0.hasPrefix("description: RFM segments of a CDNOW-style log") })
        let text = try XCTUnwrap(block.components(separatedBy: "```").first)
        let fromDoc = try cdnowCopy(definition: text), example = try cdnowCopy()
        defer { fromDoc.remove(); example.remove() }
        let a = try SegProcess.run(["run", fromDoc.root.path]), b = try SegProcess.run(["run", example.root.path])
        XCTAssertEqual(a.status, 0, a.stderr)
        func table(_ s: String) -> String { s.components(separatedBy: "\n").dropFirst().joined(separator: "\n") }
        XCTAssertEqual(table(a.stdout), table(b.stdout))
        XCTAssertTrue(a.stdout.contains("Champions"), a.stdout)
    }
}
