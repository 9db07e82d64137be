import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `keepRows`: the rows a cleaning step keeps, in place. Checked against `gather` (a fresh copy of the rows) for every
/// storage type, with and without missing values, on both paths (compacting in place, and copying when most rows go).
final class RowSelectionTests: XCTestCase {
    private func columns(_ n: Int) -> [Column] {
        var valid = Bitmap(count: n, allSet: true)
        for i in stride(from: 3, to: n, by: 7) { valid[i] = false }
        let words = ["a", "b", "é", "e\u{301}", ""]
        return [
            Column(name: "i", storage: .integer((0..<n).map { Int64($0) * 3 - 50 }), validity: valid),
            Column(name: "d", storage: .double((0..<n).map { $0 % 11 == 0 ? .nan : Double($0) / 4 })),
            Column(name: "b", storage: .bool((0..<n).map { $0 % 3 == 0 }), validity: valid),
            Column(name: "t", storage: .date((0..<n).map { Int32($0) - 100 })),
            Column(name: "s", storage: .string(codes: (0..<n).map { Int32($0 % words.count) }, dictionary: words), validity: valid),
        ]
    }

    private func assertSame(_ a: Column, _ b: Column, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        XCTAssertEqual(a.type, b.type, file: file, line: line)
        XCTAssertEqual(a.validity, b.validity, "validity of \(a.name)", file: file, line: line)
        for i in 0..<a.count {
            XCTAssertEqual(a.string(at: i), b.string(at: i), "\(a.name) row \(i)", file: file, line: line)
        }
    }

    func testKeepRowsEqualsGatherOnEveryTypeAndBothPaths() throws {
        let n = 300
        let selections: [[Int32]] = [
            (0..<Int32(n)).filter { $0 % 10 != 4 },   // most rows stay: compacted in place
            (0..<Int32(n)).filter { $0 % 5 == 1 },    // most rows go: copied into arrays of the new length
            [], [0], [Int32(n - 1)], (0..<Int32(n)).filter { $0 % 7 != 3 },  // the last leaves every row valid
        ]
        for rows in selections {
            var table = try Table(columns: columns(n))
            table.rowLines = RowLines()
            let expected = table.columns.map { $0.gather(rows, name: $0.name) }
            table.keepRows(rows)
            XCTAssertEqual(table.rowCount, rows.count)
            XCTAssertNil(table.rowLines, "selected rows are no longer the file's records in sequence")
            for (got, want) in zip(table.columns, expected) { assertSame(got, want) }
        }
    }

    func testKeepingAllRowsChangesNothing() throws {
        var table = try Table(columns: columns(50))
        let before = table.columns
        table.keepRows((0..<50).map { Int32($0) })
        for (got, want) in zip(table.columns, before) { assertSame(got, want) }
    }

    /// The point of keeping rows in place: a column not shared with anyone is compacted in its own buffer, so the
    /// step does not hold the table twice.
    func testAnUnsharedColumnIsCompactedInItsOwnBuffer() {
        var column = Column(name: "x", storage: .integer((0..<10_000).map { Int64($0) }))
        func address(_ c: Column) -> UnsafeRawPointer? {
            guard case .integer(let v) = c.storage else { return nil }
            return v.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        let before = address(column)
        column.keepRows((0..<10_000).filter { $0 % 100 != 0 }.map { Int32($0) })
        XCTAssertEqual(column.count, 9_900)
        XCTAssertEqual(address(column), before, "compacted in place, not copied")
        guard case .integer(let v) = column.storage else { return XCTFail() }
        XCTAssertEqual(Array(v.prefix(3)), [1, 2, 3])
        XCTAssertEqual(v.last, 9_999)
    }
}
