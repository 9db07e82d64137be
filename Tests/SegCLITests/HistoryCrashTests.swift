import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// `kill -9` of a real `seg run` at several moments: the store must hold the previous versions, or those plus
/// complete new ones, never anything in between; exports/ must show only complete folders.
final class HistoryCrashTests: XCTestCase {
    private static let ageTier = """
        return { api = 1, kind = "criterion", name = "agetier", version = "1.0.0", description = "age bands",
          uses = { "age" }, assign = function(row, p) if row.age >= 50 then return "Older" end return "Younger" end }

        """

    /// 2,500 customers and 25,000 orders (seeded, the same bytes every time): a `seg run` of the debug build takes
    /// about a second, long enough to be caught in each stage. Two definitions: `rfm` (heavy) and `ages` (light).
    private func generatedWorkspace() throws -> TempWorkspace {
        var rng = SeededGenerator(state: 20_241_231)
        var customers = "customer_id,age\n", orders = "order_id,customer_id,order_date,amount\n"
        customers.reserveCapacity(40_000); orders.reserveCapacity(900_000)
        for i in 0..<2500 { customers += "C\(10000 + i),\(18 + Int(rng.next() % 70))\n" }
        for i in 0..<25000 {
            let c = 10000 + Int(rng.next() % 2500), month = 1 + Int(rng.next() % 12), day = 1 + Int(rng.next() % 28)
            let cents = 100 + Int(rng.next() % 50000)
            orders += "\(i),C\(c),2024-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),\(cents / 100).\(cents % 100)\n"
        }
        let datasets = """
            population: customers
            id: customer_id
            datasets:
              customers:
                file: data/customers.csv
              transactions:
                file: data/transactions.csv
                schema: { order_date: date, amount: double }
            features:
              rfm:
                transactions: transactions
                customer: customer_id
                order: order_id
                date: order_date
                amount: amount

            """
        return try TempWorkspace(files: [
            "data/customers.csv": customers, "data/transactions.csv": orders, "plugins/agetier.lua": Self.ageTier,
            "segmentations/rfm.yaml": datasets + """
                scorers:
                  - plugin: value_score
                criteria:
                  - plugin: rfm
                profile:
                  numeric: [recency_days, frequency, monetary, value_score, age]

                """,
            "segmentations/ages.yaml": datasets + "criteria:\n  - plugin: agetier\nprofile:\n  numeric: [age, monetary]\n",
        ])
    }

    /// Versions per definition, from `seg versions` (which must open the store after the crash).
    private func counts(_ ws: TempWorkspace) throws -> [String: Int] {
        Dictionary(grouping: try ws.versionRows(), by: { $0[2] }).mapValues(\.count)
    }

    private func describe(_ counts: [String: Int]) -> String {
        counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
    }

    /// Checks exports/: every visible folder is a complete export of a stored version; returns the hidden leftovers.
    private func checkExports(_ ws: TempWorkspace, _ store: VersionStore) throws -> [String] {
        var leftovers: [String] = []
        let expected = ["membership.csv", "profiles.csv", "profiles.json", "profiles.md", "report-data.json", "report.html"]
        for definition in ["ages", "rfm"] {
            for name in ws.exportFolders(definition) {
                if name.hasPrefix(".") {
                    XCTAssertNotNil(name.range(of: #"^\.[0-9a-f]{12}\.(tmp|old)-[0-9A-F]{8}$"#, options: .regularExpression), name)
                    leftovers.append("\(definition)/\(name)")
                    continue
                }
                XCTAssertFalse(name.contains("tmp"), "a temporary folder is visible as an export: \(name)")
                let folder = ws.root.appendingPathComponent("exports/\(definition)/\(name)")
                // notes.txt (the run's notes: here the scorecard's small-segment warnings) is the latest run's, not promised.
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "notes.txt" }.sorted(), expected, name)
                let version = try store.version(name)
                XCTAssertEqual(version.definition, definition)
                XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("membership.csv")), version.membershipCSV,
                               "\(definition)/\(name) is the export of \(version.id)")
                XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("profiles.json")), version.profilesJSON)
            }
        }
        return leftovers
    }

    func testKillNineAtAnyMomentLeavesTheStoreWholeAndExportsComplete() throws {
        let started = Date()
        let ws = try generatedWorkspace()
        defer { ws.remove() }
        let baseline = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(baseline.status, 0, baseline.stderr)
        XCTAssertEqual(try counts(ws), ["ages": 1, "rfm": 1])

        let moments: [KillMoment] = [
            .after(milliseconds: 50), .after(milliseconds: 150), .after(milliseconds: 300),
            .appears(folder: ".seg/datasets", marker: ".tmp-"),     // copying a new snapshot
            .appears(folder: "exports/rfm", marker: ".tmp-"),       // staging the export folders
            .appears(folder: ".seg", marker: "store.sqlite-journal"), // inside the first store transaction
            .journalCycles(2),                                      // between two definitions' versions
        ]
        var log: [String] = []
        for (round, moment) in moments.enumerated() {
            // New bytes every round, so every stage (snapshot copy, new run id, new version) really happens.
            let orders = ws.root.appendingPathComponent("data/transactions.csv")
            let handle = try FileHandle(forWritingTo: orders)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("9\(round)0000,C10001,2024-12-2\(round),1.\(round)5\n".utf8))
            try handle.close()

            let before = try counts(ws)
            var existing: Set<String> = []
            if case .appears(let folder, _) = moment { existing = names(folder, in: ws) }
            let roundStart = Date()
            let child = try SegChild(["run", ws.root.path, "-q"])
            let killed = kill(child, at: moment, in: ws, existing: existing)
            let killedAt = Date()
            let after = try counts(ws)   // `seg versions` opens the store (and rolls back a torn transaction)
            for definition in ["ages", "rfm"] {
                let delta = (after[definition] ?? 0) - (before[definition] ?? 0)
                XCTAssertTrue(killed ? [0, 1].contains(delta) : delta == 1, "\(moment): \(definition) went from \(before) to \(after)")
            }
            let store = try ws.store()
            let report = try store.verifyIntegrity()
            XCTAssertEqual(report.versions, after.values.reduce(0, +))
            let leftovers = try checkExports(ws, store)
            let snapshotTemps = try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(".seg/datasets").path)
                .filter { $0.hasPrefix(".tmp-") }
            log.append("\(moment): \(killed ? "killed" : "finished first") at \(Int(killedAt.timeIntervalSince(roundStart) * 1000)) ms, versions \(describe(before)) → \(describe(after)), "
                       + "export leftovers \(leftovers.count), snapshot temps \(snapshotTemps.count)")
        }
        print(log.joined(separator: "\n"))

        // The store takes new versions after all that: numbers continue, and stale snapshot copies are cleared.
        // (New bytes: a run repeating the latest version would store nothing new.)
        let orders = try FileHandle(forWritingTo: ws.root.appendingPathComponent("data/transactions.csv"))
        try orders.seekToEnd()
        try orders.write(contentsOf: Data("990000,C10001,2024-12-30,9.95\n".utf8))
        try orders.close()
        let before = try counts(ws)
        let final = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(final.status, 0, final.stderr)
        XCTAssertEqual(try counts(ws), before.mapValues { $0 + 1 })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(".seg/datasets").path)
            .filter { $0.hasPrefix(".tmp-") }, [], "temporary snapshot copies are removed under the next write lock")
        _ = try checkExports(ws, try ws.store())
        let verify = try seg(["run", ws.root.path, "--verify", "latest:rfm"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)
        print("crash test took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
