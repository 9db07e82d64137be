import Foundation
import XCTest

/// `seg import` reads a data file as `seg run` does and refuses what a run refuses, with the same message and
/// nothing stored; errors about an imported dataset name the user's file and line, never the snapshot path.
final class ImportValidationTests: XCTestCase {
    /// The bad files of BadDataFileTests (and a few more): name, bytes, line, a fragment of the message.
    private var badFiles: [(String, [UInt8], Int?, String)] {
        let good = (1...2000).map { "c\($0),\($0 % 90)" }.joined(separator: "\n")
        let goodJSON = (1...2000).map { "{\"customer_id\": \"c\($0)\", \"age\": \($0 % 90)}" }.joined(separator: "\n")
        return [
            ("a.csv", Array("customer_id,age\n\(good)\nc2001,40,extra\n".utf8), 2002, "header has 2"),
            ("b.csv", [], nil, "empty"),
            ("c.csv", Array("customer_id,age,age\nc1,1,2\n".utf8), 1, "twice"),
            ("d.csv", Array("customer_id,age\nc1,1\nc2,\u{0}\n".utf8), 3, "NUL"),
            ("e.csv", Array("customer_id,age\nc1,1\n".utf8) + [0x63, 0x32, 0x2C, 0xFF, 0x0A], 3, "UTF-8"),
            ("f.csv", Array("customer_id,age\nc1,\"1\nc2,2\n".utf8), 2, "never closed"),
            ("g.csv", Array("customer_id,age\n".utf8), nil, "header but no rows"),
            ("h.csv", Array("customer_id,age\nc1,\"1\"x\n".utf8), 2, "after its closing quote"),
            ("i.tsv", Array("customer_id\tage\nc1\t1\t2\n".utf8), 2, "header has 2"),
            ("a.jsonl", Array("\(goodJSON)\n{\"customer_id\": \"c2001\", \"age\": 4".utf8), 2001, "truncated"),
            ("b.jsonl", Array("\(goodJSON)\n[1, 2]\n".utf8), 2001, "not a JSON object"),
            ("c.jsonl", [], nil, "no records"),
            ("d.jsonl", Array("{\"customer_id\": \"c1\", \"age\": 1}\n{\"customer_id\": \"c\\u0000\"}\n".utf8), 2, "\\u0000"),
        ]
    }

    private let plugin = """
        return { api = 1, kind = "criterion", name = "ok", version = "1.0.0", description = "test",
          uses = { "customer_id" }, assign = function(row, p) return "all" end }
        """

    func testImportRefusesWhatARunRefusesWithTheSameMessageAndStoresNothing() throws {
        for (name, bytes, line, fragment) in badFiles {
            let ws = try TempWorkspace(files: [
                "segmentations/d.yaml": "population: customers\nid: customer_id\ndatasets:\n  customers: { file: data/\(name) }\n"
                    + "criteria:\n  - plugin: ok\nas_of: 2024-01-01\n",
                "plugins/ok.lua": plugin])
            defer { ws.remove() }
            try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("data"), withIntermediateDirectories: true)
            try Data(bytes).write(to: ws.root.appendingPathComponent("data/\(name)"))
            let imported = try SegProcess.run(["import", ".", "customers", "data/\(name)"], cwd: ws.root)
            XCTAssertEqual(imported.status, 1, "\(name): \(imported.stdout) \(imported.stderr)")
            let message = imported.stderr.split(separator: "\n").first { $0.contains("data/\(name)") }.map(String.init) ?? ""
            XCTAssertTrue(message.contains(fragment), "\(name): no '\(fragment)' in \(imported.stderr)")
            if let line { XCTAssertTrue(message.contains("data/\(name), line \(line)"), "\(name): \(imported.stderr)") }
            // Nothing stored: no snapshot file, no dataset row.
            let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(".seg/datasets").path)) ?? []
            XCTAssertEqual(snapshots.filter { !$0.hasPrefix(".") }, [], name)
            // Had a version been recorded, importing the same bytes again would be "unchanged"; it is refused again.
            let again = try SegProcess.run(["import", ".", "customers", "data/\(name)"], cwd: ws.root)
            XCTAssertEqual(again.status, 1, "\(name): \(again.stdout)")
            // The same message as `seg run` over the same file.
            let run = try SegProcess.run(["run", "."], cwd: ws.root)
            XCTAssertEqual(run.status, 1, run.stderr)
            let core = message.range(of: "data/\(name)").map { String(message[$0.lowerBound...]) } ?? message
            XCTAssertTrue(run.stderr.contains(core), "\(name): run says \(run.stderr), import said \(core)")
        }
    }

    func testValidFilesStillImport() throws {
        // Semicolons and tabs inside values, quoted numbers, a repeated id (ids are the definition's business),
        // values beyond Int64 and nan as text: structure only is checked.
        let ws = try TempWorkspace(files: [
            "data/ok.csv": "customer_id,note,amount\nc1,\"a;b\",\"12\"\nc2,x\ty,9223372036854775808\nc1,\"tab\there\",nan\n",
            "data/ok.tsv": "customer_id\tnote\nc1\ta;b\n",
            "data/ok.jsonl": "{\"customer_id\": \"c1\", \"n\": 1}\n{\"customer_id\": \"c2\", \"n\": \"x\"}\n",
            "data/ok.txt": "customer_id,n\nc1,1\n"])
        defer { ws.remove() }
        for (file, rows) in [("data/ok.csv", 3), ("data/ok.tsv", 1), ("data/ok.jsonl", 2), ("data/ok.txt", 1)] {
            let r = try SegProcess.run(["import", ".", "d", file], cwd: ws.root)
            XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("(\(rows) row"), "\(file): \(r.stdout)")
        }
    }

    func testInvalidUTF8CanBeImportedWhenReplacementIsAsked() throws {
        let ws = try TempWorkspace(files: [:])
        defer { ws.remove() }
        try FileManager.default.createDirectory(at: ws.root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data(Array("customer_id,age\nc1,1\n".utf8) + [0x63, 0x32, 0x2C, 0xFF, 0x0A]).write(to: ws.root.appendingPathComponent("data/e.csv"))
        let r = try SegProcess.run(["import", ".", "customers", "data/e.csv", "--invalid-utf8", "replace"], cwd: ws.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 rows"), r.stdout)
    }

    /// A workspace whose customers (and transactions) are imported from `customers` and `transactions` text.
    private func importedShop(customers: String, transactions: String = Shop.transactions,
                              edit: (String) -> String = { $0 }) throws -> TempWorkspace {
        let def = edit(Shop.definition()
            .replacingOccurrences(of: "file: data/customers.csv", with: "dataset: people")
            .replacingOccurrences(of: "file: data/transactions.csv", with: "dataset: orders"))
        let ws = try Shop.workspace(definitions: ["tiers": def])
        try ws.write("incoming/people.csv", customers)
        try ws.write("incoming/orders.csv", transactions)
        for (name, file) in [("people", "incoming/people.csv"), ("orders", "incoming/orders.csv")] {
            let r = try SegProcess.run(["import", ".", name, file], cwd: ws.root)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return ws
    }

    private func assertRunNamesUsersFile(_ ws: TempWorkspace, _ fragments: [String],
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try SegProcess.run(["run", "."], cwd: ws.root)
        XCTAssertNotEqual(r.status, 0, r.stdout, file: file, line: line)
        XCTAssertFalse(r.stderr.contains(".seg/datasets"), r.stderr, file: file, line: line)
        for f in fragments { XCTAssertTrue(r.stderr.contains(f), "no '\(f)' in \(r.stderr)", file: file, line: line) }
    }

    func testErrorsOnAnImportedDatasetNameTheUsersFileAndLine() throws {
        // A duplicate id.
        var ws = try importedShop(customers: "customer_id,age\na,30\nb,40\na,50\n")
        try assertRunNamesUsersFile(ws, ["incoming/people.csv (imported as dataset 'people'), line 4", "id 'a' appears more than once (line 2 and line 4)"])
        ws.remove()
        // A bad value for the schema's type.
        ws = try importedShop(customers: Shop.customers,
                              transactions: Shop.transactions.replacingOccurrences(of: "3,b,2024-05-10,80", with: "3,b,2024-05-10,eighty"))
        try assertRunNamesUsersFile(ws, ["incoming/orders.csv (imported as dataset 'orders'), line 4, column 'amount'", "'eighty'"])
        ws.remove()
        // A typo in features.rfm.amount is the definition's mistake: named at its line, with a did-you-mean, and
        // never as the snapshot's path.
        ws = try importedShop(customers: Shop.customers) { $0.replacingOccurrences(of: "amount: amount", with: "amount: amout") }
        try assertRunNamesUsersFile(ws, ["segmentations/tiers.yaml:14", "'amout'", "did you mean 'amount'"])
        ws.remove()
    }

    func testHeaderOnlyPopulationStopsTheRun() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        try ws.write("data/customers.csv", "customer_id,age\n")
        let r = try SegProcess.run(["run", "."], cwd: ws.root)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv: the file has a header but no rows"), r.stderr)
        XCTAssertEqual(ws.exportedFiles(), [])
    }

    func testPersonalValuesStayOutOfReadAndDuplicateIdErrors() throws {
        let def = Shop.definition().replacingOccurrences(of: "file: data/customers.csv",
                                                         with: "file: data/customers.csv\n    schema: { customer_id: { pii: true }, age: { type: integer, pii: true } }")
        let ws = try Shop.workspace(definitions: ["tiers": def])
        defer { ws.remove() }
        try ws.write("data/customers.csv", "customer_id,age\na,30\nb,forty-secret\n")
        var r = try SegProcess.run(["run", "."], cwd: ws.root, environment: ["SEG_ID_SALT": "s4lt-s4lt-s4lt-s4lt"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 3, column 'age'") && r.stderr.contains("value withheld (pii column)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("forty-secret"), r.stderr)
        try ws.write("data/customers.csv", "customer_id,age\nalice@example.com,30\nb,40\nalice@example.com,50\n")
        r = try SegProcess.run(["run", "."], cwd: ws.root, environment: ["SEG_ID_SALT": "s4lt-s4lt-s4lt-s4lt"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 4, column 'customer_id'")
                      && r.stderr.contains("value withheld (pii column)") && r.stderr.contains("line 2 and line 4"), r.stderr)
        XCTAssertFalse(r.stderr.contains("alice"), r.stderr)
    }

    func testLateTextValueIsARunNote() throws {
        let ws = try Shop.workspace()
        defer { ws.remove() }
        try ws.write("data/customers.csv", "customer_id,age\na,30\nb,40\nc,unknown\nd,60\ne,70\n")
        let r = try SegProcess.run(["run", "."], cwd: ws.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("note: data/customers.csv, line 4, column 'age': the column is read as text because of 'unknown' (record 3)"),
                      r.stdout)
    }
}
