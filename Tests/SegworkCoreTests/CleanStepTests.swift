import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Each built-in clean step on small tables read from CSV text, as the pipeline reads them.
final class CleanStepTests: XCTestCase {
    private func table(_ csv: String, schema: [String: ColumnType] = [:]) throws -> Table {
        try DataReader.parseCSV(Array(csv.utf8), origin: "d.csv", options: ReadOptions(schema: schema, textColumns: ["id"]))
    }

    /// Parses `steps` (YAML list items) and runs them on `csv`.
    private func clean(_ csv: String, _ steps: String, schema: [String: ColumnType] = [:]) throws
        -> (table: Table, report: DatasetCleaning, rejects: [CleaningReject]) {
        let yaml = "population: d\nid: id\ncriteria: [x]\ndatasets:\n  d:\n    file: d.csv\n    clean:\n"
            + steps.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n") + "\n"
        let def = try Definition.parse(text: yaml, file: "def.yaml", defaultName: "def")
        return try Cleaner.clean(try table(csv, schema: schema), steps: def.datasets[0].clean, dataset: "d",
                                 origin: "d.csv", definitionFile: "def.yaml")
    }

    private func values(_ t: Table, _ column: String) -> [String?] {
        (0..<t.rowCount).map { t[column]!.string(at: $0) }
    }

    private let dupes = "id,day,n\nA,2024-01-02,1\nB,2024-01-01,2\nA,2024-03-01,3\nA,2024-02-01,4\nB,,5\n"

    func testDedupeKeepsFirstLastOrLatestAndKeepsColumnsAligned() throws {
        let first = try clean(dupes, "- dedupe: { key: [id] }")
        XCTAssertEqual(values(first.table, "n"), ["1", "2"])
        XCTAssertEqual(first.report.steps[0].rowsRemoved, 3)
        let last = try clean(dupes, "- dedupe: { key: [id], keep: last }")
        XCTAssertEqual(values(last.table, "n"), ["4", "5"])
        XCTAssertEqual(values(last.table, "day"), ["2024-02-01", nil])
        let latest = try clean(dupes, "- dedupe: { key: [id], keep: latest, by: day }")
        XCTAssertEqual(values(latest.table, "n"), ["2", "3"], "a missing date never wins")
        XCTAssertEqual(values(latest.table, "id"), ["B", "A"], "kept rows stay in file order")
        XCTAssertEqual(latest.report.rowsIn, 5)
        XCTAssertEqual(latest.report.rowsOut, 2)
    }

    func testDedupeOnSeveralKeysAndMissingKeysAreNeverDuplicates() throws {
        let r = try clean("id,k,n\nA,1,1\nA,2,2\nA,1,3\n,1,4\n,1,5\n", "- dedupe: { key: [id, k] }")
        XCTAssertEqual(values(r.table, "n"), ["1", "2", "4", "5"])
    }

    func testLatestComparesIntegersAsIntegersAndAllMissingTextKeysKeepEveryRow() throws {
        // Past 2^53 two integers can share a double: nanosecond timestamps must still tell the later row.
        let big = "id,ts,n\nA,9007199254740992,1\nA,9007199254740993,2\nB,1733500000000000000,3\nB,1733500000000000100,4\n"
        XCTAssertEqual(values(try clean(big, "- dedupe: { key: [id], keep: latest, by: ts }").table, "n"), ["2", "4"])
        // A text key column with no value present (an empty dictionary): every row is kept, nothing is read past it.
        let empty = try clean("id,a,b\nr1,,x\nr2,,x\nr3,,y\n", "- dedupe: { key: [a, b] }", schema: ["a": .string])
        XCTAssertEqual(values(empty.table, "id"), ["r1", "r2", "r3"])
        let trimmed = try clean("id,a,b\nr1,  ,x\nr2, ,x\n", "- standardise: { column: a, trim: true }\n- dedupe: { key: [a, b] }",
                                schema: ["a": .string])
        XCTAssertEqual(values(trimmed.table, "id"), ["r1", "r2"])
    }

    func testStandardiseAndFillKeepCanonicallyEquivalentSpellingsApart() throws {
        // Texts compare by bytes everywhere in cleaning: trim must not rewrite "e" + U+0301 as the composed "é" seen
        // first, nor the Ångström sign as "Å"; a map changes only the spelling it names, and that change is counted.
        let csv = "id,t\n1,café\n2,cafe\u{301}\n3,\u{212B}\n4,\u{00C5}\n5,\n"
        func bytes(_ t: Table) -> [[UInt8]?] { values(t, "t").map { $0.map { Array($0.utf8) } } }
        let original: [[UInt8]?] = ["café", "cafe\u{301}", "\u{212B}", "\u{00C5}"].map { Array($0.utf8) } + [nil]
        let trimmed = try clean(csv, "- standardise: { column: t, trim: true }")
        XCTAssertEqual(bytes(trimmed.table), original)
        XCTAssertEqual(trimmed.report.steps[0].valuesChanged, 0)
        let mapped = try clean(csv, "- standardise: { column: t, map: { \"cafe\u{301}\": \"café\" } }")
        XCTAssertEqual(bytes(mapped.table), [original[0], original[0], original[2], original[3], nil])
        XCTAssertEqual(mapped.report.steps[0].valuesChanged, 1)
        let filled = try clean(csv, "- missing: { column: t, action: fill, value: \"cafe\u{301}\" }")
        XCTAssertEqual(bytes(filled.table), Array(original.prefix(4)) + [original[1]], "the fill's own bytes")
    }

    func testLatestNeedsADateOrNumberColumn() throws {
        XCTAssertThrowsError(try clean("id,s\nA,x\n", "- dedupe: { key: [id], keep: latest, by: s }")) { e in
            XCTAssertTrue("\(e)".contains("'by' must be a date or number column"), "\(e)")
        }
    }

    func testStandardiseTrimCaseCollapseAndMap() throws {
        let csv = "id,country\n1, germany \n2,DEUTSCHLAND\n3,  united   kingdom \n4,FR\n5,\n"
        let r = try clean(csv, #"- standardise: { column: country, trim: true, case: upper, collapse_whitespace: true, map: { "GERMANY": DE, "DEUTSCHLAND": DE } }"#)
        XCTAssertEqual(values(r.table, "country"), ["DE", "DE", "UNITED KINGDOM", "FR", nil])
        XCTAssertEqual(r.report.steps[0].valuesChanged, 3)
        let lower = try clean(csv, "- standardise: { column: country, case: lower }")
        XCTAssertEqual(values(lower.table, "country"), [" germany ", "deutschland", "  united   kingdom ", "fr", nil])
        let collapsed = try clean(csv, "- standardise: { column: country, collapse_whitespace: true }")
        XCTAssertEqual(values(collapsed.table, "country")[2], " united kingdom ", "collapse alone does not trim")
        let blank = try clean("id,c\n1,\"  \"\n2,x\n", "- standardise: { column: c, trim: true }")
        XCTAssertEqual(values(blank.table, "c"), [nil, "x"], "nothing left after trimming is missing")
    }

    func testStandardiseParsesDatesWithTheFirstMatchingFormat() throws {
        let csv = "id,signup\n1,01/02/2023\n2,2023-03-04\n3,bad\n4,31/02/2023\n5,\n6, 7 Mar 24\n"
        let r = try clean(csv, #"- standardise: { column: signup, trim: true, dates: ["%d/%m/%Y", "%Y-%m-%d", "%d %b %y"] }"#)
        XCTAssertEqual(r.table["signup"]!.type, .date)
        XCTAssertEqual(values(r.table, "signup"), ["2023-02-01", "2023-03-04", nil, nil, nil, "2024-03-07"])
        XCTAssertEqual(r.report.steps[0].valuesChanged, 3, "2 unparsed + 1 trimmed")
        XCTAssertTrue(r.report.steps[0].description.contains("3 parsed, 2 matched no format"), r.report.steps[0].description)
        XCTAssertEqual(DateFormat.parse("2024%07-1", format: "%Y%%%m-%d"), CivilDate(year: 2024, month: 7, day: 1))
        XCTAssertNil(DateFormat.parse("2024-07-01x", format: "%Y-%m-%d"))
        XCTAssertNotNil(DateFormat.problem("%Y-%m"))
        XCTAssertNotNil(DateFormat.problem("%Y-%m-%q"))
    }

    func testTextOperationsNeedATextColumn() throws {
        XCTAssertThrowsError(try clean("id,n\n1,5\n", "- standardise: { column: n, trim: true }")) { e in
            XCTAssertTrue("\(e)".hasPrefix("def.yaml:8: dataset 'd': standardise changes the text of 'n', an integer column"), "\(e)")
        }
    }

    private let ages = "id,age\nA,30\nB,\nC,50\nD,\nE,20\n"

    func testMissingActions() throws {
        let dropped = try clean(ages, "- missing: { column: age, action: drop_row }")
        XCTAssertEqual(values(dropped.table, "id"), ["A", "C", "E"])
        XCTAssertEqual(dropped.report.steps[0].rowsRemoved, 2)
        let filled = try clean(ages, "- missing: { column: age, action: fill, value: 0 }")
        XCTAssertEqual(values(filled.table, "age"), ["30", "0", "50", "0", "20"])
        XCTAssertEqual(filled.report.steps[0].valuesFilled, 2)
        let median = try clean(ages, "- missing: { column: age, action: fill_median }")
        XCTAssertEqual(values(median.table, "age"), ["30", "30", "50", "30", "20"])
        XCTAssertEqual(median.table["age"]!.type, .integer)
        let evenMedian = try clean("id,x\nA,1\nB,2\nC,\n", "- missing: { column: x, action: fill_median }")
        XCTAssertEqual(values(evenMedian.table, "x"), ["1", "2", "2"], "integer medians round half away from zero")
        let flagged = try clean(ages, "- missing: { column: age, action: flag }")
        XCTAssertEqual(values(flagged.table, "age_missing"), ["false", "true", "false", "true", "false"])
        XCTAssertEqual(values(flagged.table, "age"), ["30", nil, "50", nil, "20"])
        let text = try clean("id,c\nA,\nB,x\n", "- missing: { column: c, action: fill, value: unknown }")
        XCTAssertEqual(values(text.table, "c"), ["unknown", "x"])
    }

    func testFillValueMustFitTheColumnAndMedianNeedsNumbers() throws {
        XCTAssertThrowsError(try clean(ages, "- missing: { column: age, action: fill, value: old }")) { e in
            XCTAssertTrue("\(e)".contains("which is not an integer"), "\(e)")
        }
        XCTAssertThrowsError(try clean("id,c\nA,\nB,x\n", "- missing: { column: c, action: fill_median }")) { e in
            XCTAssertTrue("\(e)".contains("use 'action: fill'"), "\(e)")
        }
    }

    func testValidateRulesRejectRowsWithTheirLines() throws {
        let csv = "id,age,country,email\nA,30,DE,a@x.org\nB,130,DE,b@x.org\nC,,FR,c@x.org\nD,40,XX,d@x.org\nE,50,DE,nope\n"
        let t = try table(csv)
        XCTAssertEqual(t.columns.map(\.type), [.string, .integer, .string, .string])
        let r = try clean(csv, """
        - validate: { column: age, range: [0, 120], required: true }
        - validate: { column: country, allowed: [DE, FR] }
        - validate: { column: email, regex: "[^@]+@[^@]+" }
        """)
        XCTAssertEqual(values(r.table, "id"), ["A"])
        XCTAssertEqual(r.rejects, [
            CleaningReject(dataset: "d", line: 3, column: "age", rule: "range", value: "130"),
            CleaningReject(dataset: "d", line: 4, column: "age", rule: "required", value: ""),
            CleaningReject(dataset: "d", line: 5, column: "country", rule: "allowed", value: "XX"),
            CleaningReject(dataset: "d", line: 6, column: "email", rule: "regex", value: "nope"),
        ])
        XCTAssertEqual(r.report.steps.map(\.rejects), [2, 1, 1])
        XCTAssertEqual(r.report.steps.map(\.rowsRemoved), [2, 1, 1])
        let optional = try clean("id,age\nA,\n", "- validate: { column: age, range: [0, 120] }", schema: ["age": .integer])
        XCTAssertEqual(optional.table.rowCount, 1, "a missing value only fails required")
    }

    func testCatastrophicRegexStopsWithAnErrorInsteadOfHanging() throws {
        let csv = "id,name\nA,ab\nB," + String(repeating: "a", count: 40) + "b\n"
        XCTAssertThrowsError(try clean(csv, #"- validate: { column: name, regex: "(a+)+$" }"#)) { e in
            let err = e as? DataError
            XCTAssertEqual(err?.line, 3)
            XCTAssertTrue("\(e)".contains("ran longer than"), "\(e)")
        }
        XCTAssertEqual(Cleaner.fullMatch(try NSRegularExpression(pattern: "a+b"), "aab"), true)
        XCTAssertEqual(Cleaner.fullMatch(try NSRegularExpression(pattern: "a+"), "aab"), false, "the whole value must match")
    }

    func testRejectLinesAreOriginalRecordsAfterEarlierStepsRemovedRows() throws {
        let r = try clean("id,age\nA,1\nA,2\nB,200\n", "- dedupe: { key: [id] }\n- validate: { column: age, range: [0, 120] }")
        XCTAssertEqual(r.rejects.map(\.line), [4])
    }

    func testRejectLinesAreFileLinesAcrossBlankLinesAndQuotedLineBreaks() throws {
        // B starts on line 5 and C on line 6: a two-line quoted field and a blank line come before them.
        let r = try clean("id,note,age\nA,\"two\nlines\",1\n\nB,x,200\nC,y,300\n", "- validate: { column: age, range: [0, 120] }")
        XCTAssertEqual(r.rejects.map(\.line), [5, 6])
    }

    func testDateRangesAndRangeTypeMismatch() throws {
        let csv = "id,day\nA,2024-01-01\nB,1999-12-31\n"
        let r = try clean(csv, #"- validate: { column: day, range: ["2000-01-01", "2030-12-31"] }"#)
        XCTAssertEqual(r.rejects.map(\.value), ["1999-12-31"])
        XCTAssertThrowsError(try clean(csv, "- validate: { column: day, range: [0, 10] }")) { e in
            XCTAssertTrue("\(e)".contains("write the bounds as dates"), "\(e)")
        }
    }

    func testOnErrorStopNamesFileRecordColumnRuleAndValue() throws {
        XCTAssertThrowsError(try clean("id,age\nA,1\nB,200\n", "- validate: { column: age, range: [0, 120], on_error: stop }")) { e in
            let d = try? XCTUnwrap(e as? DataError)
            XCTAssertEqual(d?.file, "d.csv")
            XCTAssertEqual(d?.line, 3)
            XCTAssertEqual(d?.column, "age")
            XCTAssertTrue("\(e)".contains("record 2 of dataset 'd' breaks validate rule 'range' with value '200'"), "\(e)")
        }
    }

    func testUnknownColumnIsReportedBeforeAnyStepRuns() throws {
        XCTAssertThrowsError(try clean(ages, "- missing: { column: age, action: flag }\n- validate: { column: age_missing, allowed: [false] }\n- dedupe: { key: [idd] }")) { e in
            XCTAssertEqual("\(e)", "def.yaml:10: dataset 'd': clean step 3 (dedupe) names column 'idd', which d.csv does not have; did you mean 'id'? columns: id, age")
        }
    }
}

/// Personal values and the documented examples.
final class CleanPrivacyAndDocsTests: XCTestCase {
    func testPersonalValuesNeverReachTheRejects() throws {
        let table = try DataReader.parseCSV(Array("id,email\nA,a@x.org\nB,secret\n".utf8), origin: "d.csv")
        let def = try Definition.parse(text: """
            population: d
            id: id
            criteria: [x]
            datasets:
              d:
                file: d.csv
                schema: { email: { pii: true } }
                clean: [{ validate: { column: email, regex: ".+@.+" } }]
            """, file: "def.yaml", defaultName: "def")
        let r = try Cleaner.clean(table, steps: def.datasets[0].clean, dataset: "d", origin: "d.csv",
                                  definitionFile: "def.yaml", pii: Set(def.datasets[0].pii))
        XCTAssertEqual(r.rejects, [CleaningReject(dataset: "d", line: 3, column: "email", rule: "regex", value: "(withheld: pii)")])
        XCTAssertFalse(String(decoding: CleaningReport(datasets: [r.report], rejects: r.rejects).rejectsCSV, as: UTF8.self).contains("secret"))
    }

    /// The `clean:` examples in README.md and docs/CLEANING.md parse as printed.
    func testDocumentedExamplesParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for doc in ["README.md", "docs/CLEANING.md"] {
            let text = try String(contentsOf: root.appendingPathComponent(doc), encoding: .utf8)
            let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
            let example = try XCTUnwrap(blocks.first { $0.contains("    clean:\n") }, doc)
            let def = try Definition.parse(text: "population: customers\nid: customer_id\ncriteria: [x]\n" + example,
                                           file: doc, defaultName: "doc")
            XCTAssertGreaterThanOrEqual(def.datasets[0].clean.count, 4, doc)
        }
    }
}
