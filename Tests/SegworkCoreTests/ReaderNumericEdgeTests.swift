import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Numbers at the edges of what a column can hold, the note for a column turned text by a late value, personal
/// (pii) values kept out of messages, JSON NUL escapes, and the file name errors give a snapshot.
final class ReaderNumericEdgeTests: XCTestCase {
    private func read(_ text: String, schema: [String: ColumnType] = [:], pii: Set<String> = [],
                      textColumns: Set<String> = [], chunk: Int? = nil, warnings: ReadWarnings? = nil) throws -> Table {
        var o = ReadOptions(schema: schema, textColumns: textColumns, warnings: warnings)
        o.pii = pii
        if let chunk { o.chunkBytes = chunk; o.threads = 2 }
        return try DataReader.parseCSV(Array(text.utf8), origin: "t.csv", options: o)
    }

    private func json(_ text: String, schema: [String: ColumnType] = [:], pii: Set<String> = []) throws -> Table {
        var o = ReadOptions(schema: schema)
        o.pii = pii
        return try DataReader.parseJSONLines(Array(text.utf8), origin: "t.jsonl", options: o)
    }

    func testNaNAndInfinityWordsStayText() throws {
        let t = try read("id,name,x\n1,Nan,1.5\n2,Inf,nan\n3,Bob,2\n")
        XCTAssertEqual(t["name"]?.type, .string, "a column of names such as Nan stays text")
        XCTAssertEqual(texts(t, "name"), ["Nan", "Inf", "Bob"])
        XCTAssertEqual(t["x"]?.type, .string)
        XCTAssertEqual(texts(t, "x"), ["1.5", "nan", "2"])
        for word in ["nan", "NaN", "inf", "Infinity", "-inf", "+INF"] {
            XCTAssertEqual(try read("id,x\n1,\(word)\n")["x"]?.type, .string, word)
        }
    }

    func testDeclaredDoubleRefusesNaNInfinityOverflowAndUnderflow() throws {
        for word in ["nan", "Infinity", "-inf"] {
            assertDataError(try read("id,x\n1,1.5\n2,\(word)\n", schema: ["x": .double]), line: 3, column: "x",
                            "t.csv, line 3, column 'x'", "'\(word)' is not a number", "NaN and infinity")
            assertDataError(try json("{\"x\": 1}\n{\"x\": \"\(word)\"}\n", schema: ["x": .double]), line: 2,
                            column: "x", "NaN and infinity")
        }
        assertDataError(try read("id,x\n1,1.5\n2,1e309\n", schema: ["x": .double]), line: 3, column: "x",
                        "'1e309' is beyond the range of a number")
        assertDataError(try read("id,x\n1,1.5\n2,-1.8e308\n", schema: ["x": .double]), line: 3, "beyond the range")
        assertDataError(try read("id,x\n1,1.5\n2,1e-400\n", schema: ["x": .double]), line: 3, column: "x",
                        "'1e-400' is too small for a number", "would read as 0")
        // A JSON number cannot stay text: out of range it is an error naming the line and column.
        assertDataError(try json("{\"x\": 1.5}\n{\"x\": 1e309}\n"), line: 2, column: "x", "beyond the range")
        assertDataError(try json("{\"x\": 1.5}\n{\"x\": 1e-400}\n"), line: 2, column: "x", "too small")
    }

    func testBoundaryValuesAreExactOrText() throws {
        let t = try read("""
            i,big,p53,max,tiny,negzero,zero
            9223372036854775807,9223372036854775808,9007199254740992,1.7976931348623157e308,5e-324,-0,0e-400
            -9223372036854775808,12345678901234567890123,9007199254740993,-1.7976931348623157e308,-5e-324,-0.0,0.0
            """)
        guard case .integer(let i)? = t["i"]?.storage else { return XCTFail("i is not integer") }
        XCTAssertEqual(i, [.max, .min])
        XCTAssertEqual(t["big"]?.type, .string)
        XCTAssertEqual(texts(t, "big"), ["9223372036854775808", "12345678901234567890123"], "kept exactly")
        guard case .integer(let p)? = t["p53"]?.storage else { return XCTFail("p53 is not integer") }
        XCTAssertEqual(p, [9_007_199_254_740_992, 9_007_199_254_740_993], "2^53 + 1 stays exact")
        guard case .double(let m)? = t["max"]?.storage else { return XCTFail("max is not double") }
        XCTAssertEqual(m, [.greatestFiniteMagnitude, -.greatestFiniteMagnitude])
        guard case .double(let tiny)? = t["tiny"]?.storage else { return XCTFail("tiny is not double") }
        XCTAssertEqual(tiny, [.leastNonzeroMagnitude, -.leastNonzeroMagnitude])
        guard case .double(let z)? = t["negzero"]?.storage else { return XCTFail("negzero is not double") }
        XCTAssertEqual(z[0], 0); XCTAssertEqual(z[1].sign, .minus, "-0.0 keeps its sign")
        XCTAssertEqual(t["zero"]?.type, .double, "0e-400 is zero exactly, not an underflow")
        // Declared, the same values are read or refused by their type.
        XCTAssertEqual(try read("id,n\n1,9007199254740993\n", schema: ["n": .double])["n"]?.double(at: 0),
                       9_007_199_254_740_992, "a declared double rounds like any decimal")
        assertDataError(try read("id,n\n1,1\n2,9223372036854775808\n", schema: ["n": .integer]), line: 3,
                        column: "n", "is not an integer")
    }

    func testJSONIntegersBeyondInt64AreRefusedOrKeptAsDeclared() throws {
        let text = "{\"n\": 9007199254740993}\n{\"n\": 12345678901234567890123}\n"
        assertDataError(try json(text), line: 2, column: "n", "12345678901234567890123",
                        "beyond the 64-bit range", "would be rounded")
        XCTAssertEqual(texts(try json(text, schema: ["n": .string]), "n"), ["9007199254740993", "12345678901234567890123"])
        guard case .integer(let v)? = try json("{\"n\": 9223372036854775807}\n{\"n\": -9223372036854775808}\n")["n"]?.storage
        else { return XCTFail("not integer") }
        XCTAssertEqual(v, [.max, .min])
    }

    func testQuotedNumbersSemicolonsAndTabs() throws {
        let t = try DataReader.parseCSV(Array("id;x;y\n1;\"2.5\";\"1e309\"\n2;\"3\";\"4\"\n".utf8), origin: "t.csv",
                                        options: ReadOptions(delimiter: UInt8(ascii: ";")))
        XCTAssertEqual(t["x"]?.type, .double, "a quoted number is a number")
        XCTAssertEqual(t["y"]?.type, .string, "a quoted 1e309 is not")
        let tabs = try DataReader.parseCSV(Array("id\tx\n1\t9223372036854775808\n".utf8), origin: "t.tsv",
                                           options: ReadOptions(delimiter: 9))
        XCTAssertEqual(texts(tabs, "x"), ["9223372036854775808"])
    }

    func testColumnTurnedTextByALateValueIsNotedWithItsLine() throws {
        let rows = (1...40).map { "c\($0),\($0 * 3)" }.joined(separator: "\n")
        for chunk in [nil, 64] as [Int?] {
            let w = ReadWarnings()
            let t = try read("id,amount\n\(rows)\nc41,n/a\nc42,7\n", chunk: chunk, warnings: w)
            XCTAssertEqual(t["amount"]?.type, .string)
            XCTAssertEqual(w.messages.count, 1, "\(w.messages)")
            let note = w.messages.first ?? ""
            for fragment in ["t.csv, line 42, column 'amount'", "'n/a'", "record 41", "40 values before it were all integers"] {
                XCTAssertTrue(note.contains(fragment), "'\(fragment)' not in: \(note) (chunk \(String(describing: chunk)))")
            }
        }
        // Mixed date formats; a pii column's value is withheld; a column text from its first value has no note.
        let w = ReadWarnings()
        _ = try read("id,day,secret,name\n1,2024-01-05,10,Ann\n2,05/01/2024,hunter2,Bob\n", pii: ["secret"], warnings: w)
        XCTAssertEqual(w.messages.count, 2, "\(w.messages)")
        XCTAssertTrue(w.messages.contains { $0.contains("line 3, column 'day'") && $0.contains("dates (YYYY-MM-DD)") },
                      "\(w.messages)")
        let secret = w.messages.first { $0.contains("column 'secret'") } ?? ""
        XCTAssertTrue(secret.contains("value withheld (pii column)") && !secret.contains("hunter2"), secret)
        // Declared types and key columns (ids) are not guessed, so they get no note.
        let quiet = ReadWarnings()
        _ = try read("id,x\n1,2\nA7,z\n", schema: ["x": .string], textColumns: ["id"], warnings: quiet)
        XCTAssertEqual(quiet.messages, [])
    }

    func testPIIValuesAreWithheldFromReadErrors() throws {
        assertDataError(try read("id,ssn\n1,12\n2,123-45-6789\n", schema: ["ssn": .integer], pii: ["ssn"]), line: 3,
                        column: "ssn", "the value [value withheld (pii column)] is not an integer")
        do { _ = try read("id,ssn\n1,12\n2,123-45-6789\n", schema: ["ssn": .integer], pii: ["ssn"]) } catch {
            XCTAssertFalse("\(error)".contains("123-45-6789"), "\(error)")
        }
        var o = ReadOptions(dateFormats: ["born": [try DateFormat("%d/%m/%Y")]])
        o.pii = ["born"]
        XCTAssertThrowsError(try DataReader.parseCSV(Array("id,born\n1,01/02/1980\n2,1980-02-01\n".utf8),
                                                     origin: "t.csv", options: o)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("line 3") && text.contains("value withheld (pii column)"), text)
            XCTAssertFalse(text.contains("1980-02-01"), text)
        }
        assertDataError(try json("{\"x\": 12345678901234567890123}\n", pii: ["x"]), line: 1, "value withheld (pii column)")
        // Without pii the value is shown, as before.
        assertDataError(try read("id,n\n1,1\n2,abc\n", schema: ["n": .integer]), line: 3, "'abc' is not an integer")
    }

    func testDuplicateIdNamesBothLinesAndWithholdsPII() throws {
        let t = try read("id,x\nc1,1\n\nc2,2\nc1,3\n", textColumns: ["id"])
        assertDataError(try KeyIndex(ids: t["id"]!, origin: "t.csv", lines: t.rowLines), line: 5, column: "id",
                        "id 'c1' appears more than once (line 2 and line 5)")
        assertDataError(try KeyIndex(ids: t["id"]!, origin: "t.csv", lines: t.rowLines, pii: true), line: 5,
                        "an id [value withheld (pii column)] appears more than once")
        do { _ = try KeyIndex(ids: t["id"]!, origin: "t.csv", lines: t.rowLines, pii: true) } catch {
            XCTAssertFalse("\(error)".contains("c1"), "\(error)")
        }
    }

    func testJSONNULEscapeIsRefusedAndOtherControlsAreKept() throws {
        assertDataError(try json("{\"id\": 1, \"name\": \"ok\"}\n{\"id\": 2, \"name\": \"a\\u0000b\"}\n"), line: 2,
                        column: "name", "t.jsonl, line 2, column 'name'", "\\u0000", "NUL")
        assertDataError(try json("{\"id\": 1, \"a\\u0000\": 2}\n"), line: 1, "\\u0000")
        // Other control characters are text a CSV field can hold as well; they are read as written.
        XCTAssertEqual(texts(try json("{\"name\": \"a\\u001Bb\\tc\"}\n"), "name"), ["a\u{1B}b\tc"])
    }

    func testRFMAmountTurnedTextNamesTheLineOfTheValue() throws {
        let ids = try read("cid\nc1\nc2\n", textColumns: ["cid"])["cid"]!
        for bad in ["nan", "1e309", "n/a"] {
            let tx = try read("cid,d,a\nc1,2024-01-02,10\nc2,2024-01-03,\(bad)\n", schema: ["d": .date], textColumns: ["cid"])
            assertDataError(try RFMFeature.compute(ids: ids, idOrigin: "c.csv", transactions: tx, origin: "t.csv",
                                                   spec: RFMSpec(transactions: "t", customer: "cid", order: nil, date: "d",
                                                                 amount: "a"), asOf: nil),
                            line: 3, column: "a", "must be numeric", "'\(bad)' (record 2) is not a number; fix the value")
        }
    }

    func testMonetaryThatOverflowsIsAnErrorNotInfinity() throws {
        let ids = try read("cid\nc1\nc2\n", textColumns: ["cid"])["cid"]!
        let tx = try read("cid,d,a\nc1,2024-01-02,1\nc2,2024-01-03,1.7976931348623157e308\nc2,2024-01-04,1e308\n",
                          schema: ["d": .date], textColumns: ["cid"])
        assertDataError(try RFMFeature.compute(ids: ids, idOrigin: "c.csv", transactions: tx, origin: "t.csv",
                                               spec: RFMSpec(transactions: "t", customer: "cid", order: nil, date: "d",
                                                             amount: "a"), asOf: nil),
                        line: nil, column: "a", "record 2 of the population add up beyond the range")
    }

    func testDisplayNameNamesTheUsersFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("display-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let snapshot = dir.appendingPathComponent("0123abcd.csv")
        try Data("id,n\n1,2\n2,x\n".utf8).write(to: snapshot)
        var o = ReadOptions(schema: ["n": .integer])
        o.displayName = "data/customers.csv"
        assertDataError(try DataReader.read(path: snapshot.path, options: o), line: 3,
                        "data/customers.csv, line 3, column 'n'")
        do { _ = try DataReader.read(path: snapshot.path, options: o) } catch {
            XCTAssertFalse("\(error)".contains("0123abcd"), "\(error)")
        }
    }
}
