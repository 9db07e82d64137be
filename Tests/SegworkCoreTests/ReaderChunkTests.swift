import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The parallel reader cuts files into chunks parsed on several threads. Whatever the chunk size and thread
/// count, the table (types, values, dictionary order, row lines) and the first error must be what one pass over
/// the whole file gives. These tests use chunks of a few bytes so every record boundary case is crossed.
final class ReaderChunkTests: XCTestCase {
    private func options(_ base: ReadOptions, chunk: Int, threads: Int) -> ReadOptions {
        var o = base
        o.chunkBytes = chunk
        o.threads = threads
        return o
    }

    /// A printable form of everything a table holds, to compare two reads.
    private func dump(_ t: Table) -> String {
        var s = "rows \(t.rowCount)\n"
        for c in t.columns {
            s += "\(c.name): \(c.type) missing \(c.missingCount)"
            if case .string(_, let d) = c.storage { s += " dict \(d)" }
            s += "\n  " + (0..<c.count).map { c.string(at: $0).map { "\"\($0)\"" } ?? "nil" }.joined(separator: ",") + "\n"
        }
        if let l = t.rowLines { s += "lines " + (0..<t.rowCount).map { String(l.line(of: $0)) }.joined(separator: ",") }
        return s
    }

    private func outcome(_ body: () throws -> Table) -> String {
        do { return dump(try body()) } catch { return "error: \(error)" }
    }

    /// Reads `text` whole (one chunk, one thread) and in every small chunk size on 1 and 2 threads; all must agree.
    private func assertChunkingInvariant(csv text: String, schema: [String: ColumnType] = [:],
                                         file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let base = ReadOptions(schema: schema)
        let whole = outcome { try DataReader.parseCSV(bytes, origin: "t.csv", options: options(base, chunk: 1 << 20, threads: 1)) }
        for chunk in [16, 17, 19, 23, 32, 64] {
            for threads in [1, 2] {
                let got = outcome { try DataReader.parseCSV(bytes, origin: "t.csv", options: options(base, chunk: chunk, threads: threads)) }
                XCTAssertEqual(got, whole, "chunk \(chunk), threads \(threads)", file: file, line: line)
            }
        }
    }

    private func assertChunkingInvariant(jsonl text: String, schema: [String: ColumnType] = [:],
                                         file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let base = ReadOptions(schema: schema)
        let whole = outcome { try DataReader.parseJSONLines(bytes, origin: "t.jsonl", options: options(base, chunk: 1 << 20, threads: 1)) }
        for chunk in [16, 17, 29, 64] {
            for threads in [1, 2] {
                let got = outcome { try DataReader.parseJSONLines(bytes, origin: "t.jsonl", options: options(base, chunk: chunk, threads: threads)) }
                XCTAssertEqual(got, whole, "chunk \(chunk), threads \(threads)", file: file, line: line)
            }
        }
    }

    func testAwkwardCSVReadsTheSameInAnyChunking() {
        assertChunkingInvariant(csv: "\u{FEFF}id,name,amount\n1,\"Smith, J\",10.5\n2,\"say \"\"hi\"\"\",-0\n3,\"two\nlines\",1e309\n\n4,plain,NaN\n")
        assertChunkingInvariant(csv: "id,v\r\n1,a\r\n2,b\r\n3,\"x\r\ny\"\r\n4,c\r\n")
        assertChunkingInvariant(csv: "id,v\r1,a\r2,b\r\r3,c\r")
        assertChunkingInvariant(csv: "id,v\n1,\n2,\"\"\n3,x\n4,\n5,\"\"\n6,\n7,\n8,\n")
        assertChunkingInvariant(csv: "id,v\n1,\n2,\n3,\n4,\n5,\n6,\"\"\n")
        assertChunkingInvariant(csv: "a,b\n" + String(repeating: "x", count: 200) + ",1\n2,2\n")
    }

    func testColumnsWhoseTypeChangesLateAreTypedOverTheWholeFile() throws {
        // Integers first, a double far later: the whole column is double.
        let ints = (1...40).map { "\($0),\($0)" }.joined(separator: "\n")
        assertChunkingInvariant(csv: "id,v\n" + ints + "\n41,2.5\n")
        // Integers first, text later: every value keeps its spelling (00007 is not 7).
        assertChunkingInvariant(csv: "id,v\n" + (1...30).map { "\($0),0000\($0 % 10)" }.joined(separator: "\n") + "\n31,abc\n")
        // Dates and date-times in different chunks make text; booleans after integers make text.
        assertChunkingInvariant(csv: "d\n" + Array(repeating: "2024-01-02", count: 20).joined(separator: "\n") + "\n2024-01-02T10:00:00Z\n")
        assertChunkingInvariant(csv: "b\n" + Array(repeating: "1", count: 20).joined(separator: "\n") + "\ntrue\n")
        // Empty chunks before and after typed ones.
        assertChunkingInvariant(csv: "id,v\n" + (1...20).map { "\($0)," }.joined(separator: "\n") + "\n21,7\n22,\"\"\n23,\n")

        var o = ReadOptions()
        o.chunkBytes = 16; o.threads = 2
        let text = "id,v\n" + (1...30).map { "\($0),0000\($0 % 10)" }.joined(separator: "\n") + "\n31,abc\n"
        let t = try DataReader.parseCSV(Array(text.utf8), origin: "t.csv", options: o)
        XCTAssertEqual(t["v"]?.type, .string)
        XCTAssertEqual(t["v"]?.string(at: 6), "00007")
    }

    func testErrorsInLaterChunksNameTheFileLine() {
        var o = ReadOptions()
        o.chunkBytes = 16; o.threads = 2
        let rows = (1...50).map { "\($0),x" }
        var bad = rows
        bad[37] = "38,x,extra"
        assertDataError(try DataReader.parseCSV(Array(("id,v\n" + bad.joined(separator: "\n") + "\n").utf8), origin: "t.csv", options: o),
                        line: 39, "3 fields", "header has 2")
        // The first error in the file wins, whichever thread finds its error first.
        bad[44] = "45"
        assertDataError(try DataReader.parseCSV(Array(("id,v\n" + bad.joined(separator: "\n") + "\n").utf8), origin: "t.csv", options: o),
                        line: 39, "3 fields")
        // Invalid UTF-8 and NUL far into the file.
        var bytes = Array(("id,v\n" + rows.joined(separator: "\n") + "\n").utf8)
        bytes.insert(0xFF, at: bytes.count - 2)
        assertDataError(try DataReader.parseCSV(bytes, origin: "t.csv", options: o), line: 51, "not valid UTF-8")
        // An unclosed quote: the feed grows the chunk until the end, the tokenizer names the opening line.
        assertDataError(try DataReader.parseCSV(Array(("id,v\n" + rows[0..<20].joined(separator: "\n") + "\n21,\"open\n22,x\n").utf8),
                                                origin: "t.csv", options: o), line: 22, "never closed")
        // A value that does not fit the schema type, in a late chunk.
        assertDataError(try DataReader.parseCSV(Array(("id,v\n" + rows.joined(separator: "\n") + "\n").utf8), origin: "t.csv",
                                                options: { var s = o; s.schema = ["v": .integer]; return s }()),
                        line: 2, column: "v", "'x' is not an integer")
    }

    func testJSONLinesReadTheSameInAnyChunking() {
        let lines = (1...30).map { "{\"id\": \($0), \"v\": \($0 % 3 == 0 ? "null" : "\"s\($0 % 4)\"")}" }
        assertChunkingInvariant(jsonl: lines.joined(separator: "\n") + "\n{\"id\": 31, \"late\": true}\n")
        assertChunkingInvariant(jsonl: "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n\n{\"id\": 1.5}\n")
        // Mixed kinds in different chunks: an error naming both lines.
        assertChunkingInvariant(jsonl: lines.joined(separator: "\n") + "\n{\"v\": 3}\n")
        var o = ReadOptions()
        o.chunkBytes = 16; o.threads = 2
        assertDataError(try DataReader.parseJSONLines(Array((lines.joined(separator: "\n") + "\n{\"v\": 3}\n").utf8),
                                                      origin: "t.jsonl", options: o),
                        line: 31, column: "v", "a number", "on line 1 it is text")
    }

    func testReplacementAndDateFormatsWorkInEveryChunk() throws {
        var o = ReadOptions(dateFormats: ["d": [try DateFormat("%d/%m/%Y")]], replaceInvalidUTF8: true,
                            warnings: ReadWarnings())
        o.chunkBytes = 16; o.threads = 2
        var bytes = Array(("id,d,name\n" + (1...30).map { "\($0),0\($0 % 9 + 1)/02/2024,n\($0)" }.joined(separator: "\n") + "\n").utf8)
        bytes.insert(0xFF, at: bytes.count - 2)   // in the last record's name
        bytes.insert(0xC3, at: 40)                // in an early record
        let t = try DataReader.parseCSV(bytes, origin: "t.csv", options: o)
        XCTAssertEqual(t.rowCount, 30)
        XCTAssertEqual(t["d"]?.type, .date)
        XCTAssertEqual(t["d"]?.string(at: 29), "2024-02-04")
        XCTAssertEqual(t["name"]?.string(at: 29), "n3\u{FFFD}0")
        XCTAssertEqual(o.warnings?.messages.count, 1)
        XCTAssertTrue(o.warnings!.messages[0].contains("replaced 2 invalid UTF-8 sequences"), "\(o.warnings!.messages)")
    }

    func testRowLinesFollowBlankLinesAndQuotedLineBreaks() throws {
        var o = ReadOptions()
        o.chunkBytes = 16; o.threads = 2
        let t = try DataReader.parseCSV(Array("id,v\n1,a\n\n\n2,\"b\nc\"\n3,d\n\n4,e\n".utf8), origin: "t.csv", options: o)
        XCTAssertEqual((0..<t.rowCount).map { t.rowLines!.line(of: $0) }, [2, 5, 7, 9])
    }

    func testLineCountingAndBitmapAppends() {
        let text = Array("a\nb\r\nc\rd\n\r\n".utf8)
        XCTAssertEqual(text.withUnsafeBufferPointer { ChunkFeed.lineCount($0, loneCR: true) }, 5)
        XCTAssertEqual(text.withUnsafeBufferPointer { ChunkFeed.lineCount($0, loneCR: false) }, 4)
        let long = Array(String(repeating: "xy\n", count: 100).utf8)
        XCTAssertEqual(long.withUnsafeBufferPointer { ChunkFeed.lineCount($0, loneCR: false) }, 100)
        for (a, b) in [(0, 70), (3, 64), (63, 1), (64, 129), (5, 200)] {
            var x = Bitmap(count: 0, allSet: false)
            var expected: [Bool] = []
            for i in 0..<a { x.append(i % 3 == 0); expected.append(i % 3 == 0) }
            var y = Bitmap(count: b, allSet: false)
            for i in 0..<b where i % 5 == 1 { y[i] = true }
            x.append(contentsOf: y)
            expected += (0..<b).map { $0 % 5 == 1 }
            x.append(repeating: true, count: 70)
            expected += Array(repeating: true, count: 70)
            XCTAssertEqual(x, Bitmap(expected), "\(a) + \(b)")
        }
    }

    func testNumberParsingIsCorrectlyRoundedAndKeepsSpecialValues() {
        func parse(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer { ValueParsing.double($0) } }
        var rng = SystemRandomNumberGenerator()
        var samples = ["0", "-0", "0.0", "1e309", "-1e309", "1e-400", "NaN", "-inf", "Infinity", "0.1", "123.45",
                       "9007199254740993", "1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308",
                       "123456789012345678901234567890", "0.000000000000000000000000001", ".5", "5.", "+3", "1E5",
                       "999999999999999.9", "0.30000000000000004", "1e22", "1e23", "123456789012345e-22"]
        for _ in 0..<3000 {
            let digits = String((0..<Int.random(in: 1...20, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let cut = Int.random(in: 0...digits.count, using: &rng)
            let text = String(digits.prefix(cut)) + "." + String(digits.dropFirst(cut))
            samples.append(text == "." ? "0.0" : text)
            samples.append(digits + "e" + String(Int.random(in: -30...30, using: &rng)))
        }
        for s in samples {
            let expected = Double(s)
            let got = parse(s)
            if let e = expected, e.isNaN { XCTAssertTrue(got?.isNaN ?? false, s); continue }
            XCTAssertEqual(got?.bitPattern, expected?.bitPattern, s)
        }
        for bad in ["", "-", "e5", "1e", "1.2.3", "1,5", " 1", "0x10", "1e+", "--1"] { XCTAssertNil(parse(bad), bad) }
        XCTAssertEqual(parse("-0")?.sign, .minus)
    }

    func testByteDictionaryGivesEqualValuesOneCodeAndDifferentValuesDifferentCodes() {
        // Values of up to 16 bytes are compared in their slot, longer ones by bytes too: mix lengths around 16, shared
        // prefixes, and control bytes and zero padding.
        var d = ByteDictionary(keepStrings: false)
        var reference: [String: Int32] = [:]
        var rng = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", "\u{1}", "\u{7}", "\u{8}", "é"]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...20, using: &rng)
            let value = String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
            let code = value.withUTF8Bytes { d.code(for: $0) }
            if let known = reference[value] { XCTAssertEqual(code, known, value.debugDescription) } else {
                XCTAssertEqual(Int(code), reference.count, value.debugDescription)
                reference[value] = code
            }
        }
        XCTAssertEqual(d.count, reference.count)
        for (value, code) in reference { XCTAssertEqual(d.string(Int(code)), value) }
    }
}
