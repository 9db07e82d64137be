import Foundation
import XCTest

/// The bundled method plugins through `seg run` on data as exports write it (QA H1, H2, M2, L6): flags written 1/0 or
/// yes/no, numbers in a column the host reads as text, Unicode country names, `NA`, 0 employees. The host types the
/// columns (an integer 1/0 column, a text column because of one stray value), so these cases need a real run; the
/// plugins' own `.test.lua` files check each rule case by case.
final class MethodPluginDataCLITests: XCTestCase {
    private func definition(_ criterion: String, params: String = "{}") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/customers.csv }
        criteria:
          - { plugin: \(criterion), params: \(params) }
        as_of: 2024-12-31
        """
    }

    /// Runs the one definition of a workspace holding `csv`; returns the run and customer → segment.
    private func run(_ csv: String, _ criterion: String, params: String = "{}") throws
        -> (SegProcess.Result, [String: String]) {
        let ws = try TempWorkspace(files: ["data/customers.csv": csv,
                                           "segmentations/d.yaml": definition(criterion, params: params)])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "-q"])
        var segments: [String: String] = [:]
        if let path = ws.exportedFiles().first(where: { $0.hasSuffix("membership.csv") }) {
            let text = try String(contentsOf: ws.root.appendingPathComponent("exports/\(path)"), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                segments[String(fields[0])] = fields.count > 1 ? String(fields[1]) : ""
            }
        }
        return (r, segments)
    }

    private func adoption(_ yes: String, _ no: String, stray: String? = nil) -> String {
        // a: share 0.5 with the app -> Digital-first; b: share 0.2 without -> Offline; c: share 0.2 with -> Omnichannel
        "customer_id,online_orders,store_orders,app_user\na,2,2,\(yes)\nb,1,4,\(no)\nc,1,4,\(stray ?? yes)\n"
    }

    /// H1: `app_user` written 1/0, yes/no or with one `yes` among true/false made every app user a non-app user.
    func testTechAdoptionReadsAppUserInEveryUsualSpelling() throws {
        let expected = ["a": "Digital-first", "b": "Offline", "c": "Omnichannel"]
        for (yes, no, stray) in [("true", "false", nil), ("1", "0", nil), ("yes", "no", nil), ("Y", "N", nil),
                                 ("TRUE", "False", nil), ("true", "false", "yes")] {
            let (r, segments) = try run(adoption(yes, no, stray: stray), "tech_adoption")
            XCTAssertEqual(r.status, 0, "\(yes)/\(no): \(r.stderr)")
            XCTAssertEqual(segments, expected, "app_user written \(yes)/\(no)\(stray.map { " with one \($0)" } ?? "")")
        }
    }

    func testAnUnrecognisedFlagIsAnErrorNamingTheValueAndTheForms() throws {
        let (r, _) = try run(adoption("true", "false", stray: "maybe"), "tech_adoption")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("tech_adoption: app_user must be a yes/no flag, got text 'maybe'; write it as "
            + "true/false, yes/no, y/n or 1/0 (any case)"), r.stderr)
    }

    /// M2: a value that is not a number made the column text, and plugins failed with raw Lua errors.
    func testATextColumnIsAClearErrorInPrepareAndInAssign() throws {
        let csv = "customer_id,monetary,csat_score,employees,industry,revenue\n001,5.5,4,3,Retail,10\n"
            + "002,abc,abc,50-249,Retail,10\n003,7,5,12,Retail,10\n"
        let cases = [("value_tier", "{}", "value_tier: monetary must be a number, but its column was read as text "
                        + "(e.g. 'abc'), so it has no percentiles; clean the values that are not numbers"),
                     ("value_tier", "{ method: fixed }", "value_tier: monetary must be a number, got text 'abc'"),
                     ("csat", "{}", "csat: csat_score must be a number, got text 'abc'; clean that value, or declare "
                        + "the column double (or integer) in the dataset's schema"),
                     ("firmographic", "{ parts: [size] }", "firmographic: employees must be a number, got text '50-249'")]
        for (plugin, params, message) in cases {
            let (r, _) = try run(csv, plugin, params: params)
            XCTAssertNotEqual(r.status, 0, plugin)
            XCTAssertTrue(r.stderr.contains(message), "\(plugin): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("attempt to"), r.stderr)
        }
    }

    func testNumbersInATextColumnStillWork() throws {
        // One stray value ("n/a" for c) makes the column text; the numbers written as text are still numbers.
        let csv = "customer_id,frequency,monetary\na,2,\" 100.0 \"\nb,1,10\nc,0,n/a\n"
        let (r, segments) = try run(csv, "order_value")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("order_value: monetary must be a number, got text 'n/a'"), r.stderr)
        let ok = "customer_id,frequency,monetary\na,2,\" 100.0 \"\nb,1,10\nc,0,\n"
        let (r2, segments2) = try run(ok, "order_value")
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(segments2, ["a": "Mid AOV", "b": "Low AOV", "c": "No orders"])
        XCTAssertTrue(segments.isEmpty)
    }

    /// H2: case beyond ASCII, official spellings, apostrophes and dots; NA is missing unless asked.
    func testGeoRegionMatchesOfficialSpellingsAndTreatsNAAsMissing() throws {
        let csv = "customer_id,country\na,Viet Nam\nb,TÜRKIYE\nc,Côte d’Ivoire\nd,U.S.\ne,NA\nf,\"Korea, Republic of\"\n"
        let (r, segments) = try run(csv, "geo_region", params: "{ level: subregion }")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(segments, ["a": "South-eastern Asia", "b": "Western Asia", "c": "Western Africa",
                                  "d": "Northern America", "e": "", "f": "Eastern Asia"])
        let (r2, namibia) = try run(csv, "geo_region", params: "{ level: subregion, na_is_namibia: true }")
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(namibia["e"], "Southern Africa")
    }

    /// L6: 0 employees was "Micro (1-9)".
    func testFirmographicZeroEmployeesIsItsOwnSizeClass() throws {
        let csv = "customer_id,industry,employees,revenue\na,Retail,0,0\nb,Retail,1,0\n"
        let (r, segments) = try run(csv, "firmographic", params: "{ parts: [size] }")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(segments, ["a": "No employees (0)", "b": "Micro (1-9)"])
    }
}
