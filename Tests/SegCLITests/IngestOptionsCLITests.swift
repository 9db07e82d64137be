import Foundation
import XCTest

/// Schema date formats, `invalid_utf8: replace` and the progress line, through `seg run` as a user runs it.
final class IngestOptionsCLITests: XCTestCase {
    private let criterion = """
    return { api = 1, kind = "criterion", name = "era", version = "1", description = "d", uses = {"joined"},
      assign = function(row, p) if row.joined < "2022-01-08" then return "early" else return "late" end end }
    """

    private func workspace(customers: Data, schema: String, extra: String = "") throws -> TempWorkspace {
        let ws = try TempWorkspace(files: ["plugins/era.lua": criterion, "segmentations/d.yaml": """
            population: customers
            id: customer_id
            as_of: 2024-12-31
            datasets:
              customers:
                file: data/customers.csv
                schema: { \(schema) }
            \(extra)
            criteria: [era]
            profile: { categorical: [name] }
            """])
        try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try customers.write(to: ws.root.appendingPathComponent("data/customers.csv"))
        return ws
    }

    func testFormattedDatesAndReplacedBytesRunAndSayHowMany() throws {
        // Plugins see dates as YYYY-MM-DD text.
        var csv = Data("customer_id,name,joined\nC1,Ann,07/01/2022\nC2,B".utf8)
        csv.append(contentsOf: [0xE9, 0xE9])
        csv.append(Data("a,9/1/2022\n".utf8))
        let ws = try workspace(customers: csv, schema: "joined: { format: \"%d/%m/%Y\" }",
                               extra: "    invalid_utf8: replace")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("customers.csv: replaced 2 invalid UTF-8 sequences with U+FFFD (first on line 3)"), r.stdout)
        let membership = try ws.exportedFiles().first { $0.hasSuffix("membership.csv") }.map {
            try String(contentsOf: ws.root.appendingPathComponent("exports").appendingPathComponent($0), encoding: .utf8)
        }
        XCTAssertEqual(membership, "customer_id,segment\nC1,early\nC2,late\n")
        XCTAssertEqual(r.stderr, "", "no progress text when standard error is not a terminal")
    }

    func testWrongFormatNamesFileLineColumnValueAndFormat() throws {
        let ws = try workspace(customers: Data("customer_id,name,joined\nC1,Ann,07/01/2022\nC2,Bo,2022-01-09\n".utf8),
                               schema: "joined: { format: \"%d/%m/%Y\" }")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 3, column 'joined': '2022-01-09' is not a date in the format '%d/%m/%Y'"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
    }

    func testUnknownDirectiveIsADefinitionErrorWithItsLine() throws {
        let ws = try workspace(customers: Data("customer_id,name,joined\nC1,Ann,07/01/2022\n".utf8),
                               schema: "joined: { format: \"%d/%m/%Q\" }")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("d.yaml:7: 'datasets.customers.schema.joined.format': format '%d/%m/%Q' uses the unknown directive '%Q'"), r.stderr)
    }

    func testInvalidUTF8WithoutTheSettingStopsAtTheLine() throws {
        var csv = Data("customer_id,name,joined\nC1,Ann,07/01/2022\nC2,B".utf8)
        csv.append(0xFF)
        csv.append(Data(",09/01/2022\n".utf8))
        let ws = try workspace(customers: csv, schema: "joined: { format: \"%d/%m/%Y\" }")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 3: the file is not valid UTF-8 text (bad byte 0xFF)"), r.stderr)
    }

    func testQuietImportAndVerifyPrintNoProgress() throws {
        let ws = try workspace(customers: Data("customer_id,name,joined\nC1,Ann,07/01/2022\n".utf8),
                               schema: "joined: { format: \"%d/%m/%Y\" }")
        defer { ws.remove() }
        let imported = try SegProcess.run(["import", ws.root.path, "extra", ws.root.appendingPathComponent("data/customers.csv").path])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stderr, "")
        XCTAssertEqual(try SegProcess.run(["import", "--quiet", ws.root.path, "extra", ws.root.appendingPathComponent("data/customers.csv").path]).status, 0)
        let run = try SegProcess.run(["run", "--quiet", ws.root.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout + run.stderr, "")
        let verify = try SegProcess.run(["run", ws.root.path, "--verify", "latest"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(verify.stderr, "")
    }
}
