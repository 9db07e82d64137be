import Foundation
import XCTest

/// Issue 12: a subscription business with two crossed criteria and 26 segments got a 44 KB, 1,166-line profiles.md
/// of raw numbers. Tests/Fixtures/subscription-26 is that case (generate.py): the report must now list every segment
/// in the summary, detail the 10 largest, summarize the other 16, and be well under half its old size.
final class SubscriptionProfileCLITests: XCTestCase {
    /// profiles.md of the fixture's 26-segment cross, as Segwork 0.3 wrote it: 44,309 bytes.
    static let sizeBefore = 44_309

    private func run() throws -> (ws: TempWorkspace, md: String, json: [String: Any]) {
        let fixture = SegProcess.root.appendingPathComponent("Tests/Fixtures/subscription-26")
        var files: [String: String] = [:]
        for path in ["workspace.yaml", "data/customers.csv", "segmentations/subscriptions.yaml",
                     "plugins/criteria/health.lua", "plugins/criteria/billing.lua"] {
            files[path] = try String(contentsOf: fixture.appendingPathComponent(path), encoding: .utf8)
        }
        let ws = try TempWorkspace(files: files)
        let r = try SegProcess.run(["run", ws.root.path, "subscriptions"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let md = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.md") })
        let json = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("profiles.json") })
        return (ws, try String(contentsOf: ws.root.appendingPathComponent("exports/" + md), encoding: .utf8),
                try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: ws.root.appendingPathComponent("exports/" + json))) as? [String: Any]))
    }

    func testTwentySixSegmentsGiveTheLargestTenAndASummaryOfTheRest() throws {
        let (ws, md, json) = try run()
        defer { ws.remove() }
        let segments = try XCTUnwrap(json["segments"] as? [[String: Any]]).filter { $0["unassigned"] as? Bool == false }
        XCTAssertEqual(segments.count, 26)
        let bytes = md.utf8.count
        XCTAssertLessThan(bytes, Self.sizeBefore * 45 / 100, "well under half of the \(Self.sizeBefore) bytes before")
        XCTAssertLessThan(md.split(separator: "\n").count, 400)

        let headings = md.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
        let largest = segments.prefix(10).map { $0["label"] as! String }
        XCTAssertEqual(headings, ["Warnings", "(all)"] + largest + ["Other segments"],
                       "the scorecard's warnings, then the population, the 10 largest and the rest together (the empty unassigned group has no section)")
        let summary = try XCTUnwrap(md.components(separatedBy: "## Summary\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        for s in segments { XCTAssertTrue(summary.contains("| \(s["label"] as! String) |"), "\(s["label"]!) in the summary") }
        let others = try XCTUnwrap(md.components(separatedBy: "### Other segments\n").dropFirst().first?.components(separatedBy: "\n### ").first)
        XCTAssertTrue(others.contains("16 smaller segments, "), others)
        for s in segments.dropFirst(10) { XCTAssertTrue(others.contains("| \(s["label"] as! String) |"), "\(s["label"]!) in Other segments") }

        // Readable numbers, descriptions of the cross, and drivers.
        XCTAssertTrue(md.contains("| (all) | - | 2,600 | 100.0% | 100.0% |"), summary)
        XCTAssertTrue(md.contains("2,600 customers (100.0%); lifetime_revenue: 106,352,263.09 (100.0% of revenue)"), md)
        XCTAssertTrue(md.contains("Stable use, no growth; Billed yearly, at a discount"), md)
        XCTAssertEqual(md.components(separatedBy: "\nSets it apart: ").count - 1, 10, "each detailed segment says what sets it apart")
        XCTAssertFalse(md.contains("106352263"), "no raw number")
    }
}
