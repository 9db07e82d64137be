import Foundation
import XCTest

/// `clean:` end to end through `seg run`: the exports, the rejects, determinism, and unchanged outputs without it.
final class CleanCLITests: XCTestCase {
    private let customers = """
    customer_id,country,signup,age
    C1, germany ,01/02/2023,30
    C2,DEUTSCHLAND,2023-03-04,
    C1,Germany,05/06/2023,31
    C3,france,bad,150
    C4,  united   kingdom ,2022-12-31,45
    C5,Mars,2021-01-01,20

    """
    private let criterion = """
    return { api = 1, kind = "criterion", name = "all", version = "1", description = "d", uses = {"age"},
      assign = function(row, p) return "everyone" end }
    """

    private func definition(_ clean: String) -> String {
        """
        population: customers
        id: customer_id
        as_of: 2024-12-31
        datasets:
          customers:
            file: data/customers.csv
            clean:
        \(clean)
        criteria: [all]
        profile: { numeric: [age], categorical: [country] }
        """
    }

    private let steps = """
          - dedupe: { key: [customer_id], keep: last }
          - standardise: { column: country, trim: true, case: upper, collapse_whitespace: true, map: { "GERMANY": DE, "DEUTSCHLAND": DE } }
          - standardise: { column: signup, dates: ["%d/%m/%Y", "%Y-%m-%d"] }
          - missing: { column: age, action: fill_median }
          - validate: { column: age, range: [0, 120] }
          - validate: { column: country, allowed: [DE, FRANCE, UNITED KINGDOM] }
    """

    private func workspace(_ clean: String) throws -> TempWorkspace {
        try TempWorkspace(files: ["data/customers.csv": customers, "plugins/all.lua": criterion,
                                  "segmentations/d.yaml": definition(clean)])
    }

    private func exports(_ ws: TempWorkspace) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in ws.exportedFiles() {
            let name = URL(fileURLWithPath: path).lastPathComponent
            out[name] = try Data(contentsOf: ws.root.appendingPathComponent("exports/" + path))
        }
        return out
    }

    /// `--timings`: one line per phase and per cleaning step on stderr although it is not a terminal, the exports
    /// unchanged, and nothing of it without the flag.
    func testTimingsNameEveryCleaningStepAndChangeNoExport() throws {
        let a = try workspace(steps), b = try workspace(steps)
        defer { a.remove(); b.remove() }
        let timed = try SegProcess.run(["run", a.root.path, "--timings"])
        XCTAssertEqual(timed.status, 0, timed.stderr)
        let lines = timed.stderr.split(separator: "\n").filter { $0.hasPrefix("timing ") }
        let names = lines.map { $0.dropFirst("timing ".count).components(separatedBy: ": wall ")[0] }
        XCTAssertTrue(names.first?.hasPrefix("reading ") == true && names.first?.hasSuffix("data/customers.csv") == true, "\(names)")
        XCTAssertEqual(Array(names.dropFirst()), ["dedupe", "standardise", "standardise", "missing", "validate", "validate"]
                        .enumerated().map { "cleaning customers: step \($0 + 1) (\($1))" }
                        + ["joining datasets and deriving features", "running criterion all", "profiling", "report data",
                           "exports", "writing exports and storing the version"], timed.stderr)
        XCTAssertTrue(lines[0].contains(", 6 rows, 0.0 MB, ") && lines[0].hasSuffix(" MB per cpu s"), String(lines[0]))
        XCTAssertTrue(lines.allSatisfy { $0.range(of: #"wall \d+\.\d{3} s, cpu \d+\.\d{3} s, peak RSS [1-9]\d* MB"#, options: .regularExpression) != nil },
                      "\(lines)")
        let quiet = try SegProcess.run(["run", b.root.path])
        XCTAssertFalse(quiet.stderr.contains("timing "), quiet.stderr)
        XCTAssertEqual(try exports(a), try exports(b), "timings change no export")
    }

    /// Output about a run never ends it: with standard error closed, `--timings` (and the progress it writes) is
    /// lost and the run still stores its version and exports.
    func testTimingsWithStandardErrorClosedStillRun() throws {
        let ws = try workspace(steps)
        defer { ws.remove() }
        let r = try SegProcess.run(["-c", "exec \"$0\" run \"$1\" --timings 2>&-", SegProcess.binary.path, ws.root.path],
                                   executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertFalse(ws.exportedFiles().isEmpty, "the run went through")
    }

    /// A phase the run failed in is marked, so a script reading --timings does not take it for a finished one.
    func testTimingsMarkTheFailedPhase() throws {
        let stop = steps + "\n      - validate: { column: age, range: [0, 10], on_error: stop }"
        let ws = try workspace(stop)
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "--timings"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("timing ") }
        XCTAssertTrue(lines.last?.hasPrefix("timing cleaning customers: step 7 (validate): wall ") == true, "\(lines)")
        XCTAssertTrue(lines.last?.hasSuffix(", failed") == true, "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasSuffix(", failed") }.count, 1, "only the phase it failed in")
        XCTAssertTrue(r.stderr.contains("seg: error: "), r.stderr)
    }

    /// A regex must accept a value it matches whole, even when its first match is shorter (alternation, lazy repeats).
    func testRegexAcceptsValuesItMatchesWhole() throws {
        let ws = try TempWorkspace(files: [
            "data/customers.csv": "customer_id,zip,age\nC1,12345,1\nC2,12345-6789,2\nC3,1234,3\nC4,ab,4\n",
            "plugins/all.lua": criterion,
            "segmentations/d.yaml": """
            population: customers
            id: customer_id
            as_of: 2024-12-31
            datasets:
              customers:
                file: data/customers.csv
                schema: { zip: string }
                clean:
                  - validate: { column: zip, regex: "[0-9]{5}|[0-9]{5}-[0-9]{4}|a|ab" }
            criteria: [all]
            """])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rejects = try String(contentsOf: ws.root.appendingPathComponent("exports/" + XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("rejects.csv") })), encoding: .utf8)
        XCTAssertEqual(rejects, "dataset,line,column,rule,value\ncustomers,4,zip,regex,1234\n")
    }

    func testDirtyWorkspaceGivesCleaningReportRejectsAndIdenticalBytes() throws {
        let a = try workspace(steps), b = try workspace(steps)
        defer { a.remove(); b.remove() }
        for ws in [a, b] {
            let r = try SegProcess.run(["run", ws.root.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("2 customers rows failed validation and went to rejects.csv"), r.stdout)
        }
        let files = try exports(a)
        XCTAssertEqual(files.keys.sorted(), ["cleaning.json", "membership.csv", "notes.txt", "profiles.csv", "profiles.json",
                                             "profiles.md", "rejects.csv", "report-data.json", "report.html"])
        XCTAssertTrue(String(decoding: files["notes.txt"]!, as: UTF8.self).contains("rows failed validation"), "the run's notes are exported")
        XCTAssertEqual(files, try exports(b), "two runs of the same inputs give the same bytes")
        XCTAssertEqual(String(decoding: files["rejects.csv"]!, as: UTF8.self),
                       "dataset,line,column,rule,value\ncustomers,5,age,range,150\ncustomers,7,country,allowed,MARS\n")
        XCTAssertEqual(String(decoding: files["membership.csv"]!, as: UTF8.self),
                       "customer_id,segment\nC2,everyone\nC1,everyone\nC4,everyone\n")
        let json = try JSONSerialization.jsonObject(with: files["cleaning.json"]!) as? [String: Any]
        let dataset = try XCTUnwrap((json?["datasets"] as? [[String: Any]])?.first)
        XCTAssertEqual(dataset["rows_in"] as? Int, 6)
        XCTAssertEqual(dataset["rows_out"] as? Int, 3)
        let stepReports = try XCTUnwrap(dataset["steps"] as? [[String: Any]])
        XCTAssertEqual(stepReports.map { $0["name"] as? String }, ["dedupe", "standardise", "standardise", "missing", "validate", "validate"])
        XCTAssertEqual(stepReports.map { $0["rows_removed"] as? Int }, [1, 0, 0, 0, 1, 1])
        XCTAssertEqual(stepReports.map { $0["values_changed"] as? Int }, [0, 5, 1, 0, 0, 0])
        XCTAssertEqual(stepReports.map { $0["values_filled"] as? Int }, [0, 0, 0, 1, 0, 0])
        XCTAssertEqual(stepReports.map { $0["rejects"] as? Int }, [0, 0, 0, 0, 1, 1])
        let md = String(decoding: files["profiles.md"]!, as: UTF8.self)
        XCTAssertTrue(md.contains("## Cleaning\n\n| dataset | rows in | rows out | rejects |"), md)
        XCTAssertTrue(md.contains("| customers | 6 | 3 | 2 |"), md)
        XCTAssertTrue(md.contains("| DE | 2 |"), "the profile sees the cleaned values: \(md)")
    }

    func testChangingCleanStepsChangesTheRunID() throws {
        let a = try workspace(steps), b = try workspace(steps + "\n      - missing: { column: signup, action: flag }")
        defer { a.remove(); b.remove() }
        for ws in [a, b] { XCTAssertEqual(try SegProcess.run(["run", ws.root.path]).status, 0) }
        XCTAssertNotEqual(a.exportedFiles().first?.split(separator: "/")[1], b.exportedFiles().first?.split(separator: "/")[1])
    }

    func testUnknownColumnFailsBeforeAnyPluginRunsAndStopNamesTheRecord() throws {
        let typo = try workspace("      - validate: { column: agee, range: [0, 120] }")
        defer { typo.remove() }
        let r = try SegProcess.run(["run", typo.root.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("segmentations/d.yaml:8: dataset 'customers': clean step 1 (validate) names column 'agee'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'age'?"), r.stderr)
        XCTAssertEqual(typo.exportedFiles(), [])

        let stop = try workspace("      - validate: { column: age, range: [0, 120], on_error: stop }")
        defer { stop.remove() }
        let s = try SegProcess.run(["run", stop.root.path])
        XCTAssertNotEqual(s.status, 0)
        XCTAssertTrue(s.stderr.contains("data/customers.csv, line 5, column 'age': record 4 of dataset 'customers' breaks validate rule 'range' with value '150'"), s.stderr)
        XCTAssertEqual(stop.exportedFiles(), [])
    }

    func testDefinitionsWithoutCleanWriteNoCleaningOutputs() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "--as-of", "2024-06-30"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The demo's b2b definition cleans its phone numbers; every other demo definition has no `clean:` steps.
        let cleaning = try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent("segmentations").path)
            .filter { try String(contentsOf: ws.root.appendingPathComponent("segmentations/\($0)"), encoding: .utf8)
                .contains("\n    clean:") }
        XCTAssertEqual(cleaning, ["b2b.yaml"])
        let files = ws.exportedFiles().filter { !$0.hasPrefix("b2b/") }
        XCTAssertFalse(files.isEmpty)
        XCTAssertFalse(files.contains { $0.hasSuffix("cleaning.json") || $0.hasSuffix("rejects.csv") }, "\(files)")
        for path in files where path.hasSuffix("profiles.md") {
            let md = try String(contentsOf: ws.root.appendingPathComponent("exports/" + path), encoding: .utf8)
            XCTAssertFalse(md.contains("## Cleaning"), path)
            XCTAssertTrue(md.contains("## Inputs"), path)
        }
    }
}
