import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Parses CSV text with origin "t.csv".
func csv(_ text: String, schema: [String: ColumnType] = [:], delimiter: Character = ",") throws -> Table {
    try DataReader.parseCSV(Array(text.utf8), origin: "t.csv",
                            options: ReadOptions(schema: schema, delimiter: delimiter.asciiValue!))
}

/// Every row of a column as text (nil where missing).
func texts(_ t: Table, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String?] {
    guard let c = t[name] else { XCTFail("no column \(name) in \(t.columnNames)", file: file, line: line); return [] }
    return (0..<c.count).map { c.string(at: $0) }
}

/// Asserts that `body` throws a `DataError` at `line` whose description contains every fragment.
func assertDataError<T>(_ body: @autoclosure () throws -> T, line expectedLine: Int?, column: String? = nil,
                        _ fragments: String..., file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected a DataError", file: file, line: line)
    } catch let e as DataError {
        XCTAssertEqual(e.line, expectedLine, "line of: \(e)", file: file, line: line)
        if let column { XCTAssertEqual(e.column, column, "column of: \(e)", file: file, line: line) }
        for f in fragments { XCTAssertTrue(e.description.contains(f), "'\(f)' not in: \(e)", file: file, line: line) }
        XCTAssertEqual(e.errorDescription, e.description, file: file, line: line)
    } catch {
        XCTFail("expected a DataError, got \(error)", file: file, line: line)
    }
}

final class ReaderCSVTests: XCTestCase {
    func testInfersEachType() throws {
        let t = try csv("""
            id,score,active,joined,seen,name
            1,2.5,true,2024-01-31,2024-01-31T10:00:00Z,Ann
            -2,3,FALSE,2023-12-01,2023-12-01T23:59:59,Bob
            +30,1e3,True,2020-02-29,2020-02-29T00:00:00Z,Ann

            """)
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(t.columns.map(\.type), [.integer, .double, .bool, .date, .date, .string])
        XCTAssertEqual(texts(t, "id"), ["1", "-2", "30"])
        XCTAssertEqual(texts(t, "score"), ["2.5", "3", "1000"])
        XCTAssertEqual(texts(t, "active"), ["true", "false", "true"])
        XCTAssertEqual(texts(t, "joined"), ["2024-01-31", "2023-12-01", "2020-02-29"])
        XCTAssertEqual(texts(t, "seen"), ["2024-01-31", "2023-12-01", "2020-02-29"])
        guard case .string(let codes, let dictionary)? = t["name"]?.storage else { return XCTFail("not string") }
        XCTAssertEqual(dictionary, ["Ann", "Bob"], "dictionary in order of first appearance, each value once")
        XCTAssertEqual(codes, [0, 1, 0])
    }

    func testInferenceEdgeCases() throws {
        let t = try csv("""
            big,special,zeros,baddate,mixeddate,spaced,yesno,empty
            9223372036854775807,NaN,007,2023-02-29,2024-01-01,12,yes,
            9223372036854775808,inf,-0,2023-01-01,2024-01-01T00:00:00Z, 12,no,
            1,-inf,10,2023-01-02,2024-01-02,3,yes,
            2,1e309,1,2023-01-03,2024-01-03,4,no,
            """)
        // A double would round an integer beyond Int64, and NaN/infinity/overflow are words or losses, not numbers:
        // such columns stay text, exactly as written.
        XCTAssertEqual(t["big"]?.type, .string, "a value beyond Int64 keeps the column text (as ids)")
        XCTAssertEqual(texts(t, "big"), ["9223372036854775807", "9223372036854775808", "1", "2"])
        XCTAssertEqual(t["special"]?.type, .string)
        XCTAssertEqual(texts(t, "special"), ["NaN", "inf", "-inf", "1e309"])
        XCTAssertEqual(texts(t, "zeros"), ["7", "0", "10", "1"])
        XCTAssertEqual(t["baddate"]?.type, .string, "2023-02-29 is not a calendar date")
        XCTAssertEqual(t["mixeddate"]?.type, .string, "date-times count only when every value is one")
        XCTAssertEqual(t["spaced"]?.type, .string, "values are not trimmed")
        XCTAssertEqual(t["yesno"]?.type, .string)
        XCTAssertEqual(t["empty"]?.type, .string, "a column without values is string")
        XCTAssertEqual(t["empty"]?.missingCount, 4)
    }

    func testQuotingAndLineEndings() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(
            "id,text,n\r\n1,\"a,b\",1\r\n2,\"say \"\"hi\"\"\",2\r\n3,\"two\r\nlines\",3\n\n4,\"x\ny\",4\r\n5,plain,".utf8)
        let t = try DataReader.parseCSV(bytes, origin: "q.csv")
        XCTAssertEqual(t.columnNames, ["id", "text", "n"], "the byte order mark is not part of the first name")
        XCTAssertEqual(texts(t, "text"), ["a,b", "say \"hi\"", "two\r\nlines", "x\ny", "plain"])
        XCTAssertEqual(texts(t, "n"), ["1", "2", "3", "4", nil], "final line without newline, empty last field")
        XCTAssertEqual(t["n"]?.type, .integer)
    }

    func testQuotedHeaderAndLastFieldAtEndOfFile() throws {
        let t = try csv("\"id\",\"full, name\",\"say \"\"x\"\"\"\n1,\"Ann Lee\",\"\"")
        XCTAssertEqual(t.columnNames, ["id", "full, name", "say \"x\""])
        XCTAssertEqual(texts(t, "full, name"), ["Ann Lee"])
        XCTAssertEqual(texts(t, "say \"x\""), [""])
        assertDataError(try csv("a\n1\n\""), line: 3, "never closed")
    }

    func testLoneCarriageReturnsEndLines() throws {
        let t = try csv("a,b\r1,2\r3,4")
        XCTAssertEqual(texts(t, "b"), ["2", "4"])
        assertDataError(try csv("a,b\r1,2\r3"), line: 3, "1 field but the header has 2")
    }

    func testEmptyAndQuotedEmptyFields() throws {
        let t = try csv("""
            s,n,d
            "",,""
            x,5,2024-05-01
            ,"",
            """)
        XCTAssertEqual(texts(t, "s"), ["", "x", nil], "\"\" is the empty string in a string column")
        XCTAssertEqual(texts(t, "n"), [nil, "5", nil], "\"\" is missing in other columns")
        XCTAssertEqual(t["n"]?.type, .integer)
        XCTAssertEqual(t["d"]?.type, .date)
        XCTAssertEqual(t["s"]?.missingCount, 1)
    }

    func testHeaderOnlyIsAnError() throws {
        // A header with no records would make a run with no customers that exits 0: it is refused instead.
        assertDataError(try csv("a,b\n"), line: nil, "t.csv: the file has a header but no rows")
        assertDataError(try csv("a,b\n\n\r\n"), line: nil, "header but no rows")
        assertDataError(try csv("a,b", schema: ["a": .integer, "b": .date]), line: nil, "header but no rows")
    }

    func testStructuralErrorsNameTheLine() {
        assertDataError(try csv("a,b,c,d,e\n1,2,3,4,5\n\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n"),
                        line: 7, "t.csv, line 7", "4 fields but the header has 5")
        assertDataError(try csv("a,b\n1,2,3\n"), line: 2, "3 fields but the header has 2")
        assertDataError(try csv("a,b\n1,\"x\ny\"\n2,\"open\n3,4\n"), line: 4, "t.csv, line 4", "never closed")
        assertDataError(try csv("a,b\n1,2\n3,ab\"c\n"), line: 3, "field 2 contains a quote")
        assertDataError(try csv("a,b\n1,\"ab\"c\n"), line: 2, "text after its closing quote")
        assertDataError(try csv("a,b,a\n1,2,3\n"), line: 1, column: "a", "twice (columns 1 and 3)")
        assertDataError(try csv("\n\na,,c\n"), line: 3, "header column 2 has no name")
        assertDataError(try csv(""), line: nil, "t.csv: the file is empty; expected a header row")
        assertDataError(try csv("\r\n\n"), line: nil, "is empty")
        assertDataError(try DataReader.parseCSV([0xEF, 0xBB, 0xBF], origin: "bom.csv"), line: nil, "bom.csv", "empty")
    }

    func testRejectsInvalidUTF8AndNUL() {
        let bad: [UInt8] = Array("a,b\n1,2\n3,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        assertDataError(try DataReader.parseCSV(bad, origin: "u.csv"), line: 3, "u.csv, line 3", "not valid UTF-8", "0xC3")
        let overlong: [UInt8] = Array("a\n".utf8) + [0xC0, 0xAF]
        assertDataError(try DataReader.parseCSV(overlong, origin: "u.csv"), line: 2, "UTF-8")
        let surrogate: [UInt8] = Array("a\n".utf8) + [0xED, 0xA0, 0x80]
        assertDataError(try DataReader.parseCSV(surrogate, origin: "u.csv"), line: 2, "UTF-8")
        let truncated: [UInt8] = Array("a\n\n".utf8) + [0xE2, 0x82]
        assertDataError(try DataReader.parseCSV(truncated, origin: "u.csv"), line: 3, "UTF-8")
        let nul: [UInt8] = Array("a,b\n1,2\n3,4\n5,".utf8) + [0] + Array("\n".utf8)
        assertDataError(try DataReader.parseCSV(nul, origin: "n.csv"), line: 4, "NUL byte")
        // Valid multi-byte text of every length passes, also across the 8-byte fast path.
        XCTAssertEqual(texts(try! csv("name\nJosé Ünal ñ 中文 😀 long ascii tail\n"), "name"), ["José Ünal ñ 中文 😀 long ascii tail"])
    }

    func testSchemaOverrides() throws {
        let text = "zip,age,score,day\n007,41,1,2024-03-01T08:00:00\n123,52,2.5,2024-03-02\n"
        let t = try csv(text, schema: ["zip": .string, "score": .double, "day": .date])
        XCTAssertEqual(texts(t, "zip"), ["007", "123"])
        XCTAssertEqual(t["score"]?.type, .double)
        XCTAssertEqual(texts(t, "day"), ["2024-03-01", "2024-03-02"], "a date schema takes date-times per value")
        XCTAssertEqual(t["age"]?.type, .integer)

        var lines = ["name,age"]
        for i in 2...11 { lines.append("p\(i),\(i)") }
        lines.append("p12,forty")
        assertDataError(try csv(lines.joined(separator: "\n"), schema: ["age": .integer]), line: 12, column: "age",
                        "t.csv, line 12, column 'age': 'forty' is not an integer; fix the value or declare the column as string in the schema")
        assertDataError(try csv("f\n1.5\n", schema: ["f": .integer]), line: 2, column: "f", "'1.5' is not an integer")
        assertDataError(try csv("b\ntrue\nmaybe\n", schema: ["b": .bool]), line: 3, "'maybe' is not true or false")
        assertDataError(try csv("d\n2024-13-01\n", schema: ["d": .date]), line: 2, "is not a date (YYYY-MM-DD)")
        assertDataError(try csv("x\n\"multi\nline\"\nabc\n", schema: ["x": .double]), line: 2, "is not a number")
        assertDataError(try csv("id,name\n1,a\n", schema: ["nme": .string, "agee": .integer]), line: nil,
                        "columns 'agee', 'nme' that the file does not have; its columns are 'id', 'name'")
        let long = String(repeating: "x", count: 100)
        assertDataError(try csv("n\n\(long)\n", schema: ["n": .integer]), line: 2, "'\(String(repeating: "x", count: 60))…'")
    }

    func testOtherDelimiters() throws {
        let t = try csv("a;b\n\"1;2\";3\n", delimiter: ";")
        XCTAssertEqual(texts(t, "a"), ["1;2"])
        XCTAssertEqual(texts(t, "b"), ["3"])
        assertDataError(try csv("a\n", delimiter: "\""), line: nil, "delimiter")
    }

    func testLargeInputKeepsRowsAndDictionary() throws {
        var text = "id,segment,amount\n"
        for i in 0..<20_000 { text += "\(i),seg\(i % 7),\(Double(i) / 4)\n" }
        let t = try csv(text)
        XCTAssertEqual(t.rowCount, 20_000)
        guard case .string(let codes, let dictionary)? = t["segment"]?.storage else { return XCTFail() }
        XCTAssertEqual(dictionary, (0..<7).map { "seg\($0)" })
        XCTAssertEqual(codes[19_999], Int32(19_999 % 7))
        XCTAssertEqual(t["amount"]?.double(at: 19_999), 4999.75)
        XCTAssertEqual(t["id"]?.type, .integer)
    }
}
