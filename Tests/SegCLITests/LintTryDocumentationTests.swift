import Foundation
import XCTest

/// The `seg plugins lint` and `seg try` examples in docs/PLUGINS.md ("Lint, `seg try` and rule-set checks") print
/// what the page shows.
final class LintTryDocumentationTests: XCTestCase {
    private func page() throws -> String {
        try String(contentsOf: SegProcess.root.appendingPathComponent("docs/PLUGINS.md"), encoding: .utf8)
    }

    /// The fenced block that starts with `first` (its lines after that one, or the whole block with `keepFirst`).
    private func block(startingWith first: String, in page: String, keepFirst: Bool = false) throws -> [String] {
        for part in page.components(separatedBy: "```").enumerated() where part.offset % 2 == 1 {
            var lines = part.element.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.first == "lua" || lines.first == "" { lines.removeFirst() }
            if lines.first?.hasPrefix(first) == true {
                if lines.last == "" { lines.removeLast() }
                return keepFirst ? lines : Array(lines.dropFirst())
            }
        }
        throw XCTSkip("no block starting with \(first)")  // unreachable while the page has it
    }

    func testLintExample() throws {
        let hasLuacheck = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/luacheck") }
        try XCTSkipUnless(hasLuacheck, "the example shows luacheck's global finding; scripts/ensure-deps installs lua-check")
        let text = try page()
        let plugin = try block(startingWith: "-- loyalty_tier:", in: text, keepFirst: true).joined(separator: "\n") + "\n"
        let shown = try block(startingWith: "$ seg plugins lint team-lib", in: text)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lint-doc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("team-lib/criteria/loyalty_tier.lua")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try plugin.write(to: file, atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["plugins", "lint", "team-lib"], cwd: dir)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), shown)
    }

    func testTryExample() throws {
        let shown = try block(startingWith: "$ seg try workspaces/demo lifecycle_nps --sample 1", in: try page())
        let r = try SegProcess.run(["try", "workspaces/demo", "lifecycle_nps", "--sample", "1"], cwd: SegProcess.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for line in shown where line != "…" {
            if let gap = line.range(of: "…") {
                let (head, tail) = (String(line[..<gap.lowerBound]), String(line[gap.upperBound...]))
                XCTAssertTrue(lines.contains { $0.hasPrefix(head) && $0.hasSuffix(tail) }, "\(line) in:\n\(r.stdout)")
            } else {
                XCTAssertTrue(lines.contains(line), "\(line) in:\n\(r.stdout)")
            }
        }
    }
}
