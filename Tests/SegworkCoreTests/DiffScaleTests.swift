import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `seg diff` over thousands of segments: memory and output linear in customers plus non-empty cells, never in
/// the square of the segment count (issue 8: 2,000 segments took 552 MiB, 30,000 were killed at 24 GB).
final class DiffScaleTests: XCTestCase {
    /// `customers` customers in `segments` segments; in the newer version everyone moves one segment on.
    private func memberships(customers: Int, segments: Int) -> (Data, Data) {
        var a = "customer_id,segment\n", b = "customer_id,segment\n"
        for c in 0..<customers {
            a += "c\(c),s\(c % segments)\n"
            b += "c\(c),s\((c + 1) % segments)\n"
        }
        return (Data(a.utf8), Data(b.utf8))
    }

    func testDiffOf5000SegmentsStoresOnlyTheNonEmptyCells() throws {
        let (a, b) = memberships(customers: 10_000, segments: 5_000)
        let d = try DiffEngine.diff(from: DiffFixture.record(1, a), to: DiffFixture.record(2, b), includeMovers: false)
        XCTAssertEqual(d.labels.count, 5_002)
        // 5,000 occupied cells (s_i → s_i+1), not 5,002² = 25 million.
        XCTAssertEqual(d.matrix.cells.count, 5_000)
        XCTAssertEqual(d.matrix.cells.map(\.count).reduce(0, +), 10_000)
        XCTAssertEqual(d.moved, 10_000)
        XCTAssertEqual(d.stayed, 0)
        let s0 = try XCTUnwrap(d.labels.firstIndex(of: "s0")), s1 = try XCTUnwrap(d.labels.firstIndex(of: "s1"))
        XCTAssertEqual(d.matrix[s0, s1], 2)
        XCTAssertEqual(d.matrix[s1, s0], 0)
        XCTAssertEqual(d.segments[s0].movedOut, 2)
        XCTAssertEqual(d.segments[s1].movedIn, 2)
    }

    func testLargeDiffExportsListOnlyNonEmptyCells() throws {
        // 600 segments: past the full-matrix limit, so exports list the 600 occupied cells, not 602² = 362,404.
        let (a, b) = memberships(customers: 1_200, segments: 600)
        let d = try DiffEngine.diff(from: DiffFixture.record(1, a), to: DiffFixture.record(2, b), includeMovers: false)
        let csv = String(decoding: DiffExporter.csv(d), as: UTF8.self)
        XCTAssertEqual(csv.split(separator: "\n").filter { $0.hasPrefix("matrix,") }.count, 600)
        XCTAssertTrue(csv.contains("\nmatrix,,count,s0,s1,2\n"), String(csv.prefix(2000)))
        let json = DiffExporter.json(d)
        XCTAssertLessThan(json.count, 1_000_000)
        let back = try JSONDecoder().decode(VersionDiff.self, from: json)
        XCTAssertEqual(back, d)
        let md = String(decoding: DiffExporter.markdown(d), as: UTF8.self)
        XCTAssertLessThan(md.utf8.count, 400_000)
        XCTAssertTrue(md.contains("| s0 | s1 | 2 |"))
        let text = DiffExporter.text(d)
        XCTAssertLessThan(text.utf8.count, 200_000)
        // The terminal lists the 40 largest of the 600 cells and says so.
        XCTAssertTrue(text.contains("the 40 largest of the 600 cells that hold customers"), text)
        let listed = text.split(separator: "\n").filter { $0.hasPrefix("s") && $0.hasSuffix(" 2") }
        XCTAssertEqual(listed.count, 40, "40 cell rows, each of 2 customers")
    }

    func testSmallDiffKeepsTheFullMatrixInEveryExport() throws {
        let (a, b) = memberships(customers: 6, segments: 3)
        let d = try DiffEngine.diff(from: DiffFixture.record(1, a), to: DiffFixture.record(2, b), includeMovers: false)
        XCTAssertEqual(d.matrix.rows(), [[0, 2, 0, 0, 0], [0, 0, 2, 0, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
        let json = String(decoding: DiffExporter.json(d), as: UTF8.self)
        XCTAssertFalse(json.contains("matrixCells"))
        XCTAssertTrue(json.contains("\"matrix\" : [\n    [\n      0,\n      2,"), json)
        XCTAssertEqual(String(decoding: DiffExporter.csv(d), as: UTF8.self).split(separator: "\n")
                        .filter { $0.hasPrefix("matrix,") }.count, 25)
    }
}
