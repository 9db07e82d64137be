import XCTest
@testable import SegworkCore

/// The number formats of profiles.md (MarkdownNumbers.swift): one fixed format per kind, thousands separators,
/// no `-0`, `-` for undefined.
final class MarkdownNumberTests: XCTestCase {
    func testMoneyHasTwoDecimalsAndSeparators() {
        XCTAssertEqual(MarkdownText.money(103325495.52), "103,325,495.52")
        XCTAssertEqual(MarkdownText.money(999.999), "1,000.00")
        XCTAssertEqual(MarkdownText.money(-1234567.5), "-1,234,567.50")
        XCTAssertEqual(MarkdownText.money(12), "12.00")
        XCTAssertEqual(MarkdownText.money(-0.001), "0.00", "no -0")
        // Beyond 10^15 in magnitude: four significant digits, not hundreds of them.
        XCTAssertEqual(MarkdownText.money(999_999_999_999_999), "999,999,999,999,999.00")
        XCTAssertEqual(MarkdownText.money(1e15), "1.000e+15")
        XCTAssertEqual(MarkdownText.statistic(-6.8402777e283, date: false), "-6.840e+283")
        XCTAssertEqual(MarkdownText.count(1.2345e300), "1.234e+300")
        XCTAssertEqual(MarkdownText.money(-0.0), "0.00")
        XCTAssertEqual(MarkdownText.money(nil), "-")
    }

    func testCountsAreGroupedIntegers() {
        XCTAssertEqual(MarkdownText.count(12345), "12,345")
        XCTAssertEqual(MarkdownText.count(999), "999")
        XCTAssertEqual(MarkdownText.count(1000), "1,000")
        XCTAssertEqual(MarkdownText.count(-1234), "-1,234")
        XCTAssertEqual(MarkdownText.count(0), "0")
        XCTAssertEqual(MarkdownText.count(Double?(1234.6)), "1,235", "a summed count to the nearest integer")
        XCTAssertEqual(MarkdownText.count(Double?.none), "-")
    }

    func testSharesArePercentsWithOneDecimal() {
        XCTAssertEqual(MarkdownText.percent(0.222222), "22.2%")
        XCTAssertEqual(MarkdownText.percent(1), "100.0%")
        XCTAssertEqual(MarkdownText.percent(12.5), "1,250.0%")
        XCTAssertEqual(MarkdownText.percent(-0.0004), "0.0%", "no -0.0%")
        XCTAssertEqual(MarkdownText.percent(-0.25), "-25.0%")
        XCTAssertEqual(MarkdownText.percent(nil), "-")
        XCTAssertEqual(Scorecard.signedPercent(0.125), "+12.5%")
    }

    func testRatiosIndexAndStatistics() {
        XCTAssertEqual(MarkdownText.ratio(1.666666), "1.67")
        XCTAssertEqual(MarkdownText.ratio(-1.8), "-1.80")
        XCTAssertEqual(MarkdownText.ratio(nil), "-")
        XCTAssertEqual(MarkdownText.index(84.8484), "85")
        XCTAssertEqual(MarkdownText.index(152345.5), "152,346")
        XCTAssertEqual(MarkdownText.index(-0.3), "0")
        XCTAssertEqual(MarkdownText.statistic(3.5, date: false), "3.50")
        XCTAssertEqual(MarkdownText.statistic(46450.8, date: false), "46,450.80")
        XCTAssertEqual(MarkdownText.statistic(0.00041234, date: false), "0.00041", "small values keep two significant digits")
        XCTAssertEqual(MarkdownText.statistic(-0.0012, date: false), "-0.0012")
        XCTAssertEqual(MarkdownText.statistic(0.005, date: false), "0.01")
        XCTAssertEqual(MarkdownText.statistic(1e-300, date: false), "0.000000000000")
        XCTAssertEqual(MarkdownText.statistic(0, date: false), "0.00")
        XCTAssertEqual(MarkdownText.statistic(19783, date: true), "2024-03-01")
        XCTAssertEqual(MarkdownText.statistic(nil, date: true), "-")
    }

    func testGroupingLeavesOtherTextAlone() {
        XCTAssertEqual(MarkdownText.grouped("-"), "-")
        XCTAssertEqual(MarkdownText.grouped("1234567.891"), "1,234,567.891")
        XCTAssertEqual(MarkdownText.grouped("123"), "123")
        XCTAssertEqual(MarkdownText.grouped("-123456"), "-123,456")
    }
}
