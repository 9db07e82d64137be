import Foundation
import XCTest

/// Issue 12 through the `seg` binary: a 26-segment cross definition (13 value tiers × Active/Lapsed) whose diff used
/// to print a matrix about 700 columns wide, and whose membership.csv had only the combined label.
final class CrossDiffCLITests: XCTestCase {
    static let tiers = ["Champions", "Loyal", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
                        "About To Sleep", "At Risk", "Cannot Lose Them", "Hibernating", "Lost", "Price Sensitive",
                        "Big Spenders"]
    static let statuses = ["Active", "Lapsed"]

    /// Combination i (tier i / 2, status i % 2) has 2 + i % 3 customers, the first one 4.
    static func customers(moved: Bool) -> String {
        var rows = ["customer_id,tier,status,spend"]
        for i in 0..<26 {
            for k in 0..<(i == 0 ? 4 : 2 + i % 3) {
                var tier = tiers[i / 2], status = statuses[i % 2]
                // The second run: three Champions × Active become Loyal, one Loyal × Active lapses.
                if moved, i == 0, k < 3 { tier = "Loyal" }
                if moved, i == 2, k == 0 { status = "Lapsed" }
                rows.append("c\(i)-\(k),\(tier),\(status),\(10 * (i + k))")
            }
        }
        if moved { rows.append("n1,Champions,Active,5") }   // and one customer joins
        return rows.joined(separator: "\n") + "\n"
    }

    static let files = [
        "plugins/value_tier.lua": """
            return { api = 1, kind = "criterion", name = "value_tier", version = "1.0.0", description = "tier column",
              uses = { "tier" }, assign = function(row, p) return row.tier end }
            """,
        "plugins/activity.lua": """
            return { api = 1, kind = "criterion", name = "activity", version = "1.0.0", description = "status column",
              uses = { "status" }, assign = function(row, p) return row.status end }
            """,
        "plugins/spend_score.lua": """
            return { api = 1, kind = "scorer", name = "spend_score", version = "1.0.0", description = "spend",
              uses = { "spend" }, score = function(row, p) return row.spend / 10 end }
            """,
        "segmentations/tiers.yaml": """
            population: customers
            id: customer_id
            as_of: 2024-06-30
            datasets:
              customers: { file: data/customers.csv, schema: { spend: double } }
            scorers:
              - plugin: spend_score
            criteria:
              - plugin: value_tier
              - plugin: activity
            combine: cross
            profile: { numeric: [spend] }
            membership: { columns: [spend] }

            """,
    ]

    func testDiffFitsTheTerminalAndMembershipHasEachCriterion() throws {
        var files = Self.files
        files["data/customers.csv"] = Self.customers(moved: false)
        let ws = try TempWorkspace(files: files)
        defer { ws.remove() }
        let first = try seg(["run", ws.root.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        try ws.write("data/customers.csv", Self.customers(moved: true))
        let second = try seg(["run", ws.root.path])
        XCTAssertEqual(second.status, 0, second.stderr)

        // membership.csv: the combined label, each criterion's own, the score, then membership.columns.
        let v2 = try ws.store().version("v2")
        let rows = String(decoding: v2.membershipCSV, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(rows.first, "customer_id,segment,value_tier,activity,spend_score,spend")
        XCTAssertTrue(rows.contains("c0-0,Loyal × Active,Loyal,Active,0,0"), rows.prefix(8).joined(separator: "\n"))
        XCTAssertTrue(rows.contains("c2-0,Loyal × Lapsed,Loyal,Lapsed,2,20"))
        // seg show finds the score column after the criterion columns (not value_tier and activity).
        let show = try seg(["show", ws.root.path, "v2"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let header = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.hasPrefix("  segment ") }, show.stdout)
        XCTAssertTrue(header.hasSuffix("spend_score"), String(header))
        XCTAssertFalse(header.contains("value_tier") || header.contains("activity"), String(header))

        for width in [80, 120] {
            // Run in the workspace with a short --out: the "wrote … to <folder>" line never splits the folder.
            let out = ws.root.appendingPathComponent("diff-\(width)")
            let diff = try SegProcess.run(["diff", ".", "v1", "v2", "--customers", "--out", "diff-\(width)"], cwd: ws.root,
                                          environment: ["COLUMNS": String(width), "CI": ""])
            XCTAssertEqual(diff.status, 0, diff.stderr)
            let lines = diff.stdout.split(separator: "\n").map(String.init)
            for line in lines { XCTAssertLessThanOrEqual(line.unicodeScalars.count, width, "\(width): \(line)") }
            XCTAssertTrue(lines.contains { $0.hasPrefix("  … ") && $0.contains("of the 28 columns") }, diff.stdout)
            let flows = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("top flows off the diagonal") }, diff.stdout)
            XCTAssertEqual(Array(lines[(flows + 1)...].prefix(6)), [
                "  Champions × Active → Loyal × Active: 3",
                "  (absent) → Champions × Active: 1",
                "  Loyal × Active → Loyal × Lapsed: 1",
                "5 customers off the diagonal (diff.json and diff.csv hold the full list)",
                "first 5 of 5 (all are in the files):",
                "  c0-0: Champions × Active → Loyal × Active",
            ], diff.stdout)
            // The files keep the whole 28 × 28 matrix.
            let csv = try String(contentsOf: out.appendingPathComponent("diff.csv"), encoding: .utf8)
            XCTAssertEqual(csv.split(separator: "\n").filter { $0.hasPrefix("matrix,") }.count, 28 * 28)
        }
        // Without COLUMNS and with output to a file (no terminal): 100 columns.
        let plain = try SegProcess.run(["diff", ".", "v1", "v2", "--out", "d"], cwd: ws.root, environment: ["COLUMNS": "", "CI": ""])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let longest = plain.stdout.split(separator: "\n").map(\.unicodeScalars.count).max() ?? 0
        XCTAssertLessThanOrEqual(longest, 100)
        XCTAssertGreaterThan(longest, 90, "the matrix uses the 100 columns")
        XCTAssertTrue(plain.stdout.replacingOccurrences(of: "\n    ", with: " ").contains("too wide for 100 columns"), plain.stdout)
    }

    /// Hashing ids and `seg forget` read and rewrite memberships by their first field: the criterion columns stay as
    /// they were, and the versions still diff and show.
    func testHashedIdsAndForgetKeepTheCriterionColumns() throws {
        var files = Self.files
        files["data/customers.csv"] = Self.customers(moved: false)
        let ws = try TempWorkspace(files: files)
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": "cross-salt"]
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"], environment: env).status, 0)
        let hashed = try seg(["run", ws.root.path, "--hash-ids", "-q"], environment: env)
        XCTAssertEqual(hashed.status, 0, hashed.stderr)
        // Two runs, two folders: the hashed one is the one without raw ids.
        let memberships = try ws.exportedFiles().filter { $0.hasSuffix("membership.csv") }
            .map { String(decoding: try ws.data("exports/" + $0), as: UTF8.self) }
        XCTAssertEqual(memberships.count, 2)
        let lines = try XCTUnwrap(memberships.first { !$0.contains("\nc0-") }).split(separator: "\n")
        XCTAssertEqual(lines.first, "customer_id,segment,value_tier,activity,spend_score,spend")
        XCTAssertTrue(lines.contains { $0.hasSuffix(",Champions × Active,Champions,Active,0,0") && !$0.hasPrefix("c0-0,") },
                      lines.prefix(3).joined(separator: "\n"))

        let forget = try seg(["forget", ws.root.path, "c0-0"], environment: env)
        XCTAssertEqual(forget.status, 0, forget.stderr)
        let v1 = String(decoding: try ws.store().version("v1").membershipCSV, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(v1.first, "customer_id,segment,value_tier,activity,spend_score,spend")
        XCTAssertFalse(v1.contains { $0.hasPrefix("c0-0,") })
        XCTAssertTrue(v1.contains("c0-1,Champions × Active,Champions,Active,1,10"))
        let show = try seg(["show", ws.root.path, "v1"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.split(separator: "\n").contains { $0.hasPrefix("  segment ") && $0.hasSuffix("share  spend_score") },
                      show.stdout)
        let diff = try seg(["diff", ws.root.path, "v1", "v2", "--out", ws.root.appendingPathComponent("d").path], environment: env)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("top flows: none"), diff.stdout)
    }
}
