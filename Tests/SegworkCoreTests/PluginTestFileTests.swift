import Foundation
import XCTest
import LuaHost
import SegworkData
@testable import SegworkCore

/// The test-file format of `seg plugins test` (PluginTestFileParser) and how its rows become typed columns.
final class PluginTestFileTests: XCTestCase {
    private func parse(_ value: PluginValue, kind: PluginKind = .criterion) throws -> [PluginTestCase] {
        try PluginTestFileParser(file: "criteria/x.test.lua", kind: kind).cases(from: value)
    }

    /// The file's error, or the first malformed case's (a malformed case fails alone: the others still run).
    private func message(_ value: PluginValue, kind: PluginKind = .criterion) -> String {
        do {
            for c in try parse(value, kind: kind) { if case .invalid(let problem) = c.expect { return problem } }
            return "(no error)"
        } catch { return "\(error)" }
    }

    func testFixtureRuleAndSharedParams() throws {
        let cases = try parse(.object([
            "params": .object(["cut": .int(5), "mode": .string("a")]),
            "cases": .array([
                .object(["row": .object(["x": .int(1)]), "label": .string("A")]),
                .object(["name": .string("own"), "row": .object(["x": .int(2)]), "params": .object(["cut": .int(7)]),
                         "fixture": .array([.object(["x": .int(40)])]), "none": .bool(true)]),
            ]),
        ]))
        XCTAssertEqual(cases.map(\.name), ["#1", "own"])
        XCTAssertEqual(cases[0].fixture, [["x": .int(1)], ["x": .int(2)]], "no fixture: the rows of every case")
        XCTAssertEqual(cases[1].fixture, [["x": .int(40)]])
        XCTAssertEqual(cases[1].params, ["cut": .int(7), "mode": .string("a")], "a case's params go over the file's")
        XCTAssertEqual(cases[0].expect, .label("A"))
        XCTAssertEqual(cases[1].expect, .none)
        let shared = try parse(.object(["fixture": .array([.object(["x": .int(9)])]),
                                        "cases": .array([.object(["row": .object([:]), "none": .bool(true)])])]))
        XCTAssertEqual(shared[0].fixture, [["x": .int(9)]])
    }

    func testExpectationsAreCheckedAgainstTheKind() {
        XCTAssertEqual(message(.array([.object(["row": .object([:]), "label": .string("A"), "none": .bool(true)])])),
                       "criteria/x.test.lua: case '#1' expects both label and none; a criterion case expects one of label = \"…\", none = true, error = \"…\"")
        XCTAssertEqual(message(.array([.object(["row": .object([:]), "dropped": .bool(true)])]), kind: .scorer),
                       "criteria/x.test.lua: case '#1': 'dropped' does not fit; a scorer case expects one of score = n, none = true, error = \"…\"")
        XCTAssertEqual(message(.array([.object(["row": .object([:]), "label": .string("A"), "tolerance": .double(1)])])),
                       "criteria/x.test.lua: case '#1': 'tolerance' goes with 'score'")
        XCTAssertEqual(message(.array([.object(["row": .object([:]), "records": .array([])])]), kind: .source),
                       "criteria/x.test.lua: case '#1': a source reads a file, not a row; give the file in params and the expected 'records'")
        XCTAssertEqual(message(.array([])), "criteria/x.test.lua: has no cases; add at least one")
        XCTAssertEqual(message(.string("x")), "criteria/x.test.lua: must return a list of cases, e.g. return { { row = {…}, label = \"…\" } }; got a string")
        XCTAssertEqual(message(.object(["case": .array([])])),
                       "criteria/x.test.lua: the returned table has an unknown field 'case'; did you mean 'cases'? known: params, fixture, as_of, cases")
    }

    func testRowTypesFollowTheValues() throws {
        let rows: [[String: PluginValue]] = [["i": .int(1), "d": .int(1), "day": .string("2024-02-29"), "s": .string("2024-02-30")],
                                             ["d": .double(1.5), "b": .bool(true), "s": .string("x")]]
        let types = try PluginTestRows.types(of: ["i", "d", "day", "s", "b", "none"], in: rows)
        XCTAssertEqual(types, ["i": .integer, "d": .double, "day": .date, "s": .string, "b": .bool, "none": .string])
        XCTAssertThrowsError(try PluginTestRows.types(of: ["m"], in: [["m": .int(1)], ["m": .string("1")]])) {
            XCTAssertEqual("\($0)", "field 'm' mixes integer and string values; a column has one type")
        }
        let day = PluginTestRows.column("day", type: .date, rows: rows)
        XCTAssertEqual(day.statistics().count, 1, "a date column: numeric statistics over its days, as in a run")
        XCTAssertEqual(day.statistics().min, Double(CivilDate(iso: "2024-02-29")!.days))
    }

    func testShownValuesAndNumericEquality() {
        XCTAssertEqual(PluginValue.object(["b": .double(9), "a": .string("x\"y")]).testShown, #"{ a = "x\"y", b = 9 }"#)
        XCTAssertTrue(PluginValue.int(7).testEquals(.double(7)))
        XCTAssertFalse(PluginValue.int(7).testEquals(.string("7")))
        XCTAssertNil(PluginTestVerdict.compare(.score(1.5, tolerance: 0.1), .score(1.59)))
        XCTAssertEqual(PluginTestVerdict.compare(.dropped, .cleaned(["s": .string("A")]))?.actual, #"cleaned row { s = "A" }"#)
    }
}
