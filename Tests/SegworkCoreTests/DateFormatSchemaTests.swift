import LuaHost
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Schema `format:` for date columns: the compiled matcher, the readers, the definition, source plugins.
final class DateFormatSchemaTests: XCTestCase {
    private func days(_ format: String, _ text: String) throws -> CivilDate? {
        try DateFormat(format).date(text)
    }

    func testDirectivesMatchWholeValues() throws {
        XCTAssertEqual(try days("%d/%m/%Y", "31/01/2024"), CivilDate(year: 2024, month: 1, day: 31))
        XCTAssertEqual(try days("%d/%m/%Y", "1/2/2024"), CivilDate(year: 2024, month: 2, day: 1))
        XCTAssertEqual(try days("%Y%m%d", "20240701"), CivilDate(year: 2024, month: 7, day: 1))
        XCTAssertEqual(try days("%d-%b-%y", "05-MAR-99"), CivilDate(year: 1999, month: 3, day: 5))
        XCTAssertEqual(try days("%d-%b-%y", "05-mar-68"), CivilDate(year: 2068, month: 3, day: 5))
        XCTAssertEqual(try days("%B %e, %Y", "September  7, 2023"), CivilDate(year: 2023, month: 9, day: 7))
        XCTAssertEqual(try days("%B %e, %Y", "Sep 17, 2023"), CivilDate(year: 2023, month: 9, day: 17))
        XCTAssertEqual(try days("%Y-%m-%d %H:%M:%S", "2024-02-29 23:59:60"), CivilDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(try days("%Y%%%m-%d", "2024%07-1"), CivilDate(year: 2024, month: 7, day: 1))
        XCTAssertEqual(try days("%d.%m.%Y г.", "03.04.2020 г."), CivilDate(year: 2020, month: 4, day: 3))
        for (format, text) in [("%d/%m/%Y", "31/01/2024 "), ("%d/%m/%Y", "32/01/2024"), ("%d/%m/%Y", "29/02/2023"),
                               ("%d/%m/%Y", "31/01/24"), ("%d/%m/%Y", "031/01/2024"), ("%b %d %Y", "Sept 1 2024"),
                               ("%b %d %Y", "Ma 1 2024"), ("%Y-%m-%d %H:%M", "2024-01-01 24:00"), ("%d/%m/%Y", "")] {
            XCTAssertNil(try days(format, text), "\(format) should not match '\(text)'")
        }
    }

    func testBadFormatsAreNamed() {
        for (format, fragment) in [("%Y-%m-%q", "unknown directive '%q'"), ("%Y-%m", "has no day"),
                                   ("%d/%m/%Y %Y", "gives the year twice"), ("%d/%m/%Y%", "lone '%'")] {
            XCTAssertThrowsError(try DateFormat(format)) { e in
                XCTAssertTrue("\(e)".contains(fragment), "\(e)")
                XCTAssertTrue("\(e)".contains("format '\(format)'"), "\(e)")
            }
        }
        // The cleaning step's helpers use the same implementation.
        XCTAssertNotNil(DateFormat.problem("%Y-%m-%q"))
        XCTAssertEqual(DateFormat.parse("7/1/2024", format: "%m/%d/%Y"), CivilDate(year: 2024, month: 7, day: 1))
    }

    func testCSVColumnWithFormatsTriedInOrderAndISOOnlyWhenListed() throws {
        let text = "id,when\n1,31/01/2024\n2,\n3,2024-02-01\n"
        let options = ReadOptions(dateFormats: ["when": [try DateFormat("%d/%m/%Y"), try DateFormat("%Y-%m-%d")]])
        let t = try DataReader.parseCSV(Array(text.utf8), origin: "t.csv", options: options)
        XCTAssertEqual(t["when"]?.type, .date)
        XCTAssertEqual(texts(t, "when"), ["2024-01-31", nil, "2024-02-01"])

        let strict = ReadOptions(dateFormats: ["when": [try DateFormat("%d/%m/%Y")]])
        assertDataError(try DataReader.parseCSV(Array(text.utf8), origin: "t.csv", options: strict), line: 4,
                        column: "when", "t.csv, line 4", "'2024-02-01' is not a date in the format '%d/%m/%Y'")
    }

    func testJSONLinesColumnWithFormat() throws {
        let text = "{\"id\": 1, \"d\": \"Jan 5 2024\"}\n{\"id\": 2, \"d\": null}\n{\"id\": 3, \"d\": 20240105}\n"
        let options = ReadOptions(dateFormats: ["d": [try DateFormat("%b %d %Y")]])
        assertDataError(try DataReader.parseJSONLines(Array(text.utf8), origin: "t.jsonl", options: options),
                        line: 3, column: "d", "is not a date")
        let good = String(text.split(separator: "\n").prefix(2).joined(separator: "\n"))
        let t = try DataReader.parseJSONLines(Array(good.utf8), origin: "t.jsonl", options: options)
        XCTAssertEqual(texts(t, "d"), ["2024-01-05", nil])
    }

    func testDefinitionCarriesFormatsAndNamesBadOnes() throws {
        func definition(_ schema: String) -> String {
            """
            population: customers
            id: customer_id
            datasets:
              customers:
                file: data/c.csv
                schema:
                  \(schema)
            criteria: [x]
            """
        }
        let d = try Definition.parse(text: definition("joined: {format: \"%d/%m/%Y\", pii: true}\n      seen: {type: date, format: [\"%Y%m%d\", \"%Y-%m-%d\"]}"),
                                     file: "d.yaml", defaultName: "d")
        let spec = d.datasets[0]
        XCTAssertEqual(spec.schema["joined"], .date)
        XCTAssertEqual(spec.pii, ["joined"])
        XCTAssertEqual(spec.dateFormats["joined"]?.map(\.pattern), ["%d/%m/%Y"])
        XCTAssertEqual(spec.dateFormats["seen"]?.map(\.pattern), ["%Y%m%d", "%Y-%m-%d"])

        for (schema, fragment) in [("joined: {format: \"%d/%m/%Q\"}", "unknown directive '%Q'"),
                                   ("joined: {type: integer, format: \"%d/%m/%Y\"}", "a format is for date columns"),
                                   ("joined: {format: []}", "lists no format"),
                                   ("joined: {format: [\"%Y\", \"%d/%m/%Y\"]}", "has no month or day")] {
            XCTAssertThrowsError(try Definition.parse(text: definition(schema), file: "d.yaml", defaultName: "d")) { e in
                guard let e = e as? DefinitionError else { return XCTFail("\(e)") }
                XCTAssertEqual(e.line, 7, "\(e)")
                XCTAssertTrue(e.description.hasPrefix("d.yaml:7: 'datasets.customers.schema.joined"), "\(e)")
                XCTAssertTrue(e.description.contains(fragment), "\(e)")
            }
        }
    }

    func testInvalidUTF8SettingIsParsed() throws {
        func definition(_ value: String) -> String {
            "population: c\nid: id\ndatasets:\n  c: { file: c.csv, invalid_utf8: \(value) }\ncriteria: [x]\n"
        }
        XCTAssertTrue(try Definition.parse(text: definition("replace"), file: "d.yaml", defaultName: "d").datasets[0].replaceInvalidUTF8)
        XCTAssertFalse(try Definition.parse(text: definition("error"), file: "d.yaml", defaultName: "d").datasets[0].replaceInvalidUTF8)
        XCTAssertThrowsError(try Definition.parse(text: definition("ignore"), file: "d.yaml", defaultName: "d")) { e in
            XCTAssertTrue("\(e)".contains("d.yaml:4: 'datasets.c.invalid_utf8' must be error"), "\(e)")
        }
    }

    func testSourcePluginDatesInTheDefinitionsFormat() throws {
        let out = SourceOutput(names: ["d"], values: [[.string("31.01.2024"), .null, .string("")]])
        let declared = [SourceColumn(name: "d", type: "date")]
        let formats = ["d": [try DateFormat("%d.%m.%Y")]]
        let t = try DataReader.table(from: out, declared: declared, origin: "plugin p", dateFormats: formats)
        XCTAssertEqual(texts(t, "d"), ["2024-01-31", nil, nil])
        let bad = SourceOutput(names: ["d"], values: [[.string("2024-01-31")]])
        assertDataError(try DataReader.table(from: bad, declared: declared, origin: "plugin p", dateFormats: formats),
                        line: nil, column: "d", "record 1: '2024-01-31' is not a date in '%d.%m.%Y'")
    }

    func testAJSONNumberInAFormattedDateColumnNamesTheFormat() throws {
        let options = ReadOptions(dateFormats: ["d": [try DateFormat("%Y%m%d")]])
        assertDataError(try DataReader.parseJSONLines(Array("{\"d\": \"20240105\"}\n{\"d\": 20240106}\n".utf8),
                                                      origin: "t.jsonl", options: options),
                        line: 2, column: "d", "'20240106' is not a date in the format '%Y%m%d'")
    }
}
