import Foundation
import LuaHost
@testable import SegworkCore
import XCTest

/// The rule-set checks on hand-made assignments, the static plugin scan, and the luacheck configuration.
final class RuleSetCheckTests: XCTestCase {
    private func outcome(_ plugin: String, _ labels: [String?], declared: [String] = [],
                         sweep: ThresholdSweepSummary? = nil) -> CriterionOutcome {
        var distinct: [String] = []
        let codes = labels.map { l -> Int32 in
            guard let l else { return -1 }
            if let i = distinct.firstIndex(of: l) { return Int32(i) }
            distinct.append(l); return Int32(distinct.count - 1)
        }
        return CriterionOutcome(plugin: plugin, line: 7, file: "plugins/\(plugin).lua",
                                assignment: LabelAssignment(codes: codes, labels: distinct),
                                declared: declared.map { ($0, 3) }, sweep: sweep)
    }

    func testFirstMatchCriterionThatNeverDecides() {
        let notes = RuleSetCheck.notes([outcome("all", ["A", "A", "A"]), outcome("tier", ["X", nil, "Y"])],
                                       combine: .firstMatch, rows: 3)
        XCTAssertEqual(notes.map(\.kind), [.deadCriterion])
        XCTAssertTrue(notes[0].message.contains("'tier' (criteria[1]) never decides"), notes[0].message)
        XCTAssertTrue(notes[0].message.contains("every customer it labels (2) was decided by an earlier criterion"))
        let allNil = RuleSetCheck.notes([outcome("a", ["A", nil]), outcome("b", [nil, nil])], combine: .firstMatch, rows: 2)
        XCTAssertTrue(allNil.contains { $0.kind == .deadCriterion && $0.message.contains("returned nil for every customer") })
        XCTAssertTrue(allNil.contains { $0.kind == .unassigned && $0.message.contains("1 of 2 customers (50.0%)") })
    }

    func testLabelsNeverReturnedAreToldApartByTheSweep() {
        let sweep = ThresholdSweepSummary(reached: ["Rare": "score = -5"], ranges: ["score in -5...15"])
        let notes = RuleSetCheck.notes([outcome("tier", ["Low", "High"], declared: ["Low", "High", "Rare", "Never"], sweep: sweep)],
                                       combine: .firstMatch, rows: 2)
        XCTAssertEqual(notes.map(\.kind), [.unreturnedLabel, .unreachableLabel])
        XCTAssertTrue(notes[0].message.contains("'Rare' of 'tier' (plugins/tier.lua:3) is never returned on this data (it is for score = -5)"))
        XCTAssertTrue(notes[1].message.contains("'Never'") && notes[1].message.contains("nor for any value tried (score in -5...15)"))
    }

    func testCrossEmptyCombinationsAndWhoLeftCustomersUnassigned() {
        let a = outcome("tier", ["High", "Low", "High", "Low", nil, "Low"])
        let b = outcome("size", ["Big", "Small", "Big", "Small", "Big", nil])
        let notes = RuleSetCheck.notes([a, b], combine: .cross, rows: 6)
        XCTAssertEqual(notes.map(\.kind), [.emptyCombination, .unassigned])
        XCTAssertTrue(notes[0].message.hasPrefix("2 of 4 label combinations never occur"), notes[0].message)
        XCTAssertTrue(notes[0].message.contains("'High × Small'") && notes[0].message.contains("'Low × Big'"))
        XCTAssertTrue(notes[1].message.contains("2 of 6 customers (33.3%) are unassigned: the first criterion to return nil was 'tier' for 1, 'size' for 1"), notes[1].message)
    }

    func testStaticScanFindsRowReadsParamsAndLiteralLabels() {
        let source = """
        local M = require "util"
        return {
          name = "x", -- "x"
          labels = { "A", [[B]] },
          params = {
            cut = 4,
            unused = "cut",
          },
          assign = function(r, q)
            if r.score > q.cut then return "A" end
            if r["zone"] == 'n' then return "B" .. "c" end
            r.written = 1
            while false do local function f() end end
            return 'C'
          end,
        }
        """
        let scan = PluginSourceScan(source: source)
        XCTAssertEqual(scan.functions["assign"]?.params, ["r", "q"])
        XCTAssertEqual(scan.rowReads.map(\.field), ["score", "zone"])
        XCTAssertEqual(scan.rowReads.map(\.line), [10, 11])
        XCTAssertEqual(scan.paramLines, ["cut": 6, "unused": 7])
        XCTAssertTrue(scan.paramMentions.contains("cut"))
        XCTAssertFalse(scan.paramMentions.contains("unused"))
        XCTAssertEqual(scan.declaredLabels.map(\.field), ["A", "B"])
        XCTAssertEqual(scan.returnedLiterals.map(\.field), ["A", "C"])
        XCTAssertEqual(scan.returnedLiterals.map(\.line), [10, 14])
        XCTAssertEqual(scan.requires, ["util"])
        XCTAssertEqual(scan.fieldLines["name"], 3)
    }

    func testBundledLuacheckrcIsWhatLintPasses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("plugins/.luacheckrc"), encoding: .utf8)
        XCTAssertEqual(file, Luacheck.configuration)
    }

    func testLuacheckPlainLinesBecomeFindingsWithTheUsersFileName() {
        let f = Luacheck.parse("/abs/x.lua:3:5-9: (W111) setting non-standard global variable 'n'", shown: ["/abs/x.lua": "plugins/x.lua"])
        XCTAssertEqual(f?.file, "plugins/x.lua")
        XCTAssertEqual(f?.line, 3)
        XCTAssertEqual(f?.severity, .error)
        XCTAssertEqual(f?.code, "global")
        XCTAssertEqual(Luacheck.parse("/abs/x.lua:4:1-2: (W211) unused variable 'a'", shown: [:])?.severity, .warning)
    }
}
