import Foundation
import LuaHost
@testable import SegworkCore
import SegworkData
import XCTest

/// The threshold sweep runs `assign` in the real sandbox over values the data does not have.
final class ThresholdSweepTests: XCTestCase {
    private func plugin(_ assign: String, uses: String) throws -> (Plugin, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("t.lua")
        try """
        return { api = 1, kind = "criterion", name = "t", version = "1", description = "d", uses = { \(uses) },
                 params = { cut = 10 }, assign = \(assign) }
        """.write(to: file, atomically: true, encoding: .utf8)
        return (try Plugin.load(path: file.path), dir)
    }

    func testReachesLabelsOutsideTheDataAndAtTheThreshold() throws {
        let (p, dir) = try plugin("""
        function(row, p)
          local s = row.score
          if s == nil then return "None" end
          if s > 1000 then error("out of range") end
          if s < 0 then return "Negative" end
          if s == p.cut then return "AtCut" end
          if s > 500 then return "Never" end
          return "Plain"
        end
        """, uses: "\"score\"")
        defer { try? FileManager.default.removeItem(at: dir) }
        let column = Column(name: "score", storage: .integer([2, 4, 6, 8, 12, 20]))
        let sweep = ThresholdSweep(plugin: p, columns: [(field: "score", column: column)], params: ["cut": .int(10)])
        XCTAssertTrue(sweep.sweptNumeric)
        XCTAssertEqual(sweep.ranges, ["score in -7...29"])
        XCTAssertEqual(Set(sweep.reached.keys), ["None", "Negative", "AtCut", "Plain"])
        XCTAssertEqual(sweep.reached["AtCut"], "score = 10")
        XCTAssertEqual(sweep.reached["None"], "score = nil")
    }

    func testADateColumnIsHeldAtTheDataWhileTheNumberIsSwept() throws {
        let (p, dir) = try plugin("""
        function(row) if row.day == "2024-01-02" and row.score > 2.5 then return "Late" end return "Other" end
        """, uses: "\"score\", \"day\"")
        defer { try? FileManager.default.removeItem(at: dir) }
        let score = Column(name: "score", storage: .double([1, 2]))
        let day = Column(name: "day", storage: .date([CivilDate(iso: "2024-01-01")!.days, CivilDate(iso: "2024-01-02")!.days]))
        let sweep = ThresholdSweep(plugin: p, columns: [(field: "score", column: score), (field: "day", column: day)], params: [:])
        // The data's scores (1, 2) never pass 2.5; the sweep (0...3) does, with the day held at the second row's.
        let late = try XCTUnwrap(sweep.reached["Late"])
        XCTAssertTrue(late.hasPrefix("score = 2.5") && late.hasSuffix(", day = \"2024-01-02\""), late)
        XCTAssertEqual(sweep.ranges, ["score in 0...3"])
    }
}
