import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

final class FeatureTests: XCTestCase {
    private func day(_ s: String) -> Int32 { CivilDate(iso: Substring(s))!.days }

    private func transactions() throws -> Table {
        // c1: two lines of order 1 plus order 2; c2: one order after the reference date and one before;
        // an order of an unknown customer; a row without a date.
        try Table(columns: [
            Column(name: "customer_id", storage: .string(codes: [0, 0, 0, 1, 1, 2, 0], dictionary: ["c1", "c2", "zz"])),
            Column(name: "order_id", storage: .integer([1, 1, 2, 3, 4, 5, 6])),
            Column(name: "order_date", storage: .date([day("2024-01-01"), day("2024-01-01"), day("2024-03-01"),
                                                       day("2024-02-01"), day("2024-12-01"), day("2024-01-05"), 0]),
                   validity: Bitmap([true, true, true, true, true, true, false])),
            Column(name: "amount", storage: .double([10, 5, 20, 7, 100, 1, 3])),
        ])
    }

    private let spec = RFMSpec(transactions: "tx", customer: "customer_id", order: "order_id", date: "order_date", amount: "amount")

    func testRFMWithReferenceDate() throws {
        let ids = Column(name: "customer_id", storage: .string(codes: [0, 1, 2], dictionary: ["c1", "c2", "c3"]))
        let r = try RFMFeature.compute(ids: ids, idOrigin: "customers.csv", transactions: try transactions(),
                                       origin: "tx.csv", spec: spec, asOf: CivilDate(iso: "2024-03-31"))
        let (rec, freq, mon) = (r.columns[0], r.columns[1], r.columns[2])
        XCTAssertEqual(rec.double(at: 0), 30)   // last order 2024-03-01
        XCTAssertEqual(freq.double(at: 0), 2)   // orders 1 and 2: two lines of order 1 count once
        XCTAssertEqual(mon.double(at: 0), 35)
        XCTAssertEqual(rec.double(at: 1), 59)   // the December order is after the reference date
        XCTAssertEqual(freq.double(at: 1), 1)
        XCTAssertEqual(mon.double(at: 1), 7)
        XCTAssertNil(rec.double(at: 2)); XCTAssertNil(freq.double(at: 2)); XCTAssertNil(mon.double(at: 2))
        XCTAssertEqual(r.afterAsOf, 1)
        XCTAssertEqual(r.unmatched, 2)
        XCTAssertEqual(r.used, 4)
    }

    func testRFMDefaultReferenceIsLatestMatchedTransaction() throws {
        let ids = Column(name: "customer_id", storage: .string(codes: [0, 1], dictionary: ["c1", "c2"]))
        var s = spec; s.order = nil
        let r = try RFMFeature.compute(ids: ids, idOrigin: "c", transactions: try transactions(), origin: "t", spec: s, asOf: nil)
        XCTAssertEqual(r.asOf.description, "2024-12-01")
        XCTAssertEqual(r.columns[1].double(at: 0), 3, "without an order column every line counts")
        XCTAssertEqual(r.columns[0].double(at: 1), 0)
    }

    func testIntegerIdsMatchTextKeys() throws {
        let ids = Column(name: "id", storage: .integer([7, 8]))
        let tx = try Table(columns: [
            Column(name: "cid", storage: .string(codes: [0, 1, 0], dictionary: ["8", "x"])),
            Column(name: "d", storage: .date([day("2024-01-01"), day("2024-01-02"), day("2024-01-03")])),
            Column(name: "a", storage: .integer([1, 2, 3])),
        ])
        let r = try RFMFeature.compute(ids: ids, idOrigin: "c", transactions: tx, origin: "t",
                                       spec: RFMSpec(transactions: "t", customer: "cid", order: nil, date: "d", amount: "a"), asOf: nil)
        XCTAssertNil(r.columns[2].double(at: 0))
        XCTAssertEqual(r.columns[2].double(at: 1), 4)
        XCTAssertEqual(r.unmatched, 1)
    }

    func testRFMErrorsNameTheColumn() throws {
        let ids = Column(name: "customer_id", storage: .string(codes: [0], dictionary: ["c1"]))
        var s = spec; s.amount = "total"
        XCTAssertThrowsError(try RFMFeature.compute(ids: ids, idOrigin: "c", transactions: try transactions(), origin: "tx.csv", spec: s, asOf: nil)) {
            XCTAssertTrue("\($0)".contains("'total'"), "\($0)")
        }
        let dup = Column(name: "customer_id", storage: .string(codes: [0, 0], dictionary: ["c1"]))
        XCTAssertThrowsError(try RFMFeature.compute(ids: dup, idOrigin: "customers.csv", transactions: try transactions(), origin: "t", spec: spec, asOf: nil)) {
            XCTAssertTrue("\($0)".contains("'c1' appears more than once"), "\($0)")
        }
    }

    func testDaysSinceAndGather() throws {
        let c = Column(name: "signup", storage: .date([day("2024-01-01"), 0]), validity: Bitmap([true, false]))
        let t = try DaysSinceFeature.compute(c, output: "tenure", asOf: CivilDate(iso: "2024-01-31")!, origin: "x")
        XCTAssertEqual(t.double(at: 0), 30); XCTAssertNil(t.double(at: 1))
        let g = Column(name: "s", storage: .string(codes: [1, 0], dictionary: ["a", "b"])).gather([1, -1, 0], name: "s2")
        XCTAssertEqual([g.string(at: 0), g.string(at: 1), g.string(at: 2)], ["a", nil, "b"])
        let input = t.pluginInput(as: "x")
        XCTAssertEqual(input.name, "x")
        let dates = c.pluginInput(as: "d")
        guard case .string(_, let dict) = dates.values else { return XCTFail("dates must reach plugins as text") }
        XCTAssertEqual(dict, ["2024-01-01"])
    }

    func testCombineCrossAndFirstMatch() {
        let a = LabelAssignment(codes: [0, 1, -1, 0], labels: ["A", "B"])
        let b = LabelAssignment(codes: [0, -1, 0, 1], labels: ["x", "y"])
        let cross = Runner.combine([a, b], .cross, rows: 4)
        XCTAssertEqual(cross.labels, ["A × x", "A × y"])
        XCTAssertEqual(cross.codes, [0, -1, -1, 1])
        let first = Runner.combine([a, b], .firstMatch, rows: 4)
        XCTAssertEqual(first.labels, ["A", "B", "x"])
        XCTAssertEqual(first.codes, [0, 1, 2, 0])
    }

    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
