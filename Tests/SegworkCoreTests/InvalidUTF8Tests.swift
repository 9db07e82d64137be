import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Ill-formed UTF-8: an error naming the line by default, U+FFFD per maximal subpart with `replaceInvalidUTF8`.
final class InvalidUTF8Tests: XCTestCase {
    private func repair(_ bytes: [UInt8]) -> ByteScan.UTF8Repair? {
        bytes.withUnsafeBufferPointer { ByteScan.repairUTF8($0) }
    }

    private let fffd: [UInt8] = [0xEF, 0xBF, 0xBD]

    func testValidTextIsNotCopied() {
        XCTAssertNil(repair(Array("plain ascii, ünïcödé, 𝄞 and a NUL \u{0}".utf8)))
        XCTAssertNil(repair([]))
    }

    func testMaximalSubpartsAsTheUnicodeStandardShows() {
        // Unicode 15 §3.9, table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 → a FFFD FFFD FFFD b FFFD c FFFD FFFD d.
        let input: [UInt8] = [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64]
        let r = repair(input)
        XCTAssertEqual(r?.bytes, [0x61] + fffd + fffd + fffd + [0x62] + fffd + [0x63] + fffd + fffd + [0x64])
        XCTAssertEqual(r?.replacements, 6)
        XCTAssertEqual(r?.firstOffset, 1)
        for (bytes, count) in [([0xC0, 0xAF] as [UInt8], 2), ([0xE0, 0x80, 0xAF], 3), ([0xED, 0xA0, 0x80], 3),
                               ([0xF4, 0x90, 0x80, 0x80], 4), ([0xE2, 0x82], 1), ([0xF0, 0x9F, 0x98], 1),
                               ([0xFF], 1), ([0xE2, 0x82, 0x41], 1)] {
            XCTAssertEqual(repair(bytes)?.replacements, count, "\(bytes)")
        }
        // Good sequences after a bad one are kept, including long runs of ASCII (the 8-byte fast path).
        let tail = Array("€ and then some plain ASCII text".utf8)
        XCTAssertEqual(repair([0x80] + tail)?.bytes, fffd + tail)
        XCTAssertEqual(repair(Array("0123456789abcdef".utf8) + [0xC3])?.bytes, Array("0123456789abcdef".utf8) + fffd)
    }

    func testReadersStopByDefaultAndReplaceWhenAsked() throws {
        let csv: [UInt8] = Array("id,name\n1,Ann\n2,B".utf8) + [0xE9] + Array("a\n3,Caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        assertDataError(try DataReader.parseCSV(csv, origin: "t.csv"), line: 3, "not valid UTF-8", "0xE9")
        let warnings = ReadWarnings()
        let t = try DataReader.parseCSV(csv, origin: "t.csv", options: ReadOptions(replaceInvalidUTF8: true, warnings: warnings))
        XCTAssertEqual(texts(t, "name"), ["Ann", "B\u{FFFD}a", "Caf\u{FFFD}("])
        XCTAssertEqual(warnings.messages, ["t.csv: replaced 2 invalid UTF-8 sequences with U+FFFD (first on line 3), as the definition's invalid_utf8: replace asks"])

        let jsonl: [UInt8] = Array("{\"id\": 1, \"n\": \"x".utf8) + [0xF0, 0x9F] + Array("\"}\n".utf8)
        assertDataError(try DataReader.parseJSONLines(jsonl, origin: "t.jsonl"), line: 1, "not valid UTF-8")
        let j = try DataReader.parseJSONLines(jsonl, origin: "t.jsonl", options: ReadOptions(replaceInvalidUTF8: true))
        XCTAssertEqual(texts(j, "n"), ["x\u{FFFD}"])
    }

    func testNULStaysAnErrorWithReplacement() {
        let csv: [UInt8] = Array("id,name\n1,A".utf8) + [0xFF] + Array("\n2,B".utf8) + [0x00] + Array("\n".utf8)
        assertDataError(try DataReader.parseCSV(csv, origin: "t.csv", options: ReadOptions(replaceInvalidUTF8: true)),
                        line: 3, "NUL byte")
    }
}
