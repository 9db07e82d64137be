import Foundation
import XCTest

/// Issue 4's bad data files, end to end: each stops `seg run` with status 1 and a message naming the file and
/// line, and leaves nothing behind (no exports, no version in the store).
final class BadDataFileTests: XCTestCase {
    private let plugin = """
        return {
          api = 1, kind = "criterion", name = "ok", version = "1.0.0", description = "test",
          uses = { "customer_id" },
          assign = function(row, p) return "all" end,
        }
        """

    private func definition(file: String) -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/\(file) }
        criteria:
          - plugin: ok
        as_of: 2024-01-01
        """
    }

    /// Runs `seg run` on a workspace whose customers file holds `bytes`; checks status, message and leftovers.
    private func assertRefused(_ file: String, _ bytes: [UInt8], line: Int?, _ fragment: String,
                               file source: StaticString = #filePath, line sourceLine: UInt = #line) throws {
        let ws = try TempWorkspace(files: ["segmentations/d.yaml": definition(file: file), "plugins/ok.lua": plugin])
        defer { ws.remove() }
        let data = ws.root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data(bytes).write(to: data.appendingPathComponent(file))
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr, file: source, line: sourceLine)
        XCTAssertTrue(r.stderr.contains(file), "no file name in: \(r.stderr)", file: source, line: sourceLine)
        if let line {
            XCTAssertTrue(r.stderr.contains("line \(line)"), "no 'line \(line)' in: \(r.stderr)", file: source, line: sourceLine)
        }
        XCTAssertTrue(r.stderr.contains(fragment), "no '\(fragment)' in: \(r.stderr)", file: source, line: sourceLine)
        XCTAssertEqual(ws.exportedFiles(), [], file: source, line: sourceLine)
        let versions = try SegProcess.run(["versions", ws.root.path])
        XCTAssertFalse(versions.stdout.contains("v1"), versions.stdout, file: source, line: sourceLine)
    }

    func testBadCSVFilesNameFileAndLineAndWriteNothing() throws {
        let good = (1...2000).map { "c\($0),\($0 % 90)" }.joined(separator: "\n")
        try assertRefused("a.csv", Array("customer_id,age\n\(good)\nc2001,40,extra\n".utf8), line: 2002, "header has 2")
        try assertRefused("b.csv", [], line: nil, "empty")
        try assertRefused("c.csv", Array("customer_id,age,age\nc1,1,2\n".utf8), line: 1, "twice")
        try assertRefused("d.csv", Array("customer_id,age\nc1,1\nc2,\u{0}\n".utf8), line: 3, "NUL")
        try assertRefused("e.csv", Array("customer_id,age\nc1,1\n".utf8) + [0x63, 0x32, 0x2C, 0xFF, 0x0A], line: 3, "UTF-8")
        try assertRefused("f.csv", Array("customer_id,age\nc1,\"1\nc2,2\n".utf8), line: 2, "never closed")
    }

    func testBadJSONLinesFilesNameFileAndLineAndWriteNothing() throws {
        let good = (1...2000).map { "{\"customer_id\": \"c\($0)\", \"age\": \($0 % 90)}" }.joined(separator: "\n")
        try assertRefused("a.jsonl", Array("\(good)\n{\"customer_id\": \"c2001\", \"age\": 4".utf8), line: 2001, "truncated")
        try assertRefused("b.jsonl", Array("\(good)\n[1, 2]\n".utf8), line: 2001, "not a JSON object")
        try assertRefused("c.jsonl", [], line: nil, "no records")
    }
}
