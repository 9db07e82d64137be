import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Parses text with a `TextFormat` (origin "t.txt").
func layout(_ text: String, _ format: TextFormat, schema: [String: ColumnType] = [:], textColumns: Set<String> = [],
            dateFormats: [String: [DateFormat]] = [:], chunk: Int? = nil, threads: Int? = nil) throws -> Table {
    var o = ReadOptions(schema: schema, textColumns: textColumns, dateFormats: dateFormats)
    o.format = format
    if let chunk { o.chunkBytes = chunk }
    if let threads { o.threads = threads }
    return try DataReader.parseCSV(Array(text.utf8), origin: "t.txt", options: o)
}

/// Delimiters other than a comma, files without a header, decimal commas (dataset options `delimiter`, `header`,
/// `columns`, `decimal`).
final class ReaderLayoutTests: XCTestCase {
    let cdnow = TextFormat(delimiter: .whitespace, header: false, columns: ["customer_id", "date", "quantity", "amount"])

    func testWhitespaceWithoutHeaderReadsCDNOWLines() throws {
        // Leading and trailing spaces, tabs, blank lines and lines of spaces only; a CRLF and a lone CR.
        let text = "00001 19970101  1  11.77\n  00002\t19970112 \t 1  12.00   \n\n   \n00002 19970113  5  77.00\r\n00003 19970102  2  20.76\r00010 19970101 1 0.5"
        let t = try layout(text, cdnow, textColumns: ["customer_id"],
                           dateFormats: ["date": [try DateFormat("%Y%m%d")]])
        XCTAssertEqual(t.columnNames, ["customer_id", "date", "quantity", "amount"])
        XCTAssertEqual(t.columns.map(\.type), [.string, .date, .integer, .double])
        XCTAssertEqual(texts(t, "customer_id"), ["00001", "00002", "00002", "00003", "00010"], "zero padding kept")
        XCTAssertEqual(texts(t, "date"), ["1997-01-01", "1997-01-12", "1997-01-13", "1997-01-02", "1997-01-01"])
        XCTAssertEqual(texts(t, "amount"), ["11.77", "12", "77", "20.76", "0.5"])
        XCTAssertEqual((0..<5).map { t.rowLines!.line(of: $0) }, [1, 2, 5, 6, 7], "lines of the file, blank ones counted")
    }

    func testWhitespaceWithHeaderAndQuotesAsText() throws {
        let t = try layout("  id   name  \n1 \"Ann\"\n2 O'Neil\n", TextFormat(delimiter: .whitespace))
        XCTAssertEqual(t.columnNames, ["id", "name"])
        XCTAssertEqual(texts(t, "name"), ["\"Ann\"", "O'Neil"], "no quoting: a quote is an ordinary character")
    }

    func testFieldCountErrorsNameTheLine() {
        assertDataError(try layout("00001 19970101 1 11.77\n\n00002 19970101 1\n", cdnow), line: 3,
                        "t.txt, line 3", "the record has 3 fields but columns names 4 (customer_id, date, quantity, amount)")
        let csvNoHeader = TextFormat(header: false, columns: ["a", "b"])
        assertDataError(try layout("1,2\n3,4\n5,6,7\n", csvNoHeader), line: 3, "the record has 3 fields but columns names 2")
        assertDataError(try layout("a b\n1 2\n3 4 5\n", TextFormat(delimiter: .whitespace)), line: 3,
                        "the record has 3 fields but the header has 2", "runs of spaces")
        assertDataError(try layout("\n  \n", cdnow), line: nil, "the file has no records", "customer_id, date")
        assertDataError(try layout("", cdnow), line: nil, "the file has no records")
    }

    func testACompactDateWithoutItsFormatSaysHowToDeclareIt() {
        assertDataError(try layout("00001 19970101 1 1.5\n", cdnow, schema: ["date": .date]), line: 1, column: "date",
                        "'19970101' is not a date (YYYY-MM-DD); the values look like dates written YYYYMMDD: declare "
                            + "the column in the dataset's schema as date: { format: \"%Y%m%d\" }")
        assertDataError(try layout("00001 19971301 1 1.5\n", cdnow, schema: ["date": .date]), line: 1, column: "date",
                        "fix the value or declare the column as string")
    }

    func testHeaderlessCSVKeepsTheFirstLineAsARecord() throws {
        let t = try layout("1,x\n2,y\n", TextFormat(header: false, columns: ["n", "s"]))
        XCTAssertEqual(t.rowCount, 2)
        XCTAssertEqual(texts(t, "n"), ["1", "2"])
        XCTAssertEqual(t.rowLines!.line(of: 0), 1)
    }

    func testSemicolonPipeAndTabDelimiters() throws {
        for (d, sep) in [(UInt8(ascii: ";"), ";"), (UInt8(ascii: "|"), "|"), (0x09, "\t")] {
            let t = try layout("id\(sep)city\(sep)n\n1\(sep)\"a\(sep)b\"\(sep)2\n2\(sep)c,d\(sep)3\n", TextFormat(delimiter: .byte(d)))
            XCTAssertEqual(texts(t, "city"), ["a\(sep)b", "c,d"], sep)
            XCTAssertEqual(t["n"]?.type, .integer, sep)
        }
    }

    func testDecimalComma() throws {
        let f = TextFormat(delimiter: .byte(UInt8(ascii: ";")), decimalComma: true)
        let t = try layout("id;amount;whole;label;point\n1;11,77;3;a,b;1.5\n2;-0,5;4;c;2.5\n3;1e3;5;,;3\n4;2,5E-1;6;x;4\n", f)
        XCTAssertEqual(t["amount"]?.type, .double)
        XCTAssertEqual(texts(t, "amount"), ["11.77", "-0.5", "1000", "0.25"])
        XCTAssertEqual(t["whole"]?.type, .integer)
        XCTAssertEqual(texts(t, "label"), ["a,b", "c", ",", "x"], "text keeps its commas")
        XCTAssertEqual(t["point"]?.type, .string, "a decimal point is not a number in a decimal-comma file")
        // Declared double: a point or a thousands separator is an error naming the line and column.
        assertDataError(try layout("id;amount\n1;1,5\n2;1.234,50\n", f, schema: ["amount": .double]), line: 3,
                        column: "amount", "'1.234,50' is not a number")
        assertDataError(try layout("id;amount\n1;1,5\n2;1,234,50\n", f, schema: ["amount": .double]), line: 3,
                        column: "amount")
    }

    func testDecimalCommaImpliesASemicolonByExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x.csv")
        try Data("id;amount\n1;2,5\n".utf8).write(to: file)
        var o = ReadOptions()
        o.format = TextFormat(decimalComma: true)
        let t = try DataReader.read(path: file.path, options: o)
        XCTAssertEqual(texts(t, "amount"), ["2.5"])
        // A delimiter given outright reads any extension as delimited text; JSON Lines refuses the options.
        let dat = dir.appendingPathComponent("log.dat")
        try Data("a 1\nb 2\n".utf8).write(to: dat)
        o.format = TextFormat(delimiter: .whitespace, header: false, columns: ["k", "v"])
        XCTAssertEqual(texts(try DataReader.read(path: dat.path, options: o), "v"), ["1", "2"])
        let jsonl = dir.appendingPathComponent("x.jsonl")
        try Data("{\"a\":1}\n".utf8).write(to: jsonl)
        assertDataError(try DataReader.read(path: jsonl.path, options: o), line: nil, "is JSON Lines")
    }

    /// Cut into chunks of a few bytes on two threads, a whitespace file reads as in one piece (errors too).
    func testWhitespaceChunkingMatchesOnePiece() throws {
        var text = ""
        for k in 0..<300 { text += (k % 7 == 0 ? "  " : "") + String(format: "%05d 1997%02d%02d %d %d.%02d", k % 37, 1 + k % 12, 1 + k % 28, k % 5, k, k % 100) + (k % 11 == 0 ? "  \r\n\n" : "\n") }
        let dates = ["date": [try DateFormat("%Y%m%d")]]
        let whole = try layout(text, cdnow, textColumns: ["customer_id"], dateFormats: dates)
        for chunk in [16, 33, 64] {
            let t = try layout(text, cdnow, textColumns: ["customer_id"], dateFormats: dates, chunk: chunk, threads: 2)
            for name in whole.columnNames {
                XCTAssertEqual(t[name]?.type, whole[name]?.type, "chunk \(chunk) \(name)")
                XCTAssertEqual(texts(t, name), texts(whole, name), "chunk \(chunk) \(name)")
            }
            XCTAssertEqual((0..<t.rowCount).map { t.rowLines!.line(of: $0) }, (0..<t.rowCount).map { whole.rowLines!.line(of: $0) })
        }
        let bad = text + "00001 19970101 1\n"
        assertDataError(try layout(bad, cdnow, chunk: 40, threads: 2), line: text.utf8.filter { $0 == 0x0A }.count + 1, "3 fields")
    }
}
