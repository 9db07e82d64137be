import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// `kill -9` of a real `seg forget` at several moments (the promises of `seg run`, HistoryCrashTests): after each
/// kill the workspace is valid (store integrity, complete export folders), `seg check` says when the erasure is
/// incomplete, and running `seg forget` again completes it — afterwards the id is in no file under .seg/ or exports/.
final class ForgetCrashTests: XCTestCase {
    /// 2,500 customers (C10000…C12499) and 25,000 orders, seeded; one definition.
    private func generatedWorkspace() throws -> TempWorkspace {
        var rng = SeededGenerator(state: 20_261_206)
        var customers = "customer_id,age\n", orders = "order_id,customer_id,order_date,amount\n"
        for i in 0..<2500 { customers += "C\(10000 + i),\(18 + Int(rng.next() % 70))\n" }
        for i in 0..<25000 {
            let c = 10000 + Int(rng.next() % 2500), month = 1 + Int(rng.next() % 9), day = 10 + Int(rng.next() % 18)
            orders += "\(i),C\(c),2024-0\(month)-\(day),\(1 + Int(rng.next() % 500)).\(10 + Int(rng.next() % 90))\n"
        }
        return try TempWorkspace(files: [
            "data/customers.csv": customers, "data/transactions.csv": orders,
            "segmentations/rfm.yaml": """
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
                criteria:
                  - plugin: rfm
                profile:
                  numeric: [recency_days, frequency, monetary, age]

                """,
        ])
    }

    func testKillNineDuringForgetLeavesAValidWorkspaceThatARerunCompletes() throws {
        let ws = try generatedWorkspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": "crash-salt"]
        for args in [["run", ws.root.path, "--as-of", "2024-06-30", "-q"], ["run", ws.root.path, "-q"]] {
            let r = try seg(args)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let moments: [KillMoment] = [
            .after(milliseconds: 20), .after(milliseconds: 80), .after(milliseconds: 200),
            .appears(folder: ".seg/datasets", marker: ".tmp-"),      // writing a rewritten snapshot
            .appears(folder: ".seg", marker: "store.sqlite-journal"), // inside the audit transaction
            .journalCycles(1),                                        // audit committed, planning
            .journalCycles(2),                                        // store changes committed, exports next
            .appears(folder: "exports/rfm", marker: ".tmp-"),        // rewriting an export folder
        ]
        var log: [String] = []
        var incompleteSeen = 0
        for (round, moment) in moments.enumerated() {
            let id = "C\(10100 + round * 7)"
            XCTAssertFalse(ForgetCLITests.filesHolding(id, in: ws).isEmpty, "\(id) is in the workspace before round \(round)")
            var existing: Set<String> = []
            if case .appears(let folder, _) = moment { existing = names(folder, in: ws) }
            let child = try SegChild(["forget", ws.root.path, id], environment: env)
            let killed = kill(child, at: moment, in: ws, existing: existing)

            // The lock file of the killed process names its command, but never the ids.
            let lockText = (try? String(contentsOf: ws.root.appendingPathComponent(".seg/lock"), encoding: .utf8)) ?? ""
            XCTAssertFalse(lockText.contains(id), "\(moment): the lock file holds the id: \(lockText)")
            // The workspace is valid: the store passes its integrity check, visible export folders are complete.
            let store = try ws.store()
            XCTAssertNoThrow(try store.verifyIntegrity(), "\(moment)")
            XCTAssertEqual(try ws.versionRows().count, 2, "\(moment)")
            for name in ws.exportFolders("rfm") where !name.hasPrefix(".") && name != "diffs" {
                // notes.txt (the run's notes) is the latest run's: an erasure's rewrite of the folder leaves it out.
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent("exports/rfm/\(name)").path)
                                .filter { $0 != "notes.txt" }.sorted(),
                               ["membership.csv", "profiles.csv", "profiles.json", "profiles.md", "report-data.json", "report.html"], "\(moment): \(name)")
            }
            let incomplete = try store.incompleteErasures()
            let check = try seg(["check", ws.root.path])
            if incomplete.isEmpty {
                XCTAssertEqual(check.status, 0, "\(moment): \(check.stderr)")
            } else {
                incompleteSeen += 1
                XCTAssertEqual(check.status, 1, "\(moment): \(check.stderr)")
                XCTAssertTrue(check.stderr.contains("did not complete") && check.stderr.contains("seg forget"), check.stderr)
                // A run would store more while customers the erasure was asked to remove are still there: refused.
                let run = try seg(["run", ws.root.path, "-q"], environment: env)
                XCTAssertEqual(run.status, 1, "\(moment): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("did not complete") && run.stderr.contains("seg forget"), run.stderr)
            }
            // Re-running completes it: with the id, or (every other round, when one is pending) without.
            let rerun = try seg(["forget", ws.root.path] + (incomplete.isEmpty || round % 2 == 0 ? [id] : []), environment: env)
            XCTAssertEqual(rerun.status, 0, "\(moment): \(rerun.stdout) \(rerun.stderr)")
            XCTAssertEqual(ForgetCLITests.filesHolding(id, in: ws), [], "\(moment): \(id) is gone after the re-run")
            let after = try ws.store()
            XCTAssertNoThrow(try after.verifyIntegrity())
            XCTAssertEqual(try after.incompleteErasures(), [], "\(moment)")
            XCTAssertEqual(try seg(["check", ws.root.path]).status, 0, "\(moment)")
            log.append("\(moment): \(killed ? "killed" : "finished first"), incomplete after the kill: \(incomplete.map(\.id))")
        }
        print(log.joined(separator: "\n"))
        XCTAssertGreaterThan(incompleteSeen, 0, "at least one kill left an incomplete erasure to complete")
        let erasures = try ws.store().erasures()
        XCTAssertEqual(erasures.count, Set(erasures.map(\.number)).count)
        XCTAssertTrue(erasures.allSatisfy { $0.completedAt != nil })
        let verify = try seg(["run", ws.root.path, "--verify", "latest:rfm"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("was changed by erasure #"), verify.stdout)
    }
}
