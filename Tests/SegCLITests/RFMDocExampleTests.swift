import Foundation
import XCTest

/// docs/RFM.md's example: its definition (the first ```yaml block) run on Tests/Fixtures/rfm prints the summary
/// the page shows (the first ```text block).
final class RFMDocExampleTests: XCTestCase {
    func testExampleOutputIsWhatThePageShows() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/RFM.md"), encoding: .utf8)
        func block(_ fence: String) throws -> String {
            let after = try XCTUnwrap(page.components(separatedBy: "```\(fence)\n").dropFirst().first)
            return try XCTUnwrap(after.components(separatedBy: "```").first)
        }
        let fixtures = SegProcess.root.appendingPathComponent("Tests/Fixtures/rfm")
        let ws = try TempWorkspace(files: [
            "data/customers.csv": try String(contentsOf: fixtures.appendingPathComponent("customers.csv"), encoding: .utf8),
            "data/transactions.csv": try String(contentsOf: fixtures.appendingPathComponent("transactions.csv"), encoding: .utf8),
            "segmentations/rfm.yaml": try block("yaml"),
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The first line names the run id and the export folder; the page shows the table under it.
        let shown = r.stdout.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        XCTAssertEqual(shown, try block("text"))
    }
}
