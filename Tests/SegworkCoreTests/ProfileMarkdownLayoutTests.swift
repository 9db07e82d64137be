import XCTest
@testable import SegworkCore
@testable import SegworkData

/// profiles.md with many segments (issue 12): up to `ProfileMarkdown.detailLimit` segments every one has its full
/// section; beyond, the `detailed` largest get a compact one and the rest share "Other segments".
final class ProfileMarkdownLayoutTests: XCTestCase {
    private func markdown(segments k: Int) throws -> String {
        let n = 13 * 14
        // Segment i gets every k-th customer: 182 / k each, give or take one.
        let codes = (0..<n).map { Int32($0 % k) }
        let table = try Table(columns: [
            Column(name: "x", storage: .double((0..<n).map(Double.init))),
            Column(name: "c", storage: .string(codes: (0..<n).map { Int32($0 % 3) }, dictionary: ["a", "b", "c"])),
        ])
        let labels = (0..<k).map { String(format: "S%02d", $0) }
        let set = try Profiler.profiles(table: table, assignment: SegmentAssignment(codes: codes, labels: labels),
                                        options: ProfileOptions(numeric: ["x"], categorical: ["c"], monetary: "x"))
        return String(decoding: Exporter.markdown(ProfileReport(run: ExportTests.run, profiles: set)), as: UTF8.self)
    }

    private func headings(_ md: String) -> [String] {
        md.split(separator: "\n").filter { $0.hasPrefix("### ") && $0 != "### Warnings" }.map { String($0.dropFirst(4)) }
    }

    func testUpToTheLimitEverySegmentHasItsFullSection() throws {
        XCTAssertEqual(ProfileMarkdown.detailLimit, 12)
        let md = try markdown(segments: 12)
        XCTAssertEqual(headings(md).count, 1 + 12, "(all) and every segment")
        XCTAssertFalse(md.contains("### Other segments"))
        XCTAssertTrue(md.contains("| segment | customers | share | revenue | revenue share | mean x |"), md)
        XCTAssertTrue(md.contains("| column | mean | median | p25 | p75 | min | max | sd | missing | index |"))
    }

    func testBeyondTheLimitTheLargestTenAndTheRestTogether() throws {
        let md = try markdown(segments: 13)
        // 182 customers in 13 segments of 14: equal sizes, so the labels' byte order decides which are "largest".
        XCTAssertEqual(headings(md), ["(all)"] + (0..<10).map { String(format: "S%02d", $0) } + ["Other segments"])
        XCTAssertTrue(md.contains("| segment | customers | share | revenue share |\n"), "no means or amounts: \(md)")
        XCTAssertTrue(md.contains("3 smaller segments, 42 customers (23.1%); "), md)
        XCTAssertTrue(md.contains("| S12 | 14 | 7.7% | "), md)
        XCTAssertTrue(md.contains("| column | mean | median | sd | index |"), "compact sections")
        XCTAssertTrue(md.contains("| column | most frequent (share, lift) |"))
        XCTAssertEqual(md.components(separatedBy: "| column | mean | median | p25 |").count - 1, 1, "only (all) in full")
    }
}
