import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// `seg forget`: a customer is erased from every file under .seg/ and exports/, other customers are intact, the
/// audit holds no id, `--verify` names the erasure, and the exit statuses are the documented ones.
final class ForgetCLITests: XCTestCase {
    static let salt = "forget-cli-salt"
    static let gone = "CU-7002"

    /// Five customers with distinctive ids; CU-7002 (age 130) and CU-7005 (age 150) fail the `aged` definition's
    /// age check and go to its rejects.csv; the `tiers` definition profiles everyone.
    static func workspace() throws -> TempWorkspace {
        let customers = "customer_id,age\nCU-7001,30\nCU-7002,130\nCU-7003,50\nCU-7004,60\nCU-7005,150\n"
        let orders = """
            order_id,customer_id,order_date,amount
            1,CU-7001,2024-01-10,150
            2,CU-7002,2024-02-10,50
            3,CU-7002,2024-05-10,80
            4,CU-7003,2024-01-15,20
            5,CU-7004,2024-04-01,300

            """
        let aged = Shop.definition().replacingOccurrences(of: "    file: data/customers.csv\n", with: """
                file: data/customers.csv
                clean:
                  - validate: { column: age, range: [0, 120] }

            """)
        return try Shop.workspace(definitions: ["tiers": Shop.definition(), "aged": aged]).with([
            "data/customers.csv": customers, "data/transactions.csv": orders,
        ])
    }

    /// Every file under .seg/ and exports/ (hidden ones included) that contains `needle`.
    static func filesHolding(_ needle: String, in ws: TempWorkspace) -> [String] {
        var hits: [String] = []
        for top in [".seg", "exports"] {
            let dir = ws.root.appendingPathComponent(top)
            for path in (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String]) ?? [] {
                guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(path).path) else { continue }
                if data.range(of: Data(needle.utf8)) != nil { hits.append("\(top)/\(path)") }
            }
        }
        return hits.sorted()
    }

    func testForgetErasesTheCustomerEverywhereAndKeepsEveryoneElse() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        for args in [["run", ws.root.path, "--as-of", "2024-03-31", "-q"], ["run", ws.root.path, "-q"],
                     ["run", ws.root.path, "tiers", "--hash-ids", "-q"], ["import", ws.root.path, "people", ws.root.path + "/data/customers.csv", "-q"]] {
            let r = try seg(args, environment: env)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        }
        let diff = try seg(["diff", ws.root.path, "previous:tiers", "latest:tiers", "--customers"], environment: env)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let hashed = IDHasher(salt: Self.salt).hash(Self.gone)
        XCTAssertFalse(Self.filesHolding(Self.gone, in: ws).isEmpty)
        XCTAssertFalse(Self.filesHolding(hashed, in: ws).isEmpty, "the hashed run exported the customer's hash")
        var before: [String: String] = [:]
        for file in ws.exportedFiles() where file.hasSuffix(".csv") { before[file] = try String(decoding: ws.data("exports/\(file)"), as: UTF8.self) }
        XCTAssertTrue(before.contains { $0.key.hasSuffix("rejects.csv") && $0.value.contains(",3,age,") }, "CU-7002's record (line 3) was rejected")

        let noSalt = try seg(["forget", ws.root.path, Self.gone])
        XCTAssertEqual(noSalt.status, 2, noSalt.stderr)
        XCTAssertTrue(noSalt.stderr.contains("SEG_ID_SALT"), noSalt.stderr)
        let nothing = try seg(["forget", ws.root.path], environment: env)
        XCTAssertEqual(nothing.status, 2, nothing.stderr)
        let noFile = try seg(["forget", ws.root.path, "--ids-file", ws.root.path + "/missing.txt"], environment: env)
        XCTAssertEqual(noFile.status, 2, noFile.stderr)
        XCTAssertTrue(noFile.stderr.contains("missing.txt cannot be read"), noFile.stderr)

        let r = try seg(["forget", ws.root.path, Self.gone, "NOPE-1"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("erasure #1: 2 ids asked, 1 found"), r.stdout)
        XCTAssertTrue(r.stdout.contains("not found anywhere in the workspace (1): NOPE-1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("reminder: your own files still hold these customers: data/customers.csv (1 row), data/transactions.csv (2 rows)"), r.stdout)

        XCTAssertEqual(Self.filesHolding(Self.gone, in: ws), [], "the raw id is gone from .seg/ and exports/")
        // The audit keeps HMAC-SHA256(salt, id), whose first 16 digits are the exported hash (docs/PRIVACY.md).
        XCTAssertEqual(Self.filesHolding(hashed, in: ws), [".seg/store.sqlite"], "its hash is gone from hashed exports")
        XCTAssertEqual(ws.exportFolders("tiers").filter { $0 == "diffs" || $0.hasPrefix(".") }, ["diffs"])
        XCTAssertEqual(ws.exportFolders("tiers/diffs"), [], "the diff of two changed versions is removed")
        for (file, text) in before where !file.contains("/diffs/") {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = lines.filter { line in
                !line.hasPrefix(Self.gone + ",") && !line.hasPrefix(hashed + ",")
                    && !(file.hasSuffix("rejects.csv") && line.hasPrefix("customers,3,"))
            }.joined(separator: "\n")
            XCTAssertEqual(String(decoding: try ws.data("exports/\(file)"), as: UTF8.self), expected, "\(file): everyone else is intact")
        }
        XCTAssertTrue(try String(decoding: ws.data("exports/" + before.keys.first { $0.hasSuffix("rejects.csv") }!), as: UTF8.self)
            .contains("customers,6,age"), "CU-7005's rejected record stays")

        let check = try seg(["check", ws.root.path, "--store"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let verify = try seg(["run", ws.root.path, "--verify", "latest:tiers"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("was changed by erasure #1"), verify.stdout)
        let show = try seg(["show", ws.root.path, "latest:tiers"])
        XCTAssertTrue(show.stdout.contains("changed by erasure #1"), show.stdout)
        let list = try seg(["forget", ws.root.path, "--list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("erasure #1  started") && list.stdout.contains("completed"), list.stdout)
        XCTAssertFalse(list.stdout.contains(Self.gone), list.stdout)

        // The rejects kept with each aged version lost the record too: a rebuild from the store does not bring it back.
        for v in ["previous:aged", "latest:aged"] {
            let out = ws.root.appendingPathComponent("rebuilt-\(v.prefix(4))")
            let export = try seg(["export", ws.root.path, v, "--out", out.path], environment: env)
            XCTAssertEqual(export.status, 0, export.stderr)
            let rejects = String(decoding: try Data(contentsOf: out.appendingPathComponent("rejects.csv")), as: UTF8.self)
            XCTAssertFalse(rejects.contains("customers,3,"), "\(v): \(rejects)")
            XCTAssertTrue(rejects.contains("customers,6,age"), "\(v): CU-7005's rejected record stays: \(rejects)")
        }

        // The store's imported dataset now points at the rewritten snapshot.
        let store = try ws.store()
        let people = try XCTUnwrap(try store.latestDataset(name: "people"))
        XCTAssertEqual(people.rows, 4)
        XCTAssertEqual(try store.erasures().first?.idHashes.contains(IDHasher(salt: Self.salt).hmac(Array(Self.gone.utf8))), true)
    }

    /// Ids that look like spreadsheet formulas are written guarded (`'=CU-9`) into membership.csv and the stored
    /// membership; the erasure matches them through the guard, so they are erased there too.
    func testAnIdThatLooksLikeAFormulaIsErasedFromGuardedMemberships() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        try ws.write("data/customers.csv", "customer_id,age\nCU-7001,30\n=CU-9,40\n")
        try ws.write("data/transactions.csv", "order_id,customer_id,order_date,amount\n1,CU-7001,2024-01-10,150\n2,=CU-9,2024-02-10,50\n")
        let env = ["SEG_ID_SALT": Self.salt]
        let run = try seg(["run", ws.root.path, "tiers", "-q"], environment: env)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(Self.filesHolding("'=CU-9", in: ws).isEmpty, "the id is exported guarded")
        let r = try seg(["forget", ws.root.path, "=CU-9"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(Self.filesHolding("=CU-9", in: ws), [], r.stdout)
        XCTAssertFalse(Self.filesHolding("CU-7001", in: ws).isEmpty, "the other customer stays")
    }

    /// After an erasure, the latest version no longer holds what its run id's inputs hold, so running again is not
    /// a "not reproducible" failure: with the customer removed from the user's own files it is a new version
    /// without them; with the files unchanged it is a new version that has them again (as the reminder says).
    func testRunningAgainAfterAnErasureMakesANewVersion() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        XCTAssertEqual(try seg(["run", ws.root.path, "tiers", "-q"], environment: env).status, 0)
        XCTAssertEqual(try seg(["forget", ws.root.path, Self.gone], environment: env).status, 0)
        let again = try seg(["run", ws.root.path, "tiers"], environment: env)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("tiers  v2"), again.stdout)
        let versions = try seg(["versions", ws.root.path], environment: env)
        XCTAssertTrue(versions.stdout.contains("v1 was changed by erasure #1 (seg forget)"), versions.stdout)
        XCTAssertFalse(versions.stdout.contains("same run as"), "an erased version is not the same output: \(versions.stdout)")
        let customers = "customer_id,age\nCU-7001,30\nCU-7003,50\nCU-7004,60\nCU-7005,150\n"
        try ws.write("data/customers.csv", customers)
        try ws.write("data/transactions.csv", "order_id,customer_id,order_date,amount\n1,CU-7001,2024-01-10,150\n4,CU-7003,2024-01-15,20\n5,CU-7004,2024-04-01,300\n")
        XCTAssertEqual(try seg(["forget", ws.root.path, Self.gone], environment: env).status, 0)
        let clean = try seg(["run", ws.root.path, "tiers", "-q"], environment: env)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertEqual(Self.filesHolding(Self.gone, in: ws), [], "gone from the store and exports once the user's files are clean")
    }

    func testIdsFileAndBusyWorkspace() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        let file = ws.root.appendingPathComponent("request.txt")
        try "CU-7001\r\n\nCU-7004\n".write(to: file, atomically: true, encoding: .utf8)
        let lock = try ws.store().lockForWriting(command: "test holder")
        let busy = try seg(["forget", ws.root.path, "--ids-file", file.path], environment: env)
        XCTAssertEqual(busy.status, 1, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("workspace busy"), busy.stderr)
        lock.release()
        let r = try seg(["forget", ws.root.path, "--ids-file", file.path], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 ids asked, 2 found"), r.stdout)
        XCTAssertEqual(Self.filesHolding("CU-7001", in: ws) + Self.filesHolding("CU-7004", in: ws), [])
        XCTAssertFalse(Self.filesHolding("CU-7003", in: ws).isEmpty)
    }

    /// JSON Lines ids are the reader's text of the value: a number as written. `1e2`, `-0` and `12.50` are erased
    /// from the snapshot, not only from the memberships.
    func testJSONLinesNumberIdsAreErasedAsTheReaderWritesThem() throws {
        let customers = "{\"customer_id\": 1e2, \"age\": 30}\n{\"customer_id\": -0, \"age\": 40}\n"
            + "{\"customer_id\": 12.50, \"age\": 50}\n{\"customer_id\": 7, \"age\": 60}\n"
        let definition = Shop.definition().replacingOccurrences(of: "file: data/customers.csv", with: "file: data/customers.jsonl")
        let ws = try Shop.workspace(definitions: ["tiers": definition]).with([
            "data/customers.jsonl": customers,
            "data/transactions.csv": "order_id,customer_id,order_date,amount\n1,7,2024-01-10,150\n2,1e2,2024-02-10,50\n",
        ])
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        let run = try seg(["run", ws.root.path, "-q"], environment: env)
        XCTAssertEqual(run.status, 0, run.stderr)
        let r = try seg(["forget", ws.root.path, "--", "1e2", "-0", "12.50"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("3 ids asked, 3 found; removed 4 rows from 2 dataset snapshots"), r.stdout)
        let datasets = ws.root.appendingPathComponent(".seg/datasets")
        var jsonl = 0
        for path in (FileManager.default.enumerator(atPath: datasets.path)?.allObjects as? [String]) ?? [] where path.hasSuffix(".jsonl") {
            jsonl += 1
            let text = try String(contentsOf: datasets.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(text, "{\"customer_id\": 7, \"age\": 60}\n", "\(path) still holds an erased customer")
        }
        XCTAssertEqual(jsonl, 1)
        let again = try seg(["run", ws.root.path, "-q"], environment: env)
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testIdsFileWithAByteOrderMarkErasesTheFirstId() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        let file = ws.root.appendingPathComponent("request.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array("CU-7001\r\nCU-7004\r\n".utf8)).write(to: file)
        let r = try seg(["forget", ws.root.path, "--ids-file", file.path], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 ids asked, 2 found"), r.stdout)
        XCTAssertFalse(r.stdout.contains("not found"), r.stdout)
        XCTAssertEqual(Self.filesHolding("CU-7001", in: ws) + Self.filesHolding("CU-7004", in: ws), [])
    }

    func testIdsNotFoundArePrintedEscaped() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": Self.salt]
        XCTAssertEqual(try seg(["run", ws.root.path, "-q"]).status, 0)
        let hostile = "X\u{1B}]0;T\u{07}\n::error::id"
        let file = ws.root.appendingPathComponent("request.txt")
        try "::warning::second\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try seg(["forget", ws.root.path, hostile, "--ids-file", file.path], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("not found anywhere in the workspace (2)"), r.stdout)
        for output in [r.stdout, r.stderr] {
            XCTAssertFalse(output.contains("\u{1B}") || output.contains("\u{07}"), output)
            for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
                XCTAssertFalse(line.trimmingCharacters(in: .whitespaces).hasPrefix("::"), "a CI command line: \(line)")
            }
        }
    }
}

extension TempWorkspace {
    /// The same workspace with `files` written over it.
    func with(_ files: [String: String]) throws -> TempWorkspace {
        for (path, text) in files { try write(path, text) }
        return self
    }
}
