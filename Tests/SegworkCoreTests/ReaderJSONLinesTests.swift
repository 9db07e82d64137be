import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Parses JSON Lines text with origin "t.jsonl".
func jsonl(_ text: String, schema: [String: ColumnType] = [:]) throws -> Table {
    try DataReader.parseJSONLines(Array(text.utf8), origin: "t.jsonl", options: ReadOptions(schema: schema))
}

final class ReaderJSONLinesTests: XCTestCase {
    func testTypesOrderAndMissingKeys() throws {
        let t = try jsonl("""
            {"id": 1, "name": "Ann", "vip": true, "spend": 10}
            {"name": "Bob", "id": 2, "spend": 2.5, "city": "Oslo"}

            {"id": 3, "vip": false, "spend": null, "name": "2024-01-01"}\r
            """)
        XCTAssertEqual(t.columnNames, ["id", "name", "vip", "spend", "city"], "order of first appearance")
        XCTAssertEqual(t.columns.map(\.type), [.integer, .string, .bool, .double, .string])
        XCTAssertEqual(texts(t, "vip"), ["true", nil, "false"])
        XCTAssertEqual(texts(t, "spend"), ["10", "2.5", nil])
        XCTAssertEqual(texts(t, "city"), [nil, "Oslo", nil])
        XCTAssertEqual(texts(t, "name"), ["Ann", "Bob", "2024-01-01"], "JSON strings stay strings")
    }

    func testByteOrderMarkCRLFAndBlankLinesKeepLineNumbers() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}\r\n\r\n  \n{\"a\": 2}\r\n".utf8)
        let t = try DataReader.parseJSONLines(bytes, origin: "b.jsonl")
        XCTAssertEqual(t.columnNames, ["a"])
        XCTAssertEqual(texts(t, "a"), ["1", "2"])
        let broken: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}\r\n\r\n  \n{\"a\": }\r\n".utf8)
        assertDataError(try DataReader.parseJSONLines(broken, origin: "b.jsonl"), line: 4, column: "a", "b.jsonl, line 4",
                        "expected a value")
    }

    func testIntegersBeyondInt64AreRefusedUnlessDeclaredAndExponentsAreDoubles() throws {
        // A double would round 9223372036854775808: an error naming line and column (ReaderNumericEdgeTests).
        XCTAssertThrowsError(try jsonl("{\"n\": 9223372036854775807}\n{\"n\": 9223372036854775808}\n"))
        let t = try jsonl("{\"n\": 9223372036854775807, \"m\": 1}\n{\"n\": 1, \"m\": -2E2}\n")
        XCTAssertEqual(t["n"]?.type, .integer)
        XCTAssertEqual(t["m"]?.type, .double)
        XCTAssertEqual(texts(t, "m"), ["1", "-200"])
    }

    func testNestedValuesBecomeCompactJSONText() throws {
        let t = try jsonl("""
            {"id": 1, "tags": [ "a", "b" ], "addr": {"city": "Oslo", "zip": [1, 2.5e1, true, null]}}
            {"id": 2, "tags": [], "addr": "unknown"}
            {"id": 3, "tags": [[{}], "x\\"y"]}
            """)
        XCTAssertEqual(t["tags"]?.type, .string)
        XCTAssertEqual(texts(t, "tags"), ["[\"a\",\"b\"]", "[]", "[[{}],\"x\\\"y\"]"])
        XCTAssertEqual(texts(t, "addr"), ["{\"city\":\"Oslo\",\"zip\":[1,2.5e1,true,null]}", "unknown", nil])
    }

    func testEscapes() throws {
        let t = try jsonl(#"{"t\u0065xt": "a\nb\t\"q\" \\ \/ caf\u00e9 \ud83d\ude00", "plain": "é"}"#)
        XCTAssertEqual(t.columnNames, ["text", "plain"])
        XCTAssertEqual(texts(t, "text"), ["a\nb\t\"q\" \\ / café 😀"])
        XCTAssertEqual(texts(t, "plain"), ["é"])
        assertDataError(try jsonl(#"{"a": "\ud83d x"}"#), line: 1, column: "a", "surrogate")
        assertDataError(try jsonl(#"{"a": "\q"}"#), line: 1, "valid escape")
        assertDataError(try jsonl("{\"a\": \"tab\there\"}"), line: 1, "control character")
    }

    func testSyntaxErrorsNameTheLine() {
        assertDataError(try jsonl("{\"a\": 1}\n{\"a\": 2, \"b\": \"tr"), line: 2, "t.jsonl, line 2", "truncated")
        assertDataError(try jsonl("{\"a\": 1}\n\n{\"a\": [1, 2"), line: 3, "truncated")
        assertDataError(try jsonl("{\"a\": 1}\n[1, 2]\n"), line: 2, "not a JSON object")
        assertDataError(try jsonl("{\"a\": 1}\n\"text\"\n"), line: 2, "not a JSON object")
        assertDataError(try jsonl("{\"a\": 1} {\"a\": 2}\n"), line: 1, "one object on each line")
        assertDataError(try jsonl("{\"a\": 1, \"a\": 2}\n"), line: 1, column: "a", "appears twice")
        assertDataError(try jsonl("{\"\": 1}\n"), line: 1, "empty key")
        assertDataError(try jsonl("{\"a\": 01}\n"), line: 1, "expected ',' or '}'")
        assertDataError(try jsonl("{\"a\": .5}\n"), line: 1, "expected a value")
        assertDataError(try jsonl("{\"a\": 1.}\n"), line: 1, "decimal point")
        assertDataError(try jsonl("{\"a\": tru}\n"), line: 1, "expected 'true'")
        assertDataError(try jsonl("{a: 1}\n"), line: 1, "key in double quotes", "character 2")
        assertDataError(try jsonl("{\"a\" 1}\n"), line: 1, "':' after the key")
        assertDataError(try jsonl(""), line: nil, "no records")
        assertDataError(try jsonl("\n  \n"), line: nil, "no records")
        assertDataError(try jsonl("{}\n{}\n"), line: nil, "none of its 2 records has a field")
        let nul: [UInt8] = Array("{\"a\": 1}\n{\"a\": \"".utf8) + [0] + Array("\"}\n".utf8)
        assertDataError(try DataReader.parseJSONLines(nul, origin: "n.jsonl"), line: 2, "NUL")
        let bad: [UInt8] = Array("{\"a\": 1}\r\n{\"a\": \"".utf8) + [0xFF] + Array("\"}\n".utf8)
        assertDataError(try DataReader.parseJSONLines(bad, origin: "u.jsonl"), line: 2, "UTF-8")
    }

    func testMixedKindsNeedASchema() throws {
        assertDataError(try jsonl("{\"a\": 1}\n{\"a\": null}\n{\"a\": \"x\"}\n"), line: 3, column: "a",
                        "the value here is text but on line 1 it is a number", "schema")
        assertDataError(try jsonl("{\"a\": true}\n{\"a\": 2}\n"), line: 2, column: "a", "is a number but on line 1 it is true/false")
        let t = try jsonl("{\"a\": 1}\n{\"a\": \"x\"}\n{\"a\": true}\n{\"a\": [1]}\n{\"a\": 1.50}\n", schema: ["a": .string])
        XCTAssertEqual(texts(t, "a"), ["1", "x", "true", "[1]", "1.50"])
    }

    func testSchemaConversions() throws {
        let t = try jsonl("""
            {"d": "2024-02-29", "i": "42", "j": 3.0, "f": "2.5", "b": "TRUE"}
            {"d": "2024-03-01T12:00:00Z", "i": 7, "j": -1e2, "f": 1, "b": false}
            """, schema: ["d": .date, "i": .integer, "j": .integer, "f": .double, "b": .bool])
        XCTAssertEqual(texts(t, "d"), ["2024-02-29", "2024-03-01"])
        XCTAssertEqual(texts(t, "i"), ["42", "7"])
        XCTAssertEqual(texts(t, "j"), ["3", "-100"])
        XCTAssertEqual(texts(t, "f"), ["2.5", "1"])
        XCTAssertEqual(texts(t, "b"), ["true", "false"])
        assertDataError(try jsonl("{\"i\": 1}\n{\"i\": 2.5}\n", schema: ["i": .integer]), line: 2, column: "i",
                        "'2.5' is not an integer")
        assertDataError(try jsonl("{\"i\": true}\n", schema: ["i": .integer]), line: 1, "'true' is not an integer")
        assertDataError(try jsonl("{\"d\": 20240101}\n", schema: ["d": .date]), line: 1, "is not a date")
        assertDataError(try jsonl("{\"b\": [true]}\n", schema: ["b": .bool]), line: 1, "'[true]' is not true or false")
        assertDataError(try jsonl("{\"a\": 1}\n", schema: ["b": .bool]), line: nil, "'b'", "its columns are 'a'")
    }
}
