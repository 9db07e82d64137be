import Foundation
import XCTest

/// The examples of docs/PLUGINS.md, "Testing plugins", run as printed: the test file for the spend_band criterion
/// example, the output of `seg plugins test`, the failure it shows, and `seg plugins new`.
final class PluginTestDocExampleTests: XCTestCase {
    private var section = ""
    private var page = ""
    private var cwd: URL!

    override func setUpWithError() throws {
        page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/PLUGINS.md"), encoding: .utf8)
        let start = try XCTUnwrap(page.range(of: "## Testing plugins\n"))
        section = String(page[start.upperBound...])
        if let next = section.range(of: "\n## ") { section = String(section[..<next.lowerBound]) }
        cwd = FileManager.default.temporaryDirectory.appendingPathComponent("segdoc-\(UUID().uuidString)")
        let criteria = cwd.appendingPathComponent("my-library/criteria")
        try FileManager.default.createDirectory(at: criteria, withIntermediateDirectories: true)
        try block("lua", startingWith: "-- spend_band:", in: page)
            .write(to: criteria.appendingPathComponent("spend_band.lua"), atomically: true, encoding: .utf8)
        try block("lua", startingWith: "return {", in: section)
            .write(to: criteria.appendingPathComponent("spend_band.test.lua"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: cwd) }

    /// The first fenced block of `language` whose text starts with `prefix`.
    private func block(_ language: String, startingWith prefix: String, in text: String) throws -> String {
        let found = text.components(separatedBy: "```\(language)\n").dropFirst()
            .compactMap { $0.components(separatedBy: "```").first }.first { $0.hasPrefix(prefix) }
        return try XCTUnwrap(found, "no ```\(language) block starting with \(prefix)")
    }

    /// Runs the command of a ```text block that starts with `$ seg …` and checks its output is the rest of the block.
    private func runExample(startingWith command: String, status: Int32 = 0) throws {
        let example = try block("text", startingWith: "$ seg " + command, in: section)
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false)
        let args = lines[0].dropFirst("$ seg ".count).split(separator: " ").map(String.init)
        let r = try SegProcess.run(args, cwd: cwd)
        XCTAssertEqual(r.status, status, r.stderr)
        XCTAssertEqual(r.stdout, lines.dropFirst().joined(separator: "\n"))
    }

    func testTestCommandOutputAsPrinted() throws {
        try runExample(startingWith: "plugins test my-library spend_band")
    }

    func testFailureAsPrinted() throws {
        let file = cwd.appendingPathComponent("my-library/criteria/spend_band.test.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "row = { monetary = 1000 }, label = \"High\"",
                                                with: "row = { monetary = 1000 }, label = \"Mid\"")
        XCTAssertNotEqual(changed, text, "the third case of the page is the one the failure example changes")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["plugins", "test", "my-library"], cwd: cwd)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains(try block("text", startingWith: "FAIL spend_band", in: section)), r.stdout)
    }

    func testNewCommandOutputAsPrinted() throws {
        try runExample(startingWith: "plugins new criterion tier")
        let r = try SegProcess.run(["plugins", "test", "my-library", "tier"], cwd: cwd)
        XCTAssertEqual(r.status, 0, r.stdout)
    }
}
