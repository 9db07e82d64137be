import Foundation
import XCTest
import LuaHost

/// plugins/sources/legacy_pipe.lua: reading a legacy export from a temporary workspace.
final class LegacyPipeSourceTests: XCTestCase {
    typealias F = PluginFixture

    private var workspace: URL!

    override func setUpWithError() throws {
        workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("segwork-legacy-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("data"),
                                                withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    private func write(_ text: String, to relativePath: String = "data/legacy_survey.txt") throws {
        try Data(text.utf8).write(to: workspace.appendingPathComponent(relativePath))
    }

    private func read(file: String? = nil) throws -> SourceOutput {
        let overrides: [String: PluginValue] = file.map { ["file": .string($0)] } ?? [:]
        let plugin = try F.load("sources/legacy_pipe.lua", fileRoot: workspace.path, overrides: overrides)
        return try plugin.read()
    }

    func testManifestDeclaresItsColumns() throws {
        let plugin = try F.load("sources/legacy_pipe.lua", fileRoot: workspace.path)
        XCTAssertEqual(plugin.manifest.kind, .source)
        XCTAssertEqual(plugin.manifest.columns, [SourceColumn(name: "customer_id", type: "string"),
                                                 SourceColumn(name: "nps_score", type: "integer"),
                                                 SourceColumn(name: "survey_date", type: "date")])
        XCTAssertEqual(plugin.manifest.params["file"], .string("data/legacy_survey.txt"))
    }

    func testReadsRecordsSkippingCommentsBlankLinesAndCRLF() throws {
        try write("\u{FEFF}# exported by the old CRM\r\n"
                  + "\r\n"
                  + "customer_id | nps_score | survey_date\r\n"
                  + "   # a comment after the header\r\n"
                  + "C001 | 9 | 05/01/2023\r\n"
                  + "C002||\r\n"
                  + "   \r\n"
                  + "C003 | 7.0 | 29/02/2024\r\n"
                  + "C004|10|1/2/2023")
        let out = try read()
        XCTAssertEqual(out.names, ["customer_id", "nps_score", "survey_date"])
        XCTAssertEqual(out.values.count, 3)
        guard out.values.count == 3 else { return }
        XCTAssertEqual(out.values[0], [.string("C001"), .string("C002"), .string("C003"), .string("C004")])
        XCTAssertEqual(out.values[1], [.int(9), .null, .int(7), .int(10)])
        XCTAssertEqual(out.values[2], [.string("2023-01-05"), .null, .string("2024-02-29"), .string("2023-02-01")])
    }

    func testFileParamPointsAnywhereInsideTheWorkspace() throws {
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("data/old"),
                                                withIntermediateDirectories: true)
        try write("CUSTOMER_ID|NPS_SCORE|SURVEY_DATE\nX9|0|31/12/1999\n", to: "data/old/export.txt")
        let out = try read(file: "data/old/export.txt")
        XCTAssertEqual(out.values.first, [.string("X9")])
        XCTAssertEqual(out.values.last, [.string("1999-12-31")])
    }

    func testMalformedLineNamesTheLineNumber() throws {
        try write("# header follows\ncustomer_id|nps_score|survey_date\nC1|5|01/01/2020\nC2|5\n")
        F.assertRuntimeError(try read(), contains: "legacy_pipe: line 4: expected 3 fields, got 2")
    }

    func testInvalidDateNamesTheLineAndValue() throws {
        try write("customer_id|nps_score|survey_date\nC1|5|31/02/2021\n")
        F.assertRuntimeError(try read(),
                             contains: "legacy_pipe: line 2: survey_date '31/02/2021' is not a valid DD/MM/YYYY date")
    }

    func testNonIntegerScoreNamesTheLineAndValue() throws {
        try write("customer_id|nps_score|survey_date\nC1|7.5|01/01/2020\n")
        F.assertRuntimeError(try read(), contains: "legacy_pipe: line 2: nps_score '7.5' is not a whole number")
    }

    func testMissingHeaderIsReported() throws {
        try write("C1|5|01/01/2020\n")
        F.assertRuntimeError(try read(),
                             contains: "legacy_pipe: line 1: expected the header customer_id|nps_score|survey_date")
        try write("# nothing but comments\n\n")
        F.assertRuntimeError(try read(), contains: "has no header line")
    }

    func testCannotReadOutsideTheWorkspace() throws {
        XCTAssertThrowsError(try read(file: "../../etc/passwd"))
    }
}
