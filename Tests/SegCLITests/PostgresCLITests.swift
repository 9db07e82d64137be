import Foundation
import XCTest

/// PostgreSQL datasets against a real server (`PostgresServer`): the demo's RFM run from PostgreSQL, pushed down
/// and not, gives the exports of the run from CSV; `--verify` re-executes from the snapshot and says when the
/// database changed; bad connection strings, a refused login, a failing query and a dropped connection each stop
/// the run with a clear message, no password, and nothing written.
final class PostgresCLITests: XCTestCase {
    nonisolated(unsafe) static var server: PostgresServer?
    static let demo = SegProcess.root.appendingPathComponent("workspaces/demo")

    override class func setUp() {
        super.setUp()
        do {
            let s = try PostgresServer()
            server = s
            // The demo's files in tables of the types Segwork infers from them; seq keeps the file's order.
            try s.psql("""
                CREATE TABLE customers (customer_id text, signup_date date, age int8, income int8, country text,
                                        channel text, plan text, seq bigserial);
                CREATE TABLE transactions (order_id int8, customer_id text, order_date date, amount float8, seq bigserial);
                """)
            try s.load("customers", columns: "customer_id, signup_date, age, income, country, channel, plan",
                       from: demo.appendingPathComponent("data/customers.csv"))
            try s.load("transactions", columns: "order_id, customer_id, order_date, amount",
                       from: demo.appendingPathComponent("data/transactions.csv"))
        } catch {
            server = nil
            print("PostgresCLITests: no server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        super.tearDown()
    }

    private func running() throws -> PostgresServer {
        guard let s = Self.server else {
            // CI installs PostgreSQL (scripts/ensure-deps): a missing server there is a failure, not a skip.
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("PostgreSQL did not start") }
            throw XCTSkip("PostgreSQL is not available")
        }
        return s
    }

    static let customersPG = """
        customers:
            postgres:
              url_env: SEG_PG_URL
              query: select customer_id, signup_date, age, income, country, channel, plan from customers order by seq
        """

    /// The demo's rfm.yaml with its datasets replaced by `datasets` (the text under `datasets:`).
    private func rfmDefinition(datasets: String?) throws -> String {
        let text = try String(contentsOf: Self.demo.appendingPathComponent("segmentations/rfm.yaml"), encoding: .utf8)
        guard let datasets else { return text }
        let start = text.range(of: "datasets:\n")!.upperBound, end = text.range(of: "features:")!.lowerBound
        return text.replacingCharacters(in: start..<end, with: datasets.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n")
    }

    /// A workspace with the demo's data files and `definition` as segmentations/rfm.yaml.
    private func workspace(_ definition: String) throws -> TempWorkspace {
        var files = ["segmentations/rfm.yaml": definition]
        for name in ["customers.csv", "transactions.csv"] {
            files["data/\(name)"] = try String(contentsOf: Self.demo.appendingPathComponent("data/\(name)"), encoding: .utf8)
        }
        return try TempWorkspace(files: files)
    }

    /// Every export file of the workspace's only rfm run, with what names the source (the run id, the inputs)
    /// taken out: everything else must be byte for byte the same whatever the source.
    private func exports(_ ws: TempWorkspace, definition: String = "rfm") throws -> [String: String] {
        let folders = ws.exportFolders(definition)
        XCTAssertEqual(folders.count, 1, "\(folders)")
        let runID = folders.first ?? "?"
        let dir = ws.root.appendingPathComponent("exports/rfm/\(runID)")
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            var text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: runID, with: "RUN")
            if name == "profiles.json" {
                var json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
                var run = json["run"] as! [String: Any]
                run["inputs"] = nil; run["inputsID"] = nil
                json["run"] = run
                text = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
            } else if name == "profiles.md" {
                text = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("| customers |") && !$0.hasPrefix("| transactions |") }.joined(separator: "\n")
            }
            out[name] = text
        }
        return out
    }

    private func profilesJSON(_ ws: TempWorkspace) throws -> [String: Any] {
        let dir = ws.root.appendingPathComponent("exports/rfm/\(ws.exportFolders("rfm").first ?? "?")")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("profiles.json"))) as! [String: Any]
    }

    func testDemoRFMFromPostgresEqualsTheCSVRunPushedDownAndNot() throws {
        let s = try running()
        let env = ["SEG_PG_URL": s.url]
        let pushed = Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: transactions }
            """
        let rows = Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, query: "select order_id, customer_id, order_date, amount from transactions order by seq", push_down: false }
              schema: { order_date: date, amount: double }
            """
        for asOf in [["--as-of", "2024-06-30"], []] {
            let csv = try workspace(try rfmDefinition(datasets: nil))
            let pg = try workspace(try rfmDefinition(datasets: pushed))
            let pgRows = try workspace(try rfmDefinition(datasets: rows))
            for ws in [csv, pg, pgRows] {
                let r = try seg(["run", ws.root.path, "--quiet"] + asOf, environment: env)
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            let expected = try exports(csv)
            XCTAssertEqual(Set(expected.keys), ["membership.csv", "profiles.csv", "profiles.json", "profiles.md",
                                                "report-data.json", "report.html", "notes.txt"])
            for (label, ws) in [("pushed down", pg), ("rows", pgRows)] {
                let got = try exports(ws)
                for (name, text) in expected.sorted(by: { $0.key < $1.key }) {
                    XCTAssertTrue(got[name] == text, "\(label) \(asOf): \(name) differs from the CSV run's")
                }
            }
            // What each run read: the aggregates of every transaction, or the rows; never the connection string.
            let inputs = { (ws: TempWorkspace) in ((try self.profilesJSON(ws))["run"] as! [String: Any])["inputs"] as! [[String: Any]] }
            let tx = try inputs(pg).first { $0["name"] as? String == "transactions" }!
            let record = tx["postgres"] as! [String: Any]
            XCTAssertEqual(record["pushedDown"] as? Bool, true)
            XCTAssertEqual(record["sourceRows"] as? Int, 23_778)
            XCTAssertTrue((record["sql"] as! String).contains("GROUP BY"))
            XCTAssertLessThan(tx["rows"] as! Int, 3_001)
            let txRows = try inputs(pgRows).first { $0["name"] as? String == "transactions" }!
            XCTAssertEqual((txRows["postgres"] as! [String: Any])["pushedDown"] as? Bool, false)
            XCTAssertEqual(txRows["rows"] as? Int, 23_778)
            // The customers' rows come out of COPY as the very bytes of the demo's file.
            let customers = try inputs(pg).first { $0["name"] as? String == "customers" }!
            let csvCustomers = try inputs(csv).first { $0["name"] as? String == "customers" }!
            XCTAssertEqual(customers["sha256"] as? String, csvCustomers["sha256"] as? String)
            for ws in [pg, pgRows] { try assertNoSecret(s, in: ws.root) }
        }
    }

    /// Amounts chosen to round differently in another order (0.1 + 0.2, 17-digit values, tiny and huge ones,
    /// refunds), missing amounts and dates, unknown and empty customer ids, weekly frequency: the push-down's sums
    /// and counts equal the row path's, value for value.
    func testPushDownIsExactOnAmountsThatRoundByOrder() throws {
        let s = try running()
        let amounts = ["0.1", "0.2", "0.3", "1e-9", "123456.789", "0.01", "-5.5", "98765432.123456789", "3.3333333333333335",
                       "2.675", "1e-30", "4503599627370.5", "", "7", "0.07", "1234.5678901234567"]
        var csv = "order_id,customer_id,order_date,amount\n"
        var state: UInt64 = 42
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for i in 0..<4000 {
            let customer = next(20) == 0 ? (next(2) == 0 ? "" : "X\(next(9))") : "C\(next(60))"
            let date = next(40) == 0 ? "" : String(format: "2024-%02d-%02d", 1 + next(12), 1 + next(28))
            csv += "\(i % 1500),\(customer),\(date),\(amounts[next(amounts.count)])\n"
        }
        var customers = "customer_id,age\n"
        for c in 0..<70 { customers += "C\(c),\(20 + c)\n" }
        try s.psql("""
            DROP TABLE IF EXISTS tx2, cu2;
            CREATE TABLE tx2 (order_id int8, customer_id text, order_date date, amount float8, seq bigserial);
            CREATE TABLE cu2 (customer_id text, age int8, seq bigserial);
            """)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-pgdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        try csv.write(to: data.appendingPathComponent("tx.csv"), atomically: true, encoding: .utf8)
        try customers.write(to: data.appendingPathComponent("cu.csv"), atomically: true, encoding: .utf8)
        try s.load("tx2", columns: "order_id, customer_id, order_date, amount", from: data.appendingPathComponent("tx.csv"))
        try s.load("cu2", columns: "customer_id, age", from: data.appendingPathComponent("cu.csv"))
        let body = { (datasets: String) in """
            population: customers
            id: customer_id
            datasets:
            \(datasets)
            features:
              rfm: { transactions: transactions, customer: customer_id, order: order_id, date: order_date, amount: amount, frequency: weeks }
            criteria:
              - plugin: rfm
            profile:
              numeric: [recency_days, frequency, monetary, age]
              monetary: monetary
            exports: [json, csv, md]
            """ }
        let fromCSV = body("""
              customers: { file: data/customers.csv }
              transactions: { file: data/transactions.csv, schema: { order_date: date, amount: double } }
            """)
        let fromPG = body("""
              customers: { postgres: { url_env: SEG_PG_URL, query: "select customer_id, age from cu2 order by seq" } }
              transactions: { postgres: { url_env: SEG_PG_URL, table: tx2 } }
            """)
        func ws(_ definition: String) throws -> TempWorkspace {
            try TempWorkspace(files: ["segmentations/rfm.yaml": definition, "data/customers.csv": customers,
                                      "data/transactions.csv": csv])
        }
        // The same with clean steps, which the database runs too: the report, rejects.csv and the aggregates of
        // the kept rows equal the row path's.
        let steps = """
                clean:
                  - validate: { column: amount, range: [-10, 100000], required: true }
                  - dedupe: { key: [order_id], keep: last }
                  - dedupe: { key: [customer_id, order_date], keep: latest, by: amount }
                  - validate: { column: order_date, range: ["2024-02-01", "2024-11-30"] }
            """
        let cleanCSV = body("""
              customers: { file: data/customers.csv }
              transactions:
                file: data/transactions.csv
                schema: { order_date: date, amount: double }
            \(steps)
            """)
        let cleanPG = body("""
              customers: { postgres: { url_env: SEG_PG_URL, query: "select customer_id, age from cu2 order by seq" } }
              transactions:
                postgres: { url_env: SEG_PG_URL, query: "select order_id, customer_id, order_date, amount from tx2 order by seq" }
            \(steps)
            """)
        for (plain, pg, asOf) in [(fromCSV, fromPG, ["--as-of", "2024-09-15"]), (fromCSV, fromPG, []),
                                  (cleanCSV, cleanPG, ["--as-of", "2024-09-15"]), (cleanCSV, cleanPG, [])] {
            let a = try ws(plain), b = try ws(pg)
            for w in [a, b] {
                let r = try seg(["run", w.root.path, "--quiet"] + asOf, environment: ["SEG_PG_URL": s.url])
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            let pushed = ((try profilesJSON(b))["run"] as! [String: Any])["inputs"] as! [[String: Any]]
            XCTAssertEqual((pushed.last!["postgres"] as! [String: Any])["pushedDown"] as? Bool, true)
            let expected = try exports(a), got = try exports(b)
            if pg == cleanPG {
                // Every step removed rows, so each one's SQL is checked against the row path.
                let report = try JSONSerialization.jsonObject(with: Data((expected["cleaning.json"] ?? "").utf8)) as? [String: Any]
                let removed = ((report?["datasets"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])?.map { $0["rows_removed"] as? Int ?? 0 }
                XCTAssertEqual(removed?.count, 4)
                XCTAssertTrue(removed?.allSatisfy { $0 > 0 } == true, "\(removed ?? [])")
                XCTAssertGreaterThan(expected["rejects.csv"]?.split(separator: "\n").count ?? 0, 10)
            }
            for name in expected.keys.sorted() { XCTAssertTrue(expected[name] == got[name], "\(asOf): \(name) differs") }
            // The notes say the same about left-out transactions (unknown ids, no date, after the reference).
            XCTAssertTrue(expected["notes.txt"]?.contains("unknown customer id") == true, expected["notes.txt"] ?? "")
        }
    }

    /// A pushed-down `validate … on_error: stop` stops the run at the row the row path stops at, with its message;
    /// a pushed-down dataset with clean steps re-executes from its snapshot under --verify.
    func testPushedDownCleanStepsStopAndVerifyLikeTheRowPath() throws {
        let s = try running()
        let stop = { (source: String) in try self.rfmDefinition(datasets: Self.customersPG + """

            transactions:
            \(source)
              clean:
                - dedupe: { key: [order_id, customer_id], keep: first }
                - validate: { column: amount, range: [0, 250], on_error: stop }
            """) }
        let csv = try workspace(try stop("  file: data/transactions.csv\n  schema: { order_date: date, amount: double }"))
        let pg = try workspace(try stop("  postgres: { url_env: SEG_PG_URL, query: \"select order_id, customer_id, order_date, amount from transactions order by seq\" }"))
        let env = ["SEG_PG_URL": s.url]
        let a = try seg(["run", csv.root.path, "--quiet"], environment: env), b = try seg(["run", pg.root.path, "--quiet"], environment: env)
        XCTAssertEqual(a.status, 1, a.stderr); XCTAssertEqual(b.status, 1, b.stderr)
        let tail = { (e: String) in e.range(of: ", line ").map { String(e[$0.lowerBound...]) } ?? e }
        XCTAssertTrue(b.stderr.contains("PostgreSQL dataset 'transactions'"), b.stderr)
        XCTAssertEqual(tail(a.stderr), tail(b.stderr))
        XCTAssertTrue(a.stderr.contains("breaks validate rule 'range'"), a.stderr)
        // Rejecting instead of stopping: the version verifies from its snapshot, cleaning report included.
        let reject = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: transactions }
              clean:
                - validate: { column: amount, range: [0, 900] }
            """))
        XCTAssertEqual(try seg(["run", reject.root.path, "--quiet", "--as-of", "2024-06-30"], environment: env).status, 0)
        let verified = try seg(["run", reject.root.path, "--verify", "latest"], environment: env)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(verified.stdout.contains("reproduces byte for byte"), verified.stdout)
        let explain = try seg(["run", reject.root.path, "--explain"], environment: env)
        XCTAssertTrue(explain.stdout.contains("seg_c1 AS (SELECT"), explain.stdout)
    }

    func testVerifyReExecutesFromTheSnapshotAndSaysWhenTheDatabaseChanged() throws {
        let s = try running()
        try s.psql("DROP TABLE IF EXISTS tx3; CREATE TABLE tx3 AS SELECT * FROM transactions;")
        let ws = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: tx3 }
            """))
        let env = ["SEG_PG_URL": s.url]
        XCTAssertEqual(try seg(["run", ws.root.path, "--quiet", "--as-of", "2024-06-30"], environment: env).status, 0)
        let same = try seg(["run", ws.root.path, "--verify", "latest"], environment: env)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertFalse((same.stdout + same.stderr).contains("now returns different rows"), same.stdout)
        try s.psql("INSERT INTO tx3 (order_id, customer_id, order_date, amount) VALUES (1, 'C00001', '2024-06-01', 10)")
        let changed = try seg(["run", ws.root.path, "--verify", "latest"], environment: env)
        let said = changed.stdout + changed.stderr
        XCTAssertEqual(changed.status, 0, said)  // the version still reproduces from its snapshot
        XCTAssertTrue(said.contains("the database now returns different rows"), said)
        // Without the connection string the snapshot still verifies, and the message says the database was not asked.
        let offline = try seg(["run", ws.root.path, "--verify", "latest"], environment: ["SEG_PG_URL": ""])
        XCTAssertEqual(offline.status, 0, offline.stdout + offline.stderr)
        XCTAssertTrue((offline.stdout + offline.stderr).contains("could not ask the database"), offline.stdout)
        try assertNoSecret(s, in: ws.root)
    }

    /// `seg forget` finds a customer in a push-down's snapshot (one aggregate row per customer, keyed seg_customer).
    func testForgetErasesACustomerFromPushedDownSnapshots() throws {
        let s = try running()
        let ws = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: transactions }
            """))
        let env = ["SEG_PG_URL": s.url, "SEG_ID_SALT": "a-long-random-secret-for-the-test-0123456789"]
        XCTAssertEqual(try seg(["run", ws.root.path, "--quiet", "--as-of", "2024-06-30"], environment: env).status, 0)
        let datasets = ws.root.appendingPathComponent(".seg/datasets")
        func holding() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: datasets.path).filter {
                (try String(contentsOf: datasets.appendingPathComponent($0), encoding: .utf8)).contains("C00001,")
            }
        }
        XCTAssertEqual(try holding().count, 2, "the customers' rows and the transactions' aggregates")
        let r = try seg(["forget", ws.root.path, "C00001"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try holding(), [], "no snapshot holds the customer any more")
    }

    func testBadConnectionStringsLoginAndQueryStopTheRunClearlyWithNothingWritten() throws {
        let s = try running()
        let transactions = """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: transactions }
            """
        let cases: [(url: String?, definition: String, status: Int32, says: [String])] = [
            (nil, Self.customersPG + transactions, 2, ["PostgreSQL dataset 'customers'", "SEG_PG_URL is not set"]),
            ("postgresql://seg:\(s.password)@/postgres?host=\(s.folder.path)&port=\(s.port)&sslmode=bogus", Self.customersPG + transactions, 2,
             ["bad connection settings"]),
            // Malformed strings: libpq quotes the fragment it could not parse, which may be (part of) the password.
            ("postgresql://seg:\(s.password)%zz@/postgres?host=\(s.folder.path)&port=\(s.port)", Self.customersPG + transactions, 2,
             ["bad connection settings", "percent-encode"]),
            ("postgresql://seg:Half\(s.password)/\(s.password)@localhost:\(s.port)/postgres", Self.customersPG + transactions, 2,
             ["bad connection settings", "for connection option \"port\"", "percent-encoded"]),
            ("postgresql://seg:\(s.password)@/postgres?host=\(s.folder.path)&port=1", Self.customersPG + transactions, 1,
             ["PostgreSQL dataset 'customers': could not connect", "check that the server runs"]),
            ("postgresql://seg:wrong-\(s.password)@/postgres?host=\(s.folder.path)&port=\(s.port)", Self.customersPG + transactions, 1,
             ["the server refused the login", "check the user and password"]),
            (s.url, Self.customersPG + "\ntransactions:\n  postgres: { url_env: SEG_PG_URL, table: no_such_table }", 1,
             ["PostgreSQL dataset 'transactions': the query failed", "no_such_table", "check the names"]),
            (s.url, Self.customersPG + "\ntransactions:\n  postgres: { url_env: SEG_PG_URL, query: \"select customer_id, customer_id, order_date, amount from transactions\" }", 1,
             ["PostgreSQL dataset 'transactions': the query failed: the query returns two columns named 'customer_id'"]),
            (s.url + "&options=-c%20statement_timeout%3D200", Self.customersPG + "\ntransactions:\n  postgres: { url_env: SEG_PG_URL, query: \"select * from transactions where pg_sleep(1) is not null\" }", 1,
             ["canceling statement due to statement timeout", "raise the timeout"]),
        ]
        for c in cases {
            let ws = try workspace(try rfmDefinition(datasets: c.definition))
            var env: [String: String] = [:]
            if let url = c.url { env["SEG_PG_URL"] = url }
            let r = try seg(["run", ws.root.path], environment: env)
            XCTAssertEqual(r.status, c.status, r.stderr)
            for text in c.says { XCTAssertTrue(r.stderr.contains(text), "\(c.says): \(r.stderr)") }
            XCTAssertFalse(r.stderr.contains(s.password), r.stderr)
            XCTAssertFalse(r.stderr.contains("Half"), r.stderr)
            XCTAssertFalse(r.stderr.contains(String(s.password.prefix(6))), r.stderr)
            XCTAssertEqual(ws.exportFolders("rfm"), [], "nothing exported")
            let versions = try seg(["versions", ws.root.path])
            XCTAssertFalse(versions.stdout.contains("rfm"), versions.stdout)
            try assertNoSecret(s, in: ws.root)
        }
    }

    func testADroppedConnectionLeavesNothingBehind() throws {
        let s = try running()
        let ws = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres:
                url_env: SEG_PG_URL
                push_down: false
                query: select order_id, customer_id, order_date, amount from transactions where seq < 20000 or pg_sleep(60) is null
            """))
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: SegProcess.Result?
        DispatchQueue.global().async {
            result = try? seg(["run", ws.root.path], environment: ["SEG_PG_URL": s.url, "TMPDIR": tmp.path])
            done.signal()
        }
        // Once the COPY sleeps on row 20000, end its backend as a failing server or network would.
        var killed = false
        for _ in 0..<100 where !killed {
            Thread.sleep(forTimeInterval: 0.1)
            let n = try s.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'COPY%pg_sleep%' AND wait_event = 'PgSleep'")
            killed = n.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        XCTAssertTrue(killed, "the COPY never reached the sleep")
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        let r = try XCTUnwrap(result)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("PostgreSQL dataset 'transactions'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("the connection was lost while reading rows (nothing was written)"), r.stderr)
        XCTAssertEqual(ws.exportFolders("rfm"), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "temporary rows removed")
        XCTAssertFalse(try seg(["versions", ws.root.path]).stdout.contains("rfm"))
    }

    func testExplainPrintsTheSQLWithoutRunning() throws {
        let s = try running()
        let ws = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres: { url_env: SEG_PG_URL, table: transactions }
            """))
        let r = try seg(["run", ws.root.path, "--explain", "--as-of", "2024-06-30"], environment: ["SEG_PG_URL": s.url])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("-- rfm: dataset 'transactions' (table transactions, connection from $SEG_PG_URL)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("pushed down"), r.stdout)
        XCTAssertTrue(r.stdout.contains("GROUP BY s.seg_customer"), r.stdout)
        XCTAssertTrue(r.stdout.contains("DATE '2024-06-30'"), r.stdout)
        XCTAssertTrue(r.stdout.contains("no push-down because it does not feed features.rfm"), r.stdout)
        XCTAssertFalse(r.stdout.contains(s.password))
        XCTAssertEqual(ws.exportFolders("rfm"), [])
    }

    func testColumnTypesComeFromTheServer() throws {
        let s = try running()
        try s.psql("""
            DROP TABLE IF EXISTS typed;
            CREATE TABLE typed (customer_id int8, vip boolean, score numeric(6,2), joined timestamp, seq bigserial);
            INSERT INTO typed (customer_id, vip, score, joined) VALUES (7, true, 12.50, '2024-01-02 10:00'), (8, false, NULL, NULL);
            """)
        let plugin = """
            return { api = 1, kind = "criterion", name = "vip", version = "1.0.0", description = "VIP or not",
              uses = { "vip", "score" },
              assign = function(row)
                assert(row.vip == nil or type(row.vip) == "boolean", "vip is not a boolean")
                assert(row.score == nil or math.type(row.score) == "float", "score is not a double")
                return row.vip and "VIP" or "Other"
              end }
            """
        let definition = { (query: String) in """
            population: customers
            id: customer_id
            as_of: 2024-06-30
            datasets:
              customers: { postgres: { url_env: SEG_PG_URL, query: "\(query)" } }
            criteria:
              - plugin: vip
            profile:
              numeric: [score]
            exports: [csv]
            """ }
        let refused = try TempWorkspace(files: ["segmentations/t.yaml": definition("select * from typed order by seq"),
                                                "plugins/vip.lua": plugin])
        let r = try seg(["run", refused.root.path], environment: ["SEG_PG_URL": s.url])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("column 'joined' is timestamp"), r.stderr)
        XCTAssertTrue(r.stderr.contains("joined::date AS joined"), r.stderr)
        let ok = try TempWorkspace(files: ["segmentations/t.yaml": definition("select customer_id, vip, score, joined::date as joined from typed order by seq"),
                                           "plugins/vip.lua": plugin])
        let r2 = try seg(["run", ok.root.path, "--quiet"], environment: ["SEG_PG_URL": s.url])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        // An int8 id is read as text (as a file's is), the boolean as bool, numeric as double.
        let membership = try String(contentsOf: ok.root.appendingPathComponent("exports/t/\(ok.exportFolders("t").first ?? "?")/membership.csv"), encoding: .utf8)
        XCTAssertTrue(membership.contains("7,VIP") && membership.contains("8,Other"), membership)
    }

    /// Shapes a hostile pass found: float4 amounts, '' order ids (an id, as a quoted empty field is for the
    /// reader), a query ending in a comment; NaN amounts and infinite dates refused as the row path refuses them;
    /// a write refused; a query with no rows said so.
    func testShapesFromTheHostilePass() throws {
        let s = try running()
        try s.psql("""
            DROP TABLE IF EXISTS tx4, cu4;
            CREATE TABLE cu4 (customer_id text, seq bigserial);
            INSERT INTO cu4 (customer_id) SELECT 'c' || i FROM generate_series(1, 12) i;
            CREATE TABLE tx4 (customer_id text, order_id text, order_date date, amount real, seq bigserial);
            INSERT INTO tx4 (customer_id, order_id, order_date, amount)
              SELECT 'c' || (1 + i % 12), CASE WHEN i % 5 = 0 THEN '' WHEN i % 7 = 0 THEN NULL ELSE 'o' || (i / 2) END,
                     DATE '2024-01-01' + i, (i % 7) / 10.0 + 0.1
              FROM generate_series(1, 80) i;
            """)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-pg4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        // The CSV files are what PostgreSQL writes for these tables ('' quoted, NULL empty).
        try s.psql("\\copy (select customer_id from cu4 order by seq) to '\(data.path)/cu.csv' csv header")
        try s.psql("\\copy (select customer_id, order_id, order_date, amount from tx4 order by seq) to '\(data.path)/tx.csv' csv header")
        let definition = { (datasets: String) in """
            population: customers
            id: customer_id
            datasets:
            \(datasets)
            features:
              rfm: { transactions: transactions, customer: customer_id, order: order_id, date: order_date, amount: amount }
            criteria:
              - plugin: rfm
            profile:
              numeric: [recency_days, frequency, monetary]
            exports: [json, csv]
            """ }
        let files = ["data/customers.csv": try String(contentsOf: data.appendingPathComponent("cu.csv"), encoding: .utf8),
                     "data/transactions.csv": try String(contentsOf: data.appendingPathComponent("tx.csv"), encoding: .utf8)]
        let csv = try TempWorkspace(files: files.merging(["segmentations/rfm.yaml": definition("""
              customers: { file: data/customers.csv }
              transactions: { file: data/transactions.csv, schema: { amount: double, order_date: date } }
            """)]) { $1 })
        let pg = try TempWorkspace(files: ["segmentations/rfm.yaml": definition("""
              customers: { postgres: { url_env: SEG_PG_URL, query: "select customer_id from cu4 order by seq -- the population" } }
              transactions: { postgres: { url_env: SEG_PG_URL, query: "select customer_id, order_id, order_date, amount from tx4 -- all" } }
            """)])
        let env = ["SEG_PG_URL": s.url]
        for ws in [csv, pg] { let r = try seg(["run", ws.root.path, "--quiet", "--as-of", "2024-03-15"], environment: env); XCTAssertEqual(r.status, 0, r.stderr) }
        let a = try exports(csv, definition: "rfm"), b = try exports(pg, definition: "rfm")
        for name in a.keys.sorted() { XCTAssertTrue(a[name] == b[name], "\(name) differs from the CSV run's") }
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        XCTAssertEqual(a["membership.csv"]?.split(separator: "\n").count, 13)

        // Values the reader refuses, refused by the push-down too, naming the column.
        for (change, column, says) in [("UPDATE tx4 SET amount = 'NaN' WHERE seq = 3", "amount", "NaN or infinite"),
                                       ("UPDATE tx4 SET order_date = 'infinity' WHERE seq = 4", "order_date", "infinity, BC or past the year 9999")] {
            try s.psql("DROP TABLE IF EXISTS tx5; CREATE TABLE tx5 AS SELECT * FROM tx4; " + change.replacingOccurrences(of: "tx4", with: "tx5"))
            let bad = try TempWorkspace(files: ["segmentations/rfm.yaml": definition("""
                  customers: { postgres: { url_env: SEG_PG_URL, table: cu4 } }
                  transactions: { postgres: { url_env: SEG_PG_URL, table: tx5 } }
                """)])
            let r = try seg(["run", bad.root.path, "--as-of", "2024-03-15"], environment: env)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("column '\(column)'") && r.stderr.contains(says), r.stderr)
            XCTAssertEqual(bad.exportFolders("rfm"), [])
        }
        // A write is refused before anything connects; a query without rows says so.
        let write = try TempWorkspace(files: ["segmentations/rfm.yaml": definition("""
              customers: { postgres: { url_env: SEG_PG_URL, query: "delete from cu4 returning *" } }
              transactions: { postgres: { url_env: SEG_PG_URL, table: tx4 } }
            """)])
        let w = try seg(["run", write.root.path], environment: env)
        XCTAssertEqual(w.status, 2, w.stderr)
        XCTAssertTrue(w.stderr.contains("must be a SELECT query"), w.stderr)
        XCTAssertEqual(try s.psql("select count(*) from cu4").trimmingCharacters(in: .whitespacesAndNewlines), "12")
        let empty = try TempWorkspace(files: ["segmentations/rfm.yaml": definition("""
              customers: { postgres: { url_env: SEG_PG_URL, query: "select customer_id from cu4 where false" } }
              transactions: { postgres: { url_env: SEG_PG_URL, table: tx4 } }
            """)])
        let e = try seg(["run", empty.root.path], environment: env)
        XCTAssertEqual(e.status, 1, e.stderr)
        XCTAssertTrue(e.stderr.contains("PostgreSQL dataset 'customers': the query failed: the query returned no rows"), e.stderr)
    }

    /// Ctrl-C during a read stops the query on the server too (PQcancel), not only seg.
    func testAnInterruptCancelsTheQueryOnTheServer() throws {
        let s = try running()
        let ws = try workspace(try rfmDefinition(datasets: Self.customersPG + """

            transactions:
              postgres:
                url_env: SEG_PG_URL
                query: select order_id, customer_id, order_date, amount from transactions where pg_sleep(0.5) is not null
            """))
        let p = Process()
        p.executableURL = SegProcess.binary
        p.arguments = ["run", ws.root.path, "--quiet"]
        p.environment = ProcessInfo.processInfo.environment.merging(["SEG_PG_URL": s.url, "CI": ""]) { $1 }
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run()
        // Long queries are cut in pg_stat_activity: find seg's by its application name.
        let active = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'segwork' AND query LIKE 'COPY%' AND state = 'active'"
        var seen = false
        for _ in 0..<100 where !seen {
            Thread.sleep(forTimeInterval: 0.1)
            seen = try s.psql(active).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        XCTAssertTrue(seen, "the query never started")
        p.interrupt()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        var gone = false
        for _ in 0..<50 where !gone {
            gone = try s.psql(active).trimmingCharacters(in: .whitespacesAndNewlines) == "0"
            if !gone { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertTrue(gone, "the server still runs the query seg was reading")
    }

    /// Neither the connection string nor its password is in any file of the workspace (store, exports).
    private func assertNoSecret(_ s: PostgresServer, in root: URL) throws {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in files where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let data = try Data(contentsOf: url)
            XCTAssertNil(data.range(of: Data(s.password.utf8)), "\(url.path) holds the password")
        }
    }
}
