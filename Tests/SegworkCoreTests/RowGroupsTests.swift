import XCTest
@testable import SegworkData

/// `RowGroups` (what `dedupe` groups rows by, issue 11) against the rule it replaces: rows are duplicates when the
/// key columns' values, as Segwork writes them (`Column.string(at:)`), have the same bytes; a missing value is never
/// a duplicate.
final class RowGroupsTests: XCTestCase {
    /// The old dedupe's grouping: a dictionary from the key's texts (their UTF-8 bytes) to the first row that had them.
    private func reference(_ keys: [Column]) -> [Int32] {
        var first: [[[UInt8]]: Int32] = [:]
        return (0..<(keys.first?.count ?? 0)).map { i in
            let parts = keys.compactMap { $0.string(at: i).map { Array($0.utf8) } }
            guard parts.count == keys.count else { return -1 }
            if let f = first[parts] { return f }
            first[parts] = Int32(i)
            return Int32(i)
        }
    }

    private struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; return z ^ (z >> 27) }
    }

    private func validity(_ n: Int, _ rng: inout Seeded) -> Bitmap? {
        var b = Bitmap(count: n, allSet: true)
        for i in 0..<n where Int.random(in: 0..<10, using: &rng) == 0 { b[i] = false }
        return b
    }

    func testAwkwardKeysGroupAsTheirTextDoes() throws {
        var rng = Seeded(state: 42)
        let n = 5_000
        let doubles: [Double] = [0, -0.0, .nan, -.nan, 1.5, 0.1 + 0.2, 0.3, 1e300, -1e-300, 7]
        // A dictionary holding a text twice, an empty text, and a composed and a decomposed é (equal Swift strings,
        // different bytes: different values, as in pandas, polars and DuckDB).
        let dictionary = ["a", "b", "a", "", "é", "e\u{301}", "=cmd", "7"]
        for round in 0..<6 {
            let int = Column(name: "i", storage: .integer((0..<n).map { _ in Int64.random(in: -3...3, using: &rng) }), validity: validity(n, &rng))
            let dbl = Column(name: "d", storage: .double((0..<n).map { _ in doubles.randomElement(using: &rng)! }), validity: validity(n, &rng))
            let txt = Column(name: "s", storage: .string(codes: (0..<n).map { _ in Int32.random(in: 0..<Int32(dictionary.count), using: &rng) },
                                                         dictionary: dictionary), validity: validity(n, &rng))
            let day = Column(name: "t", storage: .date((0..<n).map { _ in Int32.random(in: 19_000...19_003, using: &rng) }), validity: nil)
            let flag = Column(name: "b", storage: .bool((0..<n).map { _ in Bool.random(using: &rng) }), validity: nil)
            let all = [int, dbl, txt, day, flag]
            let keys = Array(all.shuffled(using: &rng).prefix(1 + round % all.count))
            XCTAssertEqual(RowGroups.leaders(keys), reference(keys), "round \(round): \(keys.map(\.name))")
        }
        // Text vs number keys: "7" in a text column and 7 in an integer column are different columns, never compared;
        // within one column, 0 and -0.0 are one value and every NaN another.
        let d = Column(name: "d", storage: .double([0, -0.0, .nan, -.nan, 1]), validity: nil)
        XCTAssertEqual(RowGroups.leaders([d]), [0, 0, 2, 2, 4])
        XCTAssertEqual(RowGroups.leaders([]), [])
        let accents = Column(name: "s", storage: .string(codes: [0, 1, 2, 1, 0], dictionary: ["é", "e\u{301}", "é"]), validity: nil)
        XCTAssertEqual(RowGroups.leaders([accents]), [0, 1, 0, 1, 0])
    }

    func testRowsScatterIntoEveryPartAndKeepTableOrderWithMissingKeys() {
        // Enough rows that every one of the 64 parts holds many, some keys missing: each group's leader is its first
        // row in table order, whichever part and block it landed in.
        var rng = Seeded(state: 7)
        let n = 300_007
        let a = Column(name: "a", storage: .integer((0..<n).map { _ in Int64.random(in: 0..<40_000, using: &rng) }), validity: validity(n, &rng))
        let b = Column(name: "b", storage: .string(codes: (0..<n).map { _ in Int32.random(in: 0..<3, using: &rng) }, dictionary: ["x", "y", "x"]), validity: nil)
        let expected = reference([a, b])
        XCTAssertEqual(RowGroups.leaders([a, b]), expected)
        // The same rows spread over 128, 512 and 1,024 parts (what 10 M, 60 M and 130 M rows get by default).
        for partRows in [4_096, 1_024, 64] { XCTAssertEqual(RowGroups.leaders([a, b], partRows: partRows), expected, "\(partRows)") }
    }

    func testManyRowsSpanSeveralHashChunks() {
        let n = 200_003  // more than three chunks of 65,536
        let c = Column(name: "k", storage: .integer((0..<n).map { Int64($0 % 1_000) }), validity: nil)
        let leaders = RowGroups.leaders([c])
        XCTAssertEqual(leaders.count, n)
        XCTAssertTrue((0..<n).allSatisfy { leaders[$0] == Int32($0 % 1_000) })
    }
}
