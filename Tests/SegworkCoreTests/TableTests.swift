import XCTest
@testable import SegworkCore
@testable import SegworkData

final class TableTests: XCTestCase {
    func testCivilDateRoundTrip() {
        for days: Int32 in [-700_000, -1, 0, 1, 11_016, 19_782, 2_932_896] {
            let d = CivilDate(days: days)
            XCTAssertEqual(d.days, days)
            XCTAssertEqual(CivilDate(iso: Substring(d.description))?.days, days)
        }
        XCTAssertEqual(CivilDate(iso: "2024-02-29")?.days, 19_782)
        XCTAssertNil(CivilDate(iso: "2023-02-29"))
        XCTAssertNil(CivilDate(iso: "2023-2-01"))
    }

    func testBitmap() {
        var b = Bitmap(count: 70, allSet: true)
        XCTAssertEqual(b.setCount, 70)
        b[65] = false
        XCTAssertFalse(b[65]); XCTAssertTrue(b[64])
        XCTAssertEqual(b.setCount, 69)
        b.append(false); b.append(true)
        XCTAssertEqual(b.count, 72); XCTAssertEqual(b.setCount, 70)
    }

    func testTableRejectsMismatch() throws {
        var t = try Table(columns: [Column(name: "a", storage: .integer([1, 2]))])
        XCTAssertThrowsError(try t.add(Column(name: "b", storage: .integer([1]))))
        XCTAssertThrowsError(try t.add(Column(name: "a", storage: .integer([1, 2]))))
        try t.add(Column(name: "s", storage: .string(codes: [0, 1], dictionary: ["x", "y"]),
                         validity: Bitmap([true, false])))
        XCTAssertEqual(t["s"]?.string(at: 0), "x")
        XCTAssertNil(t["s"]?.string(at: 1))
        XCTAssertEqual(t["s"]?.missingCount, 1)
    }
}
