import Foundation
import XCTest

/// docs/CLUSTERING.md shows `seg run workspaces/demo clusters` and the "Clusters" section of its profiles.md: both
/// are what a fresh copy of the demo prints and writes. If the demo data changes, re-run the example on a fresh copy
/// and paste the output into the page.
final class ClusterDocTests: XCTestCase {
    func block(after marker: String, in page: String) throws -> [String] {
        let rest = try XCTUnwrap(page.components(separatedBy: marker).dropFirst().first, "the page has \(marker)")
        let body = try XCTUnwrap(rest.components(separatedBy: "```text\n").dropFirst().first)
        return body.components(separatedBy: "\n```")[0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testTheExampleIsWhatTheDemoPrintsAndWrites() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/CLUSTERING.md"), encoding: .utf8)
        let shown = try block(after: "<!-- clusters example: checked by ClusterDocTests -->", in: page)
        XCTAssertEqual(shown.first, "$ seg run workspaces/demo clusters")
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "clusters"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The first line holds the run id and the folder, which the page leaves out.
        let printed = r.stdout.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertEqual(printed, Array(shown.dropFirst()))

        let section = try block(after: "<!-- clusters profile: checked by ClusterDocTests -->", in: page)
        let exports = ws.root.appendingPathComponent("exports/clusters")
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: exports.path).first)
        let md = try String(contentsOf: exports.appendingPathComponent("\(run)/profiles.md"), encoding: .utf8)
        let written = try XCTUnwrap(md.components(separatedBy: "## Clusters\n").dropFirst().first)
        // The section ends the file (after its last table, a blank line).
        XCTAssertEqual("## Clusters\n" + written, section.joined(separator: "\n") + "\n\n")
    }
}
