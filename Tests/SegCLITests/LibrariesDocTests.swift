import Foundation
import XCTest

/// docs/LIBRARIES.md shows commands and their output in ```console blocks: each is run from the repository root
/// and must print exactly what the page shows. The example workspaces' committed locks must be current.
final class LibrariesDocTests: XCTestCase {
    func testEveryConsoleExampleOfTheLibrariesPagePrintsWhatItShows() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/LIBRARIES.md"), encoding: .utf8)
        let blocks = page.components(separatedBy: "```console\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        XCTAssertGreaterThanOrEqual(blocks.count, 3, "the page shows commands")
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let command = try XCTUnwrap(lines.first, block)
            XCTAssertTrue(command.hasPrefix("$ seg "), command)
            let args = command.dropFirst("$ seg ".count).split(separator: " ").map(String.init)
            let r = try SegProcess.run(args, cwd: SegProcess.root)
            XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
            XCTAssertEqual(r.stdout, lines.dropFirst().joined(separator: "\n") + "\n", command)
        }
    }

    func testTheExampleWorkspacesLocksAreCurrentAndShareTheLibrary() throws {
        for ws in ["workspaces/demo", "workspaces/acme-retail", "workspaces/acme-wholesale"] {
            let r = try SegProcess.run(["plugins", "lock", ws, "--check"], cwd: SegProcess.root)
            XCTAssertEqual(r.status, 0, "\(ws): run `seg plugins lock \(ws)` and commit it: \(r.stderr)")
        }
        for ws in ["acme-retail", "acme-wholesale"] {
            let yaml = try String(contentsOf: SegProcess.root.appendingPathComponent("workspaces/\(ws)/workspace.yaml"), encoding: .utf8)
            XCTAssertTrue(yaml.contains("libraries:\n  - ../acme-plugins"), "\(ws) lists the shared library")
            let lock = try String(contentsOf: SegProcess.root.appendingPathComponent("workspaces/\(ws)/plugins.lock"), encoding: .utf8)
            XCTAssertTrue(lock.contains("library: \"acme\""), "\(ws)'s lock records plugins of the shared library")
        }
    }
}
