import Foundation
import XCTest

/// The README's ten-line criterion must work as printed.
final class ReadmeExampleTests: XCTestCase {
    func testReadmeCriterionRunsCrossedWithRFM() throws {
        let readme = try String(contentsOf: SegProcess.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "```lua\n"))
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let lua = String(readme[start.upperBound..<end.lowerBound])
        XCTAssertLessThanOrEqual(lua.split(separator: "\n").count, 12, "the README promises a short criterion")

        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        try lua.write(to: ws.root.appendingPathComponent("plugins/spend_band.lua"), atomically: true, encoding: .utf8)
        let defURL = ws.root.appendingPathComponent("segmentations/rfm.yaml")
        var def = try String(contentsOf: defURL, encoding: .utf8)
        // The demo's gates are about RFM segments alone; crossed labels would fail required_segments.
        if let gates = def.range(of: "\ngates:") { def = String(def[..<gates.lowerBound]) + "\n" }
        def = def
            .replacingOccurrences(of: "  - plugin: rfm\n", with: "  - plugin: rfm\n  - plugin: spend_band\n    params: { high: 500 }\n")
        try def.write(to: defURL, atomically: true, encoding: .utf8)
        let r = try SegProcess.run(["run", ws.root.path, "rfm"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Champions × High"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Lost × Low"), r.stdout)
    }
}
