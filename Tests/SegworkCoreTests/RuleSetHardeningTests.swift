import Foundation
import LuaHost
@testable import SegworkCore
import SegworkData
import XCTest

/// What the second hostile pass found in the rule-set checks: personal values in notes, an unbounded sweep, logs from
/// made-up values, and thousands of notes.
final class RuleSetHardeningTests: XCTestCase {
    private func plugin(_ body: String, uses: String, extra: String = "") throws -> (Plugin, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweeph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("t.lua")
        try """
        return { api = 1, kind = "criterion", name = "t", version = "1", description = "d", uses = { \(uses) }, \(extra)
                 assign = \(body) }
        """.write(to: file, atomically: true, encoding: .utf8)
        let lines = LogLines()
        var env = PluginEnvironment()
        env.log = { _, line in lines.append(line) }
        let p = try Plugin.load(path: file.path, environment: env)
        logs = lines
        return (p, dir)
    }
    private var logs = LogLines()

    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    func testPersonalValuesAndRangesNeverReachTheSweepsText() throws {
        let (p, dir) = try plugin("""
        function(row) if row.age and row.age > 85 then return "Ancient" end return "Other" end
        """, uses: "\"age\", \"customer_id\"")
        defer { try? FileManager.default.removeItem(at: dir) }
        let age = Column(name: "age", storage: .integer([18, 40, 80]))
        let id = Column(name: "customer_id", storage: .string(codes: [0, 1, 2], dictionary: ["C00001", "C00002", "C00003"]))
        let sweep = ThresholdSweep(plugin: p, columns: [(field: "age", column: age), (field: "customer_id", column: id)],
                                   params: [:], personal: ["age", "customer_id"])
        let example = try XCTUnwrap(sweep.reached["Ancient"])
        XCTAssertEqual(example, "age (pii), customer_id (pii)")
        XCTAssertEqual(sweep.ranges, ["age (pii) around the data's range"])
        XCTAssertFalse((sweep.ranges + Array(sweep.reached.values)).joined().contains("C0000"))
    }

    func testASweepThatIsSlowOnMadeUpValuesStopsAtItsBudgetAndCallsNothingUnreachable() throws {
        let (p, dir) = try plugin("""
        function(row) if row.x and row.x < 0 then local t = os.clock() local n = 0 for i = 1, 20000000 do n = n + i end return "Slow" end return "Fast" end
        """, uses: "\"x\"", extra: "labels = { \"Fast\", \"Slow\", \"Never\" },")
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = Column(name: "x", storage: .integer(Array(0..<50)))
        let sweep = ThresholdSweep(plugin: p, columns: [(field: "x", column: x)], params: [:])
        XCTAssertTrue(sweep.incomplete, "20 million additions per negative value cannot all fit the budget")
        let outcome = CriterionOutcome(plugin: "t", line: 3, file: "t.lua",
                                       assignment: LabelAssignment(codes: Array(repeating: 0, count: 50), labels: ["Fast"]),
                                       declared: [("Fast", 1), ("Slow", 1), ("Never", 1)],
                                       sweep: ThresholdSweepSummary(reached: sweep.reached, ranges: sweep.ranges, complete: !sweep.incomplete))
        let notes = RuleSetCheck.notes([outcome], combine: .firstMatch, rows: 50).map(\.message)
        XCTAssertFalse(notes.contains { $0.contains("nor for any value tried") }, "an unfinished sweep proves nothing: \(notes)")
    }

    func testLogLinesFromMadeUpValuesAreDropped() throws {
        let (p, dir) = try plugin("""
        function(row) if row.x and row.x < 0 then print("suspicious x " .. row.x) return "Neg" end return "Pos" end
        """, uses: "\"x\"")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = ThresholdSweep(plugin: p, columns: [(field: "x", column: Column(name: "x", storage: .integer([1, 2, 3])))], params: [:])
        XCTAssertEqual(logs.all, [], "the sweep's values are not the user's data")
        XCTAssertFalse(p.logMuted, "logging is back on for the run")
    }

    func testThousandsOfDeclaredLabelsGiveAFewNotes() {
        let declared = (1...3000).map { ("L\($0)", Optional(1)) }
        let outcome = CriterionOutcome(plugin: "t", line: 3, file: "t.lua",
                                       assignment: LabelAssignment(codes: [0, 0], labels: ["L1"]),
                                       declared: declared, sweep: nil)
        let notes = RuleSetCheck.notes([outcome], combine: .firstMatch, rows: 2).map(\.message)
        XCTAssertEqual(notes.filter { $0.contains("is never returned") }.count, RuleSetCheck.shownLabels)
        XCTAssertTrue(notes.contains("2994 more labels of 't' (t.lua) are never returned on this data"), "\(notes.suffix(2))")
    }
}
