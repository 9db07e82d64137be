import XCTest
@testable import SegworkData

/// The ranking and quantile-binning kernels (SegworkData/Stats/Ranks.swift, QuantileBins.swift), with answers
/// checked by hand against pandas' and R's definitions.
final class RankBinsTests: XCTestCase {
    func testFirstRanksBreakTiesByPositionOrKey() {
        // pandas: Series([3, 1, 3, 2, 3]).rank(method="first") -> 3, 1, 4, 2, 5
        XCTAssertEqual(Ranks.first([3, 1, 3, 2, 3]), [3, 1, 4, 2, 5])
        // With tie keys 2, 0, 0, 0, 1 the three 3s are numbered in key order: position 2, then 4, then 0.
        XCTAssertEqual(Ranks.first([3, 1, 3, 2, 3], tie: [2, 0, 0, 0, 1]), [5, 1, 3, 2, 4])
    }

    func testAverageRanksShareTheMean() {
        // pandas: Series([3, 1, 3, 2, 3]).rank() -> 4, 1, 4, 2, 4 (ranks 3, 4, 5 averaged)
        XCTAssertEqual(Ranks.average([3, 1, 3, 2, 3]), [4, 1, 4, 2, 4])
        XCTAssertEqual(Ranks.average([7, 7]), [1.5, 1.5])
    }

    func testIdOrderByNumberOrByText() {
        XCTAssertEqual(Ranks.idOrder(integers: [10, 9, 100, 9]), [1, 0, 2, 0])
        XCTAssertEqual(Ranks.idOrder(texts: ["10", "9", "100", "Ab", "ab"]), [0, 2, 1, 3, 4])
        // All integers: numeric order as pandas reads them, equal numbers by their text.
        XCTAssertEqual(Ranks.idOrder(texts: ["10", "9", "100", "009"], numeric: true), [2, 1, 3, 0])
        // As text (pypi_rfm's first_by_text_id: the package ranks astype(str) ids): byte order even then.
        XCTAssertEqual(Ranks.idOrder(texts: ["10", "9", "100", "009"]), [1, 3, 2, 0])
        XCTAssertEqual(Ranks.idOrder(texts: ["10", "9", "x"], numeric: true), [0, 1, 2], "not all integers: bytes")
    }

    func testProbabilitiesAsNumpyAndPandasMakeThem() {
        XCTAssertEqual(QuantileBins.probabilities(5, formula: .r), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        // pandas 3 moves 3 * 0.2 (not exactly 3/5 times 5) one step up.
        XCTAssertEqual(QuantileBins.probabilities(5, formula: .pandas)[3], 0.6000000000000001.nextUp)
        XCTAssertEqual(QuantileBins.probabilities(4, formula: .pandas), [0, 0.25, 0.5, 0.75, 1])
    }

    func testREdgesMatchRsQuantile() {
        // R: quantile(c(1, 2, 4, 8, 16), seq(0, 1, length.out = 5)) -> 1 2 4 8 16;  c(1, 2, 3, 4) -> 1 1.75 2.5 3.25 4
        XCTAssertEqual(QuantileBins.edges(sorted: [1, 2, 4, 8, 16], bins: 4, formula: .r), [1, 2, 4, 8, 16])
        XCTAssertEqual(QuantileBins.edges(sorted: [1, 2, 3, 4], bins: 4, formula: .r), [1, 1.75, 2.5, 3.25, 4])
        XCTAssertEqual(QuantileBins.edges(sorted: [1, 2, 3, 4], bins: 4, formula: .pandas), [1, 1.75, 2.5, 3.25, 4])
    }

    func testDuplicateEdgesKeptOrDropped() {
        // Values 1 1 1 1 2 5: quartile edges 1, 1, 1, 1.75, 5.
        let sorted: [Double] = [1, 1, 1, 1, 2, 5]
        let keep = QuantileBinRule(bins: 4, closed: .right, dropDuplicateEdges: false, formula: .pandas)
        XCTAssertEqual(QuantileBins.interior(sorted: sorted, rule: keep), [1, 1, 1.75])
        let drop = QuantileBinRule(bins: 4, closed: .right, dropDuplicateEdges: true, formula: .pandas)
        XCTAssertEqual(QuantileBins.interior(sorted: sorted, rule: drop), [1.75])
        // Keep: 1 -> bin 1, 2 -> bin 4 (bins 2, 3 empty); drop: 1 -> bin 1, 2 -> bin 2 of 2.
        XCTAssertEqual(QuantileBins.scores([1, 2, 5], interior: [1, 1, 1.75], closed: .right, descending: false), [1, 4, 4])
        XCTAssertEqual(QuantileBins.scores([1, 2, 5], interior: [1.75], closed: .right, descending: false), [1, 2, 2])
        XCTAssertEqual(QuantileBins.scores([1, 2, 5], interior: [1.75], closed: .right, descending: true), [2, 1, 1])
        // One distinct value: no interior edge, everyone in bin 1.
        XCTAssertEqual(QuantileBins.interior(sorted: [3, 3, 3], rule: drop), [])
    }

    func testClosedSideAndOffset() {
        // A value on a breakpoint: right-closed puts it below, left-closed above.
        XCTAssertEqual(QuantileBins.scores([2], interior: [2], closed: .right, descending: false), [1])
        XCTAssertEqual(QuantileBins.scores([2], interior: [2], closed: .left, descending: false), [2])
        // R rfm adds 1 to each breakpoint: values 1…5, quintile edges 1.8 2.6 3.4 4.2 -> 2.8 3.6 4.4 5.2.
        let cran = QuantileBinRule(bins: 5, closed: .left, dropDuplicateEdges: false, formula: .r, offset: 1)
        let interior = QuantileBins.interior(sorted: [1, 2, 3, 4, 5], rule: cran)
        XCTAssertEqual(interior.count, 4)
        for (a, b) in zip(interior, [2.8, 3.6, 4.4, 5.2]) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(QuantileBins.scores([1, 2, 3, 4, 5], interior: interior, closed: .left, descending: false),
                       [1, 1, 2, 3, 4])
    }

    func testRankFirstQcutGivesEqualBins() {
        // pandas: qcut(Series([5]*10).rank(method="first"), 5, labels=False) + 1 -> 1 1 2 2 3 3 4 4 5 5
        let ranks = Ranks.first(Array(repeating: 5, count: 10))
        let rule = QuantileBinRule(bins: 5, closed: .right, dropDuplicateEdges: true, formula: .pandas)
        let interior = QuantileBins.interior(sorted: ranks.sorted(), rule: rule)
        XCTAssertEqual(QuantileBins.scores(ranks, interior: interior, closed: .right, descending: false),
                       [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    }
}

extension RankBinsTests {
    func testWholeNumberAndFractionalPathsOrderAlike() {
        // Whole numbers take the packed-integer sort, anything else the general one: same rule either way.
        let whole: [Double] = [4, 0, 4, 2, 0, 4]
        let tie: [Int32] = [3, 5, 1, 0, 2, 4]
        XCTAssertEqual(Ranks.order(whole, tie: tie), [4, 1, 3, 2, 0, 5])
        XCTAssertEqual(Ranks.order(whole.map { $0 + 0.5 }, tie: tie), [4, 1, 3, 2, 0, 5])
        XCTAssertEqual(Ranks.order(whole), [1, 4, 3, 0, 2, 5])
        XCTAssertEqual(Ranks.order(whole.map { $0 - 10 }), [1, 4, 3, 0, 2, 5])
    }
}
