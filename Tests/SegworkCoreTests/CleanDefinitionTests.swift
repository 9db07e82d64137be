import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Parsing `clean:` lists: every mistake names the file, the line and, for typos, the likely word.
final class CleanDefinitionTests: XCTestCase {
    private func parse(_ steps: String) throws -> [CleanStep] {
        let yaml = "population: d\nid: id\ncriteria: [x]\ndatasets:\n  d:\n    file: d.csv\n    clean:\n"
            + steps.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n") + "\n"
        return try Definition.parse(text: yaml, file: "def.yaml", defaultName: "def").datasets[0].clean
    }

    private func assertError(_ steps: String, _ expected: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(steps), line: line) { e in
            XCTAssertTrue("\(e)".contains(expected), "\(e)", line: line)
        }
    }

    func testParsesEveryStep() throws {
        let steps = try parse("""
        - dedupe: { key: [id], keep: latest, by: day }
        - standardise: { column: c, trim: true, case: upper, collapse_whitespace: true, map: { A: B } }
        - standardise: { column: s, dates: ["%d/%m/%Y"] }
        - missing: { column: age, action: fill, value: 3 }
        - validate: { column: age, range: [0, 120], allowed: ["1"], regex: "[0-9]+", required: true, on_error: stop }
        """)
        XCTAssertEqual(steps.map(\.name), ["dedupe", "standardise", "standardise", "missing", "validate"])
        XCTAssertEqual(steps.map(\.line), [8, 9, 10, 11, 12])
        XCTAssertEqual(steps[0].action, .dedupe(key: ["id"], keep: .latest(by: "day")))
        XCTAssertEqual(steps[1].action, .standardise(StandardiseSpec(column: "c", trim: true, textCase: .upper,
                                                                     collapseWhitespace: true, map: ["A": "B"])))
        XCTAssertEqual(steps[3].action, .missing(column: "age", action: .fill("3")))
        guard case .validate(let v) = steps[4].action else { return XCTFail("\(steps[4])") }
        XCTAssertEqual(v.range?.min, 0)
        XCTAssertEqual(v.range?.max, 120)
        XCTAssertEqual(v.onError, .stop)
        XCTAssertTrue(v.required)
    }

    func testUnknownStepsAndOptionsSuggestTheRightWord() {
        assertError("- dedup: { key: [id] }", "def.yaml:8: unknown field 'dedup' in 'datasets.d.clean[0]'; did you mean 'dedupe'?")
        assertError("- standardize: { column: c, trim: true }", "did you mean 'standardise'?")
        assertError("- missing: { colum: c, action: flag }", "def.yaml:8: unknown field 'colum' in 'datasets.d.clean[0].missing'; did you mean 'column'?")
        assertError("- missing: { column: c, action: fil }", "did you mean 'fill'?")
        assertError("- dedupe: { key: [id], keep: lastt }", "did you mean 'last'?")
        assertError("- validate: { column: c, rang: [1, 2] }", "did you mean 'range'?")
    }

    func testIncompleteOrContradictoryStepsAreErrors() {
        assertError("- dedupe: { key: [id], keep: latest }", "needs 'by: <date column>'")
        assertError("- dedupe: { key: [id], by: day }", "by' only goes with 'keep: latest'")
        assertError("- dedupe: { keep: first }", "needs 'key:")
        assertError("- missing: { column: c, action: fill }", "needs 'value: <value>'")
        assertError("- missing: { column: c, action: flag, value: 1 }", "only goes with 'action: fill'")
        assertError("- standardise: { column: c }", "does nothing")
        assertError("- standardise: { column: c, case: title }", "must be upper or lower")
        assertError(#"- standardise: { column: c, dates: ["%Y-%m"] }"#, "needs a year")
        assertError("- validate: { column: c }", "checks nothing")
        assertError("- validate: { column: c, range: [5, 1] }", "min above max")
        assertError(#"- validate: { column: c, range: [1, "2024-01-01"] }"#, "mixes a date and a number")
        assertError(#"- validate: { column: c, regex: "(" }"#, "not a valid regular expression")
        assertError("- validate: { column: c, required: true, on_error: skip }", "must be reject or stop")
        assertError("- { dedupe: { key: [a] }, missing: { column: c, action: flag } }", "must name exactly one step")
    }

    func testCleanStepsChangeTheRunID() throws {
        let base = "population: d\nid: id\ncriteria: [x]\ndatasets:\n  d:\n    file: d.csv\n"
        let plain = try Definition.parse(text: base, file: "f", defaultName: "f")
        let cleaned = try Definition.parse(text: base + "    clean: [{ dedupe: { key: [id] } }]\n", file: "f", defaultName: "f")
        let date = CivilDate(year: 2024, month: 1, day: 1)!
        XCTAssertTrue(plain.datasets[0].clean.isEmpty)
        XCTAssertNotEqual(Runner.runID(definition: plain, inputs: [], plugins: [], asOf: date),
                          Runner.runID(definition: cleaned, inputs: [], plugins: [], asOf: date))
    }
}
