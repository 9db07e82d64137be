import XCTest
@testable import SegworkCore
@testable import SegworkData

/// RFM frequency counts distinct order ids per customer: lines of one order count once however they are
/// interleaved, the same order id under two customers counts for each, missing order ids and left-out rows do not
/// count, and every order-id type (integer, text, date, double) keys exactly.
final class RFMDistinctOrderTests: XCTestCase {
    private let asOf = CivilDate(iso: "2024-06-30")!
    private let spec = RFMSpec(transactions: "tx", customer: "cid", order: "oid", date: "d", amount: "a")

    private func frequencies(customers: [Int32], orders: Column, dates: [Int32]? = nil, population: Int = 4) throws -> [Int64?] {
        let n = customers.count
        let day = asOf.days - 10
        let tx = try Table(columns: [
            Column(name: "cid", storage: .integer(customers.map(Int64.init))),
            orders,
            Column(name: "d", storage: .date(dates ?? [Int32](repeating: day, count: n))),
            Column(name: "a", storage: .double([Double](repeating: 1, count: n))),
        ])
        let ids = Column(name: "id", storage: .integer((0..<Int64(population)).map { $0 }))
        let r = try RFMFeature.compute(ids: ids, idOrigin: "c", transactions: tx, origin: "t", spec: spec, asOf: asOf)
        return (0..<population).map { r.columns[1].double(at: $0).map { Int64($0) } }
    }

    func testInterleavedAndDuplicatedLinesCountOncePerCustomer() throws {
        // Customer 0: orders 5, 9, 7 with lines interleaved with customer 1's; customer 1 shares order ids 5 and 9
        // (counted for each customer); customer 2 has one order over three lines; customer 3 buys nothing.
        let customers: [Int32] = [0, 1, 0, 1, 2, 0, 2, 0, 1, 2, 0]
        let orders: [Int64] = [5, 9, 9, 5, 4, 5, 4, 7, 5, 4, 9]
        XCTAssertEqual(try frequencies(customers: customers, orders: Column(name: "oid", storage: .integer(orders))),
                       [3, 2, 1, nil])
    }

    func testMissingOrderIdsAndLeftOutRowsDoNotCount() throws {
        let late = asOf.days + 1, day = asOf.days - 3
        // Customer 0: order 1, a line without an order id, and order 2 after the reference date.
        // Customer 1: only a line without an order id — a buyer with no counted order.
        let orders = Column(name: "oid", storage: .integer([1, 0, 2, 0]), validity: Bitmap([true, false, true, false]))
        XCTAssertEqual(try frequencies(customers: [0, 0, 0, 1], orders: orders, dates: [day, day, late, day]),
                       [1, 0, nil, nil])
    }

    func testTextDoubleAndDateOrderIdsKeyExactly() throws {
        let customers: [Int32] = [0, 0, 1, 1, 1, 2, 0]
        let text = Column(name: "oid", storage: .string(codes: [0, 1, 1, 2, 1, 0, 0], dictionary: ["A-1", "A-2", "a-1"]))
        XCTAssertEqual(try frequencies(customers: customers, orders: text), [2, 2, 1, nil])
        let doubles = Column(name: "oid", storage: .double([1.5, 1.5, 0.0, -0.0, 2, 1.5, 2.5]))
        XCTAssertEqual(try frequencies(customers: customers, orders: doubles), [2, 3, 1, nil], "-0 and 0 are different ids")
        let dates = Column(name: "oid", storage: .date([10, 11, 10, 10, 12, 11, 10]))
        XCTAssertEqual(try frequencies(customers: customers, orders: dates), [2, 2, 1, nil])
    }

    func testManyLinesPerCustomerMatchASetCount() throws {
        // Pseudo-random lines: some customers with hundreds of lines (the large-bucket path), ids from a small
        // range so duplicates are common, negative and extreme ids included; compared with a plain set count.
        var x: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        let population = 40
        var customers: [Int32] = [], orders: [Int64] = []
        for _ in 0..<5000 {
            let r = next()
            customers.append(Int32(r % 7 == 0 ? r % 3 : r % UInt64(population - 5))) // customers 35...39 buy nothing
            let pick = (r >> 20) % 100
            orders.append(pick == 0 ? .min : pick == 1 ? .max : Int64((r >> 32) % 300) - 150)
        }
        var expected = [Set<Int64>](repeating: [], count: population)
        for (c, o) in zip(customers, orders) { expected[Int(c)].insert(o) }
        let got = try frequencies(customers: customers, orders: Column(name: "oid", storage: .integer(orders)), population: population)
        XCTAssertEqual(got, expected.map { $0.isEmpty ? nil : Int64($0.count) })
        XCTAssertGreaterThan(expected[0].count, DistinctOrders.smallBucket)
    }
}
