import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Reader errors that lead to the fix (QA M1, M3, M4, L2): thousands separators and decimal commas named with
/// their line and value, the delimiter that splits a line, a header read as a record, a trailing delimiter.
final class ReaderHintTests: XCTestCase {
    let semicolonComma = TextFormat(delimiter: .byte(UInt8(ascii: ";")), decimalComma: true)

    func testThousandsSeparatorsInADoubleColumnNameTheValueAndTheFix() {
        let text = "customer_id;amount\n002;12,5\n001;1.234,50\n"
        assertDataError(try layout(text, semicolonComma, schema: ["amount": .double]), line: 3, column: "amount",
                        "'1.234,50' is not a number; thousands separators are not supported: remove them (write 1234,50)")
        assertDataError(try layout("id,amount\n1,\"1,234.50\"\n", TextFormat(), schema: ["amount": .double]), line: 2,
                        "thousands separators are not supported: remove them (write 1234.50)")
        assertDataError(try layout("id,amount\n1,\"1,234\"\n", TextFormat(), schema: ["amount": .integer]), line: 2,
                        "thousands separators are not supported", "if the comma is a decimal mark, add decimal")
        do { _ = try layout(text, semicolonComma, schema: ["amount": .double]); XCTFail() } catch {
            XCTAssertFalse("\(error)".contains("declare the column as string"), "\(error)")
        }
    }

    func testAnInferredColumnNotesTheThousandsSeparator() throws {
        let warnings = ReadWarnings()
        var o = ReadOptions(warnings: warnings)
        o.format = semicolonComma
        let t = try DataReader.parseCSV(Array("id;amount\n1;12,5\n2;1.234,50\n".utf8), origin: "t.txt", options: o)
        XCTAssertEqual(t["amount"]?.type, .string)
        XCTAssertEqual(warnings.messages.count, 1)
        XCTAssertTrue(warnings.messages[0].contains("t.txt, line 3, column 'amount': the column is read as text because "
            + "of '1.234,50' (record 2); the value before it was numbers. Thousands separators are not supported: "
            + "remove them (write 1234,50)"), warnings.messages[0])
    }

    func testDecimalCommasWithoutTheOptionSaySo() {
        assertDataError(try layout("id;amount\n1;-12,50\n", TextFormat(delimiter: .byte(UInt8(ascii: ";"))),
                                   schema: ["amount": .double]), line: 2, column: "amount",
                        "'-12,50' is not a number; the values look like decimal commas: add decimal: \",\"")
        XCTAssertNil(ReadHints.number("abc", decimalComma: false))
        XCTAssertNil(ReadHints.number("12,5", decimalComma: true), "a valid decimal comma needs no hint")
        XCTAssertEqual(ReadHints.number("1 234 567", decimalComma: false),
                       "thousands separators are not supported: remove them (write 1234567)")
        XCTAssertTrue(ReadHints.number("12.5", decimalComma: true)!.contains("decimal point but the dataset says decimal"))
    }

    func testHeaderlessWithTheWrongDelimiterNamesTheOneThatSplitsTheLine() {
        let cdnow = TextFormat(header: false, columns: ["customer_id", "date", "quantity", "amount"])
        assertDataError(try layout("00001 19970313 3 65.09\n00002 19970101 1 1.5\n", cdnow), line: 1,
                        "the record has 1 field but columns names 4",
                        "line 1 splits into 4 fields with delimiter: whitespace; give the dataset delimiter: whitespace")
        assertDataError(try layout("1;2;3\n", TextFormat(delimiter: .byte(0x09), header: false, columns: ["a", "b", "c"])),
                        line: 1, "line 1 splits into 3 fields with delimiter: ;; give the dataset delimiter: \";\"")
        // A record that no delimiter fixes keeps the old advice.
        assertDataError(try layout("1,2\n3\n", TextFormat(header: false, columns: ["a", "b"])), line: 2,
                        "fix the record, or list every column of the file in columns")
    }

    func testAHeaderReadAsARecordSaysSo() {
        let f = TextFormat(header: false, columns: ["id", "day"])
        assertDataError(try layout("\nid,day\n1,2024-01-01\n", f, schema: ["day": .date]), line: 2, column: "day",
                        "'day' is not a date", "line 2 looks like a header: remove header: false and columns:")
        // Not on a later line.
        do { _ = try layout("1,2024-01-01\n2,x\n", f, schema: ["day": .date]); XCTFail() } catch {
            XCTAssertFalse("\(error)".contains("looks like a header"), "\(error)")
        }
        XCTAssertNotNil(ReadHints.dataAsHeader(["00001", "19970313", "3", "65.09"]))
        XCTAssertNil(ReadHints.dataAsHeader(["customer_id", "19970313"]))
    }

    func testATrailingDelimiterInTheHeaderDropsTheEmptyColumn() throws {
        let pipe = TextFormat(delimiter: .byte(UInt8(ascii: "|")))
        let t = try layout("customer_id|order_date|amount|\n001|2024-05-01|10|\n002|2024-05-02|\"7\"\n", pipe)
        XCTAssertEqual(t.columnNames, ["customer_id", "order_date", "amount"])
        XCTAssertEqual(texts(t, "amount"), ["10", "7"])
        XCTAssertEqual(t["order_date"]?.type, .date)
        // Across chunks (records with and without the trailing delimiter).
        let many = "a|b|\n" + (0..<2000).map { "\($0)|x\($0)|\n" }.joined()
        let c = try layout(many, pipe, chunk: 4096, threads: 2)
        XCTAssertEqual(c.columnNames, ["a", "b"])
        XCTAssertEqual(texts(c, "b").last, "x1999")
        assertDataError(try layout("a|b|\n1|2|\n3|4|x\n", pipe), line: 3,
                        "header column 3 has no name (the header ends with the delimiter), but this record has 'x' in it")
        assertDataError(try layout("a||c\n1|2|3\n", pipe), line: 1, "header column 2 has no name")
    }
}
