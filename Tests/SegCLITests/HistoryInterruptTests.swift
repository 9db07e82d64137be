import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// SIGTERM and SIGINT to a real `seg run`: it exits 143/130, removes its temporary folders and says what it kept.
final class HistoryInterruptTests: XCTestCase {
    /// 2,500 customers and 25,000 orders (seeded): a debug `seg run` takes about a second.
    private func generatedWorkspace() throws -> TempWorkspace {
        var rng = SeededGenerator(state: 20_261_206)
        var customers = "customer_id,age\n", orders = "order_id,customer_id,order_date,amount\n"
        for i in 0..<2500 { customers += "C\(10000 + i),\(18 + Int(rng.next() % 70))\n" }
        for i in 0..<25000 {
            let c = 10000 + Int(rng.next() % 2500), month = 1 + Int(rng.next() % 12), day = 1 + Int(rng.next() % 28)
            orders += "\(i),C\(c),2024-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),\(1 + Int(rng.next() % 500))\n"
        }
        let definition = Shop.definition(criteria: "criteria:\n  - plugin: rfm\n", scorers: "scorers:\n  - plugin: value_score\n",
                                         numeric: ["monetary", "value_score"])
        let ws = try Shop.workspace(definitions: ["rfm": definition, "tiers": Shop.definition()])
        try ws.write("data/customers.csv", customers)
        try ws.write("data/transactions.csv", orders)
        return ws
    }

    /// Entries of exports/<definition>/ that are temporary (staged or moved-aside folders).
    private func temporaries(_ ws: TempWorkspace) -> [String] {
        ["rfm", "tiers"].flatMap { d in ws.exportFolders(d).filter { $0.hasPrefix(".") }.map { "\(d)/\($0)" } }
    }

    /// Sends `sig` to `child` once `ready` says so (or after 30 s); nil when the child finished first.
    private func interrupt(_ child: SegChild, with sig: Int32, when ready: () -> Bool) -> SegProcess.Result? {
        let start = Date()
        while child.isRunning, !ready(), Date().timeIntervalSince(start) < 30 { usleep(200) }
        guard child.isRunning else { _ = child.wait(); return nil }
        kill(child.pid, sig)
        return child.wait()
    }

    func testSIGTERMWhileComputingExitsCleanlyAndStoresNothing() throws {
        try interruptWhileComputing(SIGTERM, status: 143, name: "SIGTERM")
    }

    /// A closed terminal or SSH session sends SIGHUP: the same clean exit (QA: it left a temporary export folder
    /// holding customer ids, and said nothing).
    func testSIGHUPWhileComputingExitsCleanlyAndStoresNothing() throws {
        try interruptWhileComputing(SIGHUP, status: 129, name: "SIGHUP (hang-up)")
    }

    private func interruptWhileComputing(_ signal: Int32, status: Int32, name: String) throws {
        let ws = try generatedWorkspace()
        defer { ws.remove() }
        let lock = ws.root.appendingPathComponent(".seg/lock").path
        var caught = false
        for round in 0..<8 where !caught {
            try ws.write("data/transactions.csv", String(decoding: try ws.data("data/transactions.csv"), as: UTF8.self)
                         + "8\(round)0000,C10002,2024-12-2\(round),\(round + 1)\n")
            let before = try ws.versionRows()
            let child = try SegChild(["run", ws.root.path])
            // The lock file names its holder from the moment the run holds the lock until it ends: it is computing.
            guard let result = interrupt(child, with: signal, when: {
                ((try? String(contentsOfFile: lock, encoding: .utf8)) ?? "").contains("pid=\(child.pid)")
            }) else { continue }   // finished before it could be interrupted: try again
            caught = true
            XCTAssertEqual(result.status, status, result.stderr)
            XCTAssertTrue(result.stderr.contains("seg: interrupted by \(name); stopped"), result.stderr)
            if try ws.versionRows() == before {
                XCTAssertTrue(result.stderr.contains("No version was stored by this command"), result.stderr)
            }
            XCTAssertEqual(temporaries(ws), [])
        }
        XCTAssertTrue(caught, "no round was interrupted while it held the lock")
        // The lock died with the process: the next run works.
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
    }

    func testSIGINTWhileWritingRemovesStagedFoldersAndNamesWhatWasKept() throws {
        let ws = try generatedWorkspace()
        defer { ws.remove() }
        var caught: SegProcess.Result?
        for round in 0..<8 where caught == nil {
            // New bytes each round: a new run id, so every stage really happens.
            try ws.write("data/transactions.csv", String(decoding: try ws.data("data/transactions.csv"), as: UTF8.self)
                         + "9\(round)0000,C10001,2024-12-2\(round),\(round + 1)\n")
            let before = try ws.versionRows().count
            let child = try SegChild(["run", ws.root.path])
            let result = interrupt(child, with: SIGINT) { !temporaries(ws).isEmpty }
            guard let result else { continue }   // finished before the folders were staged: try again
            caught = result
            XCTAssertEqual(result.status, 130, result.stderr)
            XCTAssertTrue(result.stderr.contains("seg: interrupted by SIGINT (interrupt); stopped"), result.stderr)
            XCTAssertEqual(temporaries(ws), [], "staged folders are removed: \(result.stderr)")
            let rows = try ws.versionRows()
            let added = rows.dropFirst(before).map { "\($0[0]) (\($0[2]))" }
            if added.isEmpty {
                XCTAssertTrue(result.stderr.contains("No version was stored"), result.stderr)
            } else {
                XCTAssertTrue(result.stderr.contains("Kept (stored before the interruption): \(added.joined(separator: ", "))."),
                              "\(added) in \(result.stderr)")
            }
            for row in rows.dropFirst(before) where ws.exportFolders(row[2]).contains(row[4]) == false {
                XCTAssertTrue(result.stderr.contains("`seg export \(ws.root.path) \(row[0])`"), result.stderr)
            }
            XCTAssertEqual(try ws.store().verifyIntegrity().versions, rows.count)
        }
        XCTAssertNotNil(caught, "no round was interrupted while its export folders were staged")
    }
}
