import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The ASCII fast path of `standardise` must give exactly what Foundation and ICU give: every ASCII character alone
/// and in runs, and many seeded random ASCII strings, through every combination of trim, collapse and case.
final class StandardiseFastPathTests: XCTestCase {
    private var specs: [StandardiseSpec] {
        var out: [StandardiseSpec] = []
        for trim in [false, true] {
            for collapse in [false, true] {
                for textCase in [nil, TextCase.upper, .lower] {
                    var s = StandardiseSpec(column: "c")
                    s.trim = trim; s.collapseWhitespace = collapse; s.textCase = textCase
                    out.append(s)
                }
            }
        }
        return out
    }

    private func assertSame(_ value: String, file: StaticString = #filePath, line: UInt = #line) {
        for s in specs {
            let fast = ASCIIText.transform(value, s)
            let slow = Cleaner.unicodeTransform(value, s, whitespace: Cleaner.whitespaceRun())
            XCTAssertEqual(fast, slow, "\(value.debugDescription) trim \(s.trim) collapse \(s.collapseWhitespace) case \(String(describing: s.textCase))",
                           file: file, line: line)
        }
    }

    func testEveryASCIICharacter() {
        for c in 0..<128 {
            let ch = String(Unicode.Scalar(UInt8(c)))
            for value in [ch, "a\(ch)b", "\(ch)\(ch)x\(ch)\(ch)", " \(ch) Y \(ch)\t"] { assertSame(value) }
        }
    }

    func testSeededRandomASCII() {
        var rng = SplitMix64(seed: 11)
        let alphabet = Array(" \t\n\r\u{0B}\u{0C}\u{1C}\u{1F}aZz09@.-_,\"'".unicodeScalars)
        for _ in 0..<3_000 {
            let n = Int(rng.next() % 12)
            let value = String(String.UnicodeScalarView((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
            assertSame(value)
        }
    }

    func testNonASCIITakesTheUnicodePath() {
        var s = StandardiseSpec(column: "c"); s.trim = true; s.textCase = .upper
        XCTAssertNil(ASCIIText.transform(" straße\u{00A0}", s), "not ASCII: no fast answer")
        XCTAssertEqual(Cleaner.transform(" straße\u{00A0}", s), "STRASSE", "Foundation's rules: ß upper-cases to SS, NBSP is trimmed")
        XCTAssertEqual(Cleaner.transform("  ada@EXAMPLE.com ", { var t = s; t.textCase = .lower; return t }()), "ada@example.com")
    }
}
