import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

final class StatisticsTests: XCTestCase {
    func testQuantileMatchesNumpyLinear() {
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0.25), 1.75)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 0), 1)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 1), 4)
        XCTAssertEqual(quantile(sorted: [1, 2, 3, 4], 1.5), 4, "q is clamped")
        XCTAssertEqual(quantile(sorted: [7], 0.3), 7)
        XCTAssertNil(quantile(sorted: [], 0.5))
        XCTAssertNil(quantile(sorted: [1, 2], .nan))
        // np.percentile(np.arange(1, 11), q) for q = 33, 10, 90, 99, 1, 67
        let a: [Double] = (1...10).map(Double.init)
        XCTAssertEqual(quantile(sorted: a, 0.33), 3.97)
        XCTAssertEqual(quantile(sorted: a, 0.10), 1.9)
        XCTAssertEqual(quantile(sorted: a, 0.90), 9.1)
        XCTAssertEqual(quantile(sorted: a, 0.99), 9.91)
        XCTAssertEqual(quantile(sorted: a, 0.01), 1.09)
        XCTAssertEqual(quantile(sorted: a, 0.67), 7.03)
        XCTAssertEqual(quantile(sorted: [1, .infinity, .infinity], 1), .infinity)
    }

    func testDoubleColumnMatchesNumpyBitForBit() {
        let values: [Double] = [0.1, 0.7, 2.5, .nan, 3.3, 10.0, -4.2, 8.8, 0]
        let c = Column(name: "x", storage: .double(values), validity: Bitmap(values.indices.map { $0 != 8 }))
        let s = c.statistics()
        XCTAssertEqual(s.count, 7)
        XCTAssertEqual(s.missing, 2, "NaN counts as missing")
        XCTAssertEqual(s.min, -4.2)
        XCTAssertEqual(s.max, 10)
        XCTAssertEqual(s.sum, 21.2)
        XCTAssertEqual(s.mean, 3.0285714285714285)
        XCTAssertNil(s.distinct)
        XCTAssertEqual(s.top, [])
        // np.percentile([0.1, 0.7, 2.5, 3.3, 10.0, -4.2, 8.8], np.arange(101))
        let numpy: [Double] = [
            -4.2, -3.942, -3.684, -3.426, -3.168, -2.91, -2.652, -2.394, -2.136, -1.8779999999999997,
            -1.6199999999999994, -1.3619999999999997, -1.1039999999999999, -0.8459999999999999, -0.5879999999999996,
            -0.3300000000000004, -0.07200000000000015, 0.11200000000000002, 0.14800000000000005, 0.18400000000000008,
            0.2200000000000001, 0.256, 0.29200000000000004, 0.32800000000000007, 0.364, 0.39999999999999997, 0.436,
            0.47200000000000003, 0.508, 0.5439999999999998, 0.5799999999999998, 0.6159999999999999, 0.6519999999999999,
            0.688, 0.772, 0.8799999999999993, 0.9880000000000002, 1.0959999999999996, 1.2040000000000004,
            1.3119999999999998, 1.4200000000000006, 1.528, 1.6360000000000001, 1.7440000000000002, 1.8520000000000003,
            1.9600000000000004, 2.0680000000000005, 2.1759999999999997, 2.284, 2.392, 2.5, 2.548, 2.596, 2.644, 2.692,
            2.74, 2.7880000000000003, 2.836, 2.8839999999999995, 2.932, 2.9799999999999995, 3.028, 3.0759999999999996,
            3.124, 3.1719999999999997, 3.22, 3.268, 3.4100000000000024, 3.74, 4.0699999999999985, 4.399999999999996,
            4.729999999999999, 5.060000000000001, 5.39, 5.719999999999997, 6.050000000000001, 6.380000000000003,
            6.710000000000001, 7.039999999999999, 7.370000000000002, 7.700000000000005, 8.030000000000003, 8.36,
            8.689999999999998, 8.848, 8.92, 8.992, 9.064, 9.136000000000001, 9.208, 9.280000000000001, 9.352,
            9.424000000000001, 9.496, 9.568, 9.639999999999999, 9.712, 9.784, 9.856, 9.927999999999999, 10.0,
        ]
        XCTAssertEqual(s.percentiles, numpy)
    }

    func testIntegerColumnWithMissingValues() {
        let c = Column(name: "n", storage: .integer([5, 1, 99, 4, 2, 3]),
                       validity: Bitmap([true, true, false, true, true, true]))
        let s = c.statistics()
        XCTAssertEqual(s.count, 5); XCTAssertEqual(s.missing, 1)
        XCTAssertEqual(s.min, 1); XCTAssertEqual(s.max, 5); XCTAssertEqual(s.sum, 15); XCTAssertEqual(s.mean, 3)
        XCTAssertEqual(s.percentiles.count, 101)
        XCTAssertEqual([0, 10, 25, 50, 75, 90, 100].map { s.percentiles[$0] }, [1.0, 1.4, 2.0, 3.0, 4.0, 4.6, 5.0])
    }

    func testIntegerSumDoesNotOverflow() {
        let s = Column(name: "n", storage: .integer([.max, .max, 1])).statistics()
        XCTAssertEqual(s.sum, 2 * 9.223372036854775807e18)
        XCTAssertEqual(s.max, 9.223372036854775807e18)
        let exact = Column(name: "n", storage: .integer([1 << 52, 1, 1, 1, -(1 << 52)])).statistics()
        XCTAssertEqual(exact.sum, 3, "the compensated sum keeps small terms next to large ones")
    }

    func testInfinitiesAndEmptyColumns() {
        let inf = Column(name: "x", storage: .double([1, .infinity, -.infinity])).statistics()
        XCTAssertEqual(inf.min, -.infinity); XCTAssertEqual(inf.max, .infinity)
        XCTAssertTrue(inf.sum!.isNaN)
        let empty = Column(name: "x", storage: .double([.nan, 0]), validity: Bitmap([true, false])).statistics()
        XCTAssertEqual(empty, ColumnStatistics(count: 0, missing: 2, sum: 0))
        XCTAssertNil(empty.min); XCTAssertNil(empty.mean); XCTAssertEqual(empty.percentiles, [])
        let none = Column(name: "s", storage: .string(codes: [], dictionary: [])).statistics()
        XCTAssertEqual(none, ColumnStatistics(count: 0, missing: 0, distinct: 0, top: []))
    }

    func testDatesGetNumericStatisticsOnly() {
        let c = Column(name: "d", storage: .date([19_000, 19_031, 0, 19_010]), validity: Bitmap([true, true, false, true]))
        let s = c.statistics()
        XCTAssertEqual(s.count, 3); XCTAssertEqual(s.missing, 1)
        XCTAssertEqual(s.min, 19_000); XCTAssertEqual(s.max, 19_031)
        XCTAssertEqual(s.mean, 19013.666666666668)
        XCTAssertEqual(s.percentiles[25], 19_005); XCTAssertEqual(s.percentiles[90], 19026.8)
        XCTAssertNil(s.distinct)
        XCTAssertEqual(s.top, [])
    }

    func testStringTopOrdersByCountThenValue() {
        // b×3, a×2, c×2, "é"×2, d×1, missing×1
        let dictionary = ["d", "c", "b", "a", "é", "unused"]
        let codes: [Int32] = [2, 3, 1, 2, 0, 1, 3, 2, 4, 4, 0]
        let valid = Bitmap(codes.indices.map { $0 != 10 })
        let c = Column(name: "s", storage: .string(codes: codes, dictionary: dictionary), validity: valid)
        let s = c.statistics()
        XCTAssertEqual(s.count, 10); XCTAssertEqual(s.missing, 1); XCTAssertEqual(s.distinct, 5)
        XCTAssertEqual(s.top.map(\.value), ["b", "a", "c", "é", "d"])
        XCTAssertEqual(s.top.map(\.count), [3, 2, 2, 2, 1])
        XCTAssertNil(s.min); XCTAssertNil(s.sum); XCTAssertEqual(s.percentiles, [])
    }

    func testTopIsLimitedToTwenty() {
        // v08…v24 appear 8…24 times; v00…v07 tie at 3 times each, so only three of them make the top 20.
        var codes: [Int32] = []
        let dictionary = (0..<25).map { "v\($0 < 10 ? "0" : "")\($0)" }
        for k in (0..<25).reversed() { codes += [Int32](repeating: Int32(k), count: k < 8 ? 3 : k) }
        let s = Column(name: "s", storage: .string(codes: codes, dictionary: dictionary)).statistics()
        XCTAssertEqual(s.distinct, 25)
        XCTAssertEqual(s.count, codes.count)
        XCTAssertEqual(s.top.count, 20)
        XCTAssertEqual(s.top.first, ColumnStatistics.ValueCount(value: "v24", count: 24))
        XCTAssertEqual(s.top.suffix(4).map(\.value), ["v08", "v00", "v01", "v02"])
        XCTAssertEqual(s.top.suffix(4).map(\.count), [8, 3, 3, 3])
    }

    func testDuplicateDictionaryEntriesAreCountedTogether() {
        let c = Column(name: "s", storage: .string(codes: [0, 1, 2, 1], dictionary: ["x", "y", "x"]))
        let s = c.statistics()
        XCTAssertEqual(s.distinct, 2)
        XCTAssertEqual(s.top, [.init(value: "x", count: 2), .init(value: "y", count: 2)])
    }

    func testBoolsCountAsText() {
        let c = Column(name: "b", storage: .bool([true, false, true, true, false]),
                       validity: Bitmap([true, true, true, false, true]))
        let s = c.statistics()
        XCTAssertEqual(s.count, 4); XCTAssertEqual(s.missing, 1); XCTAssertEqual(s.distinct, 2)
        XCTAssertEqual(s.top, [.init(value: "false", count: 2), .init(value: "true", count: 2)])
        XCTAssertNil(s.mean)
        let allTrue = Column(name: "b", storage: .bool([true])).statistics()
        XCTAssertEqual(allTrue.distinct, 1)
        XCTAssertEqual(allTrue.top, [.init(value: "true", count: 1)])
    }

    func testRowSubsets() {
        let ints = Column(name: "n", storage: .integer([10, 20, 30, 40, 50]), validity: Bitmap([true, true, false, true, true]))
        let s = ints.statistics(rows: [4, 2, 0])
        XCTAssertEqual(s.count, 2); XCTAssertEqual(s.missing, 1)
        XCTAssertEqual(s.min, 10); XCTAssertEqual(s.max, 50); XCTAssertEqual(s.percentiles[50], 30)
        XCTAssertEqual(ints.statistics(rows: []), ColumnStatistics(count: 0, missing: 0, sum: 0))
        let doubles = Column(name: "x", storage: .double([1.5, .nan, 2.5]))
        XCTAssertEqual(doubles.statistics(rows: [1, 2]).count, 1)
        XCTAssertEqual(doubles.statistics(rows: [1, 2]).missing, 1)
        let dates = Column(name: "d", storage: .date([100, 200, 300]))
        XCTAssertEqual(dates.statistics(rows: [2, 1]).mean, 250)
        let strings = Column(name: "s", storage: .string(codes: [0, 1, 1, 0, 2], dictionary: ["a", "b", "c"]))
        let sub = strings.statistics(rows: [1, 2, 4])
        XCTAssertEqual(sub.distinct, 2, "values not in the subset are not counted")
        XCTAssertEqual(sub.top, [.init(value: "b", count: 2), .init(value: "c", count: 1)])
        let bools = Column(name: "b", storage: .bool([true, false, false]))
        XCTAssertEqual(bools.statistics(rows: [0]).top, [.init(value: "true", count: 1)])
        // A subset statistic equals the statistic of the column built from those rows.
        let whole = Column(name: "n", storage: .integer([40, 10, 50])).statistics()
        XCTAssertEqual(ints.statistics(rows: [3, 0, 4]), whole)
    }

    func testLargeColumnAgreesWithDirectComputation() {
        let n = 100_001
        var values = [Double](repeating: 0, count: n)
        var state: UInt64 = 42
        for i in 0..<n {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values[i] = Double(state >> 11) / Double(1 << 53) * 1000
        }
        let s = Column(name: "x", storage: .double(values)).statistics()
        let sorted = values.sorted()
        XCTAssertEqual(s.percentiles[50], sorted[50_000], "n - 1 = 100000 puts every percentile on a rank")
        XCTAssertEqual(s.percentiles[1], sorted[1_000])
        XCTAssertEqual(s.min, sorted.first); XCTAssertEqual(s.max, sorted.last)
        XCTAssertEqual(s.count, n)
        XCTAssertEqual(s.mean!, values.reduce(0, +) / Double(n), accuracy: 1e-9)
    }
}

/// Selection gives the sorted quantile exactly, on ties, tiny inputs and adversarial orders.
final class QuantileSelectionTests: XCTestCase {
    func testSelectionEqualsTheSortedQuantile() {
        var rng = SplitMix64(seed: 5)
        var inputs: [[Double]] = [[1], [2, 1], [3, 3, 3], [1, 2, 3, 4], [0, -0.0, 0], [-1e300, 1e300, 5, 5],
                                  Array(repeating: 7, count: 1000), (0..<1000).map(Double.init),
                                  (0..<1000).reversed().map(Double.init), (0..<999).map { Double($0 % 3) }]
        for n in [5, 6, 101, 1000, 4097] {
            inputs.append((0..<n).map { _ in Double(rng.next() % 20) / 4 })            // heavy ties
            inputs.append((0..<n).map { _ in Double(bitPattern: rng.next() >> 2) })   // wide range
        }
        for values in inputs {
            for q in [0, 0.2, 0.5, 0.8, 1] {
                var copy = values
                XCTAssertEqual(quantile(selecting: &copy, q), quantile(sorted: values.sorted(), q), "n \(values.count) q \(q)")
                XCTAssertEqual(copy.sorted(), values.sorted(), "only reordered")
            }
        }
        var empty: [Double] = []
        XCTAssertNil(quantile(selecting: &empty, 0.5))
    }
}

/// fill_median on integers: exact, whatever their size (it crashed at 2^63 when it went through Double).
final class IntegerMedianTests: XCTestCase {
    func testMatchesTheDoubleRuleBelowTwoToTheFiftyTwoAndIsExactAbove() {
        var rng = SplitMix64(seed: 9)
        for n in [1, 2, 3, 4, 7, 10, 101] {
            for _ in 0..<50 {
                let values = (0..<n).map { _ in Int64(bitPattern: rng.next()) >> 20 }  // |v| < 2^44
                var copy = values
                let viaDouble = Int64(quantile(sorted: values.map(Double.init).sorted(), 0.5)!.rounded())
                XCTAssertEqual(integerMedian(&copy), viaDouble, "\(values)")
            }
        }
        var halves: [Int64] = [-3, -2]; XCTAssertEqual(integerMedian(&halves), -3, "half away from zero")
        var up: [Int64] = [4, 5]; XCTAssertEqual(integerMedian(&up), 5)
        var top: [Int64] = [.max, .max - 1]; XCTAssertEqual(integerMedian(&top), .max)
        var bottom: [Int64] = [.min, .min + 1]; XCTAssertEqual(integerMedian(&bottom), .min)
        var big: [Int64] = [9_007_199_254_740_993, 9_007_199_254_740_995]
        XCTAssertEqual(integerMedian(&big), 9_007_199_254_740_994, "exact past 2^53")
        var none: [Int64] = []; XCTAssertNil(integerMedian(&none))
    }

    func testFillMedianOnHugeIntegersNoLongerCrashes() throws {
        let column = Column(name: "n", storage: .integer([.max, .max - 1, 0]), validity: Bitmap([true, true, false]))
        let table = try Table(columns: [column])
        let step = CleanStep(action: .missing(column: "n", action: .fillMedian), line: 3)
        let out = try Cleaner.run(table, steps: [step], dataset: "d", origin: "d.csv", definitionFile: "def.yaml")
        XCTAssertEqual(out.table["n"]?.string(at: 2), String(Int64.max))
        XCTAssertEqual(out.report.steps.first?.valuesFilled, 1)
    }
}
