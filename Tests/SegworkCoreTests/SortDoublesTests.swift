import XCTest
@testable import SegworkData

/// `SortDoubles` must give exactly the bits Swift's stable `sort()` gives: same values, and `-0.0` / `0.0` in their
/// input order (they are equal under `<`).
final class SortDoublesTests: XCTestCase {
    private struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; return z ^ (z >> 27) }
    }

    private func assertSameAsSort(_ values: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = values.sorted().map(\.bitPattern)
        XCTAssertEqual(SortDoubles.sorted(values).map(\.bitPattern), expected, what, file: file, line: line)
    }

    func testEveryShapeSortsAsSortDoes() {
        var rng = Seeded(state: 11)
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 0.1, 1e-300]
        let n = 50_000
        assertSameAsSort((0..<n).map { _ in Double.random(in: -1e6...1e6, using: &rng) }, "uniform")
        assertSameAsSort((0..<n).map { _ in special.randomElement(using: &rng)! }, "special values, zeros of both signs interleaved")
        assertSameAsSort((0..<n).map { _ in Double(Int.random(in: 0...400, using: &rng)) }, "small integers (most passes skipped)")
        assertSameAsSort((0..<n).map { _ in Double(bitPattern: rng.next()) }.filter { !$0.isNaN }, "any bits")
        assertSameAsSort((0..<n).map { i in i % 2 == 0 ? -0.0 : 0.0 }, "only zeros")
        assertSameAsSort([Double](repeating: 7.25, count: n), "all equal (every pass skipped)")
        assertSameAsSort((0..<n).map { Double(n - $0) * 0.01 }, "descending cents")
        assertSameAsSort((0..<SortDoubles.radixFrom - 1).map { _ in Double.random(in: -1...1, using: &rng) }, "short: sort()")
        assertSameAsSort([], "empty")
    }

    func testANaNFallsBackToSort() {
        var values = (0..<10_000).map { Double($0 % 97) }
        values[5_000] = .nan
        let expected = values.sorted()
        let got = SortDoubles.sorted(values)
        XCTAssertEqual(got.count, expected.count)
        XCTAssertTrue(zip(got, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "NaN: exactly what sort() gives")
    }
}
