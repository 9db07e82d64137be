import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The shape-only read behind `seg import`: every record is parsed and checked, only the first chunk's values are
/// kept, and the count covers the whole file. Small chunks make every file many chunks long.
final class ReaderShapeTests: XCTestCase {
    private func read(_ text: String, chunk: Int, threads: Int, shape: ReadShape?, delimiter: TextFormat.Delimiter? = nil) throws -> Table {
        var o = ReadOptions()
        o.allText = true
        o.chunkBytes = chunk
        o.threads = threads
        o.shape = shape
        o.format.delimiter = delimiter
        return try DataReader.parseCSV(Array(text.utf8), origin: "big.csv", options: o)
    }

    private func errorText(_ body: () throws -> Table) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testCountsEveryRecordAndKeepsOnlyTheFirstChunk() throws {
        var text = "id,city,note\n"
        for i in 0..<2_000 { text += "\(i),\"Washington, D.C.\",\"line \(i)\nsecond line\"\n\n" }
        let full = try read(text, chunk: 1 << 20, threads: 1, shape: nil)
        for threads in [1, 2] {
            let shape = ReadShape()
            let head = try read(text, chunk: 256, threads: threads, shape: shape)
            XCTAssertEqual(shape.rows, full.rowCount, "threads \(threads)")
            XCTAssertEqual(shape.rows, 2_000)
            XCTAssertEqual(head.columnNames, ["id", "city", "note"])
            XCTAssertGreaterThan(head.rowCount, 0)
            XCTAssertLessThan(head.rowCount, 20, "only the first 256-byte chunk's rows are kept")
            XCTAssertEqual(head["city"]?.string(at: 0), "Washington, D.C.")
        }
    }

    /// A broken record far into the file is still found, at its own line, as a full read finds it.
    func testErrorsInLaterChunksNameTheirLine() {
        var rows = "a,b\n"
        for i in 0..<3_000 { rows += "\(i),x\n" }
        let badCount = rows + "3000,x,extra\n" + "3001,y\n"
        let badQuote = rows + "3000,\"unterminated\n"
        let badUTF8 = rows + "3000,caf\u{FFFD}\n"
        for text in [badCount, badQuote] {
            let whole = errorText { try read(text, chunk: 1 << 20, threads: 1, shape: nil) }
            XCTAssertTrue(whole.contains("line 3002"), whole)
            for threads in [1, 2] {
                XCTAssertEqual(errorText { try read(text, chunk: 512, threads: threads, shape: ReadShape()) }, whole)
            }
        }
        // Invalid UTF-8 (a lone continuation byte in place of the replacement character).
        var bytes = Array(badUTF8.utf8)
        let at = bytes.lastIndex(of: 0xEF)!
        bytes.replaceSubrange(at..<(at + 3), with: [0x80])
        var o = ReadOptions(); o.allText = true; o.chunkBytes = 512; o.threads = 2; o.shape = ReadShape()
        let message = errorText { try DataReader.parseCSV(bytes, origin: "big.csv", options: o) }
        XCTAssertTrue(message.contains("big.csv") && message.contains("line 3002") && message.contains("UTF-8"), message)
    }

    func testWhitespaceFilesToo() throws {
        var text = ""
        for i in 0..<1_500 { text += "\(i)   20240101  \(i % 7)\n" }
        var o = ReadOptions(); o.allText = true; o.chunkBytes = 128; o.threads = 2
        o.format.delimiter = .whitespace; o.format.header = false; o.format.columns = ["id", "day", "n"]
        let shape = ReadShape(); o.shape = shape
        let head = try DataReader.parseCSV(Array(text.utf8), origin: "w.txt", options: o)
        XCTAssertEqual(shape.rows, 1_500)
        XCTAssertLessThan(head.rowCount, 1_500)
    }
}
