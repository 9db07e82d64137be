import Foundation
import XCTest
@testable import SegworkCore
import SegworkData

/// `seg plan` and `seg apply` (docs/SCALE.md): a plan applied to the run's own features gives `seg run`'s
/// membership line for line; statistics files are checked and their provenance recorded; bad plans, statistics
/// files and input rows are refused with the file, field or line named; apply streams; a hostile plugin cannot hang it.
final class PlanApplyCLITests: XCTestCase {
    /// Runs seg with `input` on its standard input.
    private func seg(_ args: [String], input: Data = Data()) throws -> SegProcess.Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("seg-in-\(UUID().uuidString)")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // A shell redirects the file to seg's standard input (SegProcess.run gives it /dev/null).
        return try SegProcess.run(["-c", "exec \"$0\" \"$@\" < '\(file.path)'", SegProcess.binary.path] + args,
                                  executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// The demo copy after `seg run … rfm`, its membership.csv, and the run's customer table as CSV (the id, the RFM
    /// features and two columns no plugin reads, which apply must ignore).
    private func demoRun() throws -> (TempWorkspace, membership: String, features: String) {
        let ws = try TempWorkspace.demoCopy()
        let run = try SegProcess.run(["run", ws.root.path, "rfm", "-q"])
        XCTAssertTrue([0, 3].contains(run.status), run.stderr)
        let folder = ws.root.appendingPathComponent("exports/rfm")
        let id = try FileManager.default.contentsOfDirectory(atPath: folder.path).first!
        let membership = try String(contentsOf: folder.appendingPathComponent("\(id)/membership.csv"), encoding: .utf8)
        let workspace = try Workspace.open(ws.root.path)
        var options = RunOptions()
        options.keepTable = true
        let table = try Runner(workspace: workspace).run(try workspace.definitions(named: ["rfm"])[0], options: options).table!
        let columns = ["customer_id", "country", "recency_days", "frequency", "monetary", "age"].map { table[$0]! }
        var csv = columns.map(\.name).joined(separator: ",") + "\n"
        for row in 0..<table.rowCount { csv += columns.map { $0.string(at: row) ?? "" }.joined(separator: ",") + "\n" }
        return (ws, membership, csv)
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    func testApplyingTheDemoPlanGivesSegRunsMembershipForEveryCustomer() throws {
        let (ws, membership, features) = try demoRun()
        defer { ws.remove() }
        let plan = ws.root.appendingPathComponent("plan.seg")
        let made = try SegProcess.run(["plan", ws.root.path, "rfm", "--out", plan.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let p = try json(plan)
        XCTAssertEqual(p["format"] as? Int, 1)
        XCTAssertEqual(try SegmentPlan.read(Data(contentsOf: plan), file: "plan.seg").statistics,
                       .init(source: "local-run", quantiles: "exact", rows: 3000))
        XCTAssertEqual((p["inputs"] as! [[String: String]]).map { $0["name"]! }, ["customer_id", "recency_days", "frequency", "monetary"])
        let rfm = (p["criteria"] as! [[String: Any]])[0]
        XCTAssertEqual((rfm["modules"] as! [[String: Any]]).map { $0["name"] as! String }, ["segutil"])
        XCTAssertTrue(((rfm["modules"] as! [[String: Any]])[0]["source"] as! String).contains("function segutil.quintile_breaks"))
        XCTAssertNotNil((rfm["params"] as! [String: Any])["r_breaks"])

        let applied = try seg(["apply", plan.path], input: Data(features.utf8))
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(applied.stdout.split(separator: "\n").count, 3001)
        XCTAssertEqual(applied.stdout, membership)
        // In chunks of 128 rows (24 chunks): the same bytes.
        let chunked = try seg(["apply", plan.path, "--chunk-rows", "128"], input: Data(features.utf8))
        XCTAssertEqual(chunked.stdout, membership, chunked.stderr)
        // Trailing blank lines make a chunk of their own after 3,000 rows: nothing to write, no error.
        let trailing = try seg(["apply", plan.path, "--chunk-rows", "3000"], input: Data((features + "\n\n").utf8))
        XCTAssertEqual(trailing.status, 0, trailing.stderr)
        XCTAssertEqual(trailing.stdout, membership)

        // JSON Lines in and out: each customer's segment and score as in membership.csv (null for none).
        var jsonl = ""
        let lines = features.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for f in lines.dropFirst() {
            var o: [String] = ["\"customer_id\":\"\(f[0])\""]
            for (k, name) in [(2, "recency_days"), (3, "frequency"), (4, "monetary")] where !f[k].isEmpty { o.append("\"\(name)\":\(f[k])") }
            jsonl += "{" + o.joined(separator: ",") + "}\n"
        }
        let fromJSON = try seg(["apply", plan.path, "--format", "jsonl"], input: Data(jsonl.utf8))
        XCTAssertEqual(fromJSON.status, 0, fromJSON.stderr)
        let expected = membership.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let got = fromJSON.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(got.count, expected.count)
        for (e, g) in zip(expected, got) {
            XCTAssertEqual(g["customer_id"] as? String, e[0])
            XCTAssertEqual(g["segment"] as? String, e[1])
            XCTAssertEqual((g["value_score"] as? NSNumber).map { formatDouble($0.doubleValue) } ?? "", e[2])
        }
    }

    /// A statistics file in the documented format, built from the local plan's statistics.
    private func statsFile(from plan: URL, _ edit: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        let p = try json(plan)
        var columns: [String: Any] = [:]
        for (field, s) in (p["criteria"] as! [[String: Any]])[0]["stats"] as! [String: Any] { columns[field] = s }
        var stats: [String: Any] = ["format": 1, "rows": 3000, "quantiles": "approximate", "relative_error": 0.01,
                                    "engine": "test", "as_of": p["as_of"]!, "columns": columns]
        edit(&stats)
        return try JSONSerialization.data(withJSONObject: stats)
    }

    func testAStatsFilePlanRecordsItsQuantilesAndAppliesTheSameStatistics() throws {
        let (ws, membership, features) = try demoRun()
        defer { ws.remove() }
        let local = ws.root.appendingPathComponent("local.seg"), plan = ws.root.appendingPathComponent("stats.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", local.path]).status, 0)
        let stats = ws.root.appendingPathComponent("stats.json")
        try statsFile(from: local).write(to: stats)
        let made = try SegProcess.run(["plan", ws.root.path, "rfm", "--stats", stats.path, "--out", plan.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stderr.contains("statistics from stats-file over 3000 customers, approximate (relative error 0.01) quantiles"), made.stderr)
        XCTAssertEqual(try SegmentPlan.read(Data(contentsOf: plan), file: "stats.seg").statistics,
                       .init(source: "stats-file", quantiles: "approximate", relativeError: 0.01, engine: "test", rows: 3000))
        XCTAssertTrue(try String(contentsOf: plan, encoding: .utf8).contains(#""relative_error" : 0.01"#))
        let applied = try seg(["apply", plan.path], input: Data(features.utf8))
        XCTAssertEqual(applied.stdout, membership, applied.stderr)
    }

    func testBadStatisticsFilesNameTheFileAndTheField() throws {
        let (ws, _, _) = try demoRun()
        defer { ws.remove() }
        let local = ws.root.appendingPathComponent("local.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", local.path]).status, 0)
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("field 'columns.monetary.p': must hold 101 numbers", { s in
                var c = s["columns"] as! [String: Any]; var m = c["monetary"] as! [String: Any]
                m["p"] = Array((m["p"] as! [Any]).dropLast()); c["monetary"] = m; s["columns"] = c }),
            ("field 'columns.frequency': is missing; plugin 'value_score' uses it", { s in
                var c = s["columns"] as! [String: Any]; c["frequency"] = nil; s["columns"] = c }),
            ("field 'relative_error': is required", { s in s["relative_error"] = nil }),
            ("field 'format': is 2", { s in s["format"] = 2 }),
            ("field 'rows': must be the whole number of customers, 1 or more", { s in s["rows"] = 0 }),
            ("field 'columns.monetary.mean': is 1000000, outside min", { s in
                var c = s["columns"] as! [String: Any]; var m = c["monetary"] as! [String: Any]
                m["mean"] = 1e6; c["monetary"] = m; s["columns"] = c }),
            ("field 'columns.recency_days.type': is date, but the definition's features make 'recency_days' an integer column", { s in
                var c = s["columns"] as! [String: Any]; var r = c["recency_days"] as! [String: Any]
                r["type"] = "date"; c["recency_days"] = r; s["columns"] = c }),
            ("field 'columns.recency_days.count': count (5) + missing", { s in
                var c = s["columns"] as! [String: Any]; var r = c["recency_days"] as! [String: Any]
                r["count"] = 5; c["recency_days"] = r; s["columns"] = c }),
        ]
        for (expected, edit) in cases {
            let stats = ws.root.appendingPathComponent("stats.json")
            try statsFile(from: local, edit).write(to: stats)
            let r = try SegProcess.run(["plan", ws.root.path, "rfm", "--stats", stats.path, "--out", ws.root.appendingPathComponent("x.seg").path])
            XCTAssertEqual(r.status, 2, expected)
            XCTAssertTrue(r.stderr.contains("\(stats.path), \(expected)"), "\(expected) — got: \(r.stderr)")
        }
    }

    func testBadPlansAndBadInputRowsAreRefusedClearly() throws {
        let (ws, _, features) = try demoRun()
        defer { ws.remove() }
        let plan = ws.root.appendingPathComponent("plan.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", plan.path]).status, 0)
        let text = try String(contentsOf: plan, encoding: .utf8)
        let newer = ws.root.appendingPathComponent("newer.seg"), edited = ws.root.appendingPathComponent("edited.seg")
        try text.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : 2").write(to: newer, atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "return GRID[r][f]", with: "return 'Champions'").write(to: edited, atomically: true, encoding: .utf8)
        let n = try seg(["apply", newer.path], input: Data(features.utf8))
        XCTAssertEqual(n.status, 2)
        XCTAssertTrue(n.stderr.contains("newer.seg: the plan has format 2, but this Segwork"), n.stderr)
        let e = try seg(["apply", edited.path], input: Data(features.utf8))
        XCTAssertEqual(e.status, 2)
        XCTAssertTrue(e.stderr.contains("the source of plugin 'rfm' does not match its sha256"), e.stderr)
        XCTAssertEqual(e.stdout, "")

        // A bad value on line 5 of standard input (a blank line before it counts as a line).
        var rows = features.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        rows.insert("", at: 2)
        rows[4] = "C99999,ES,x,1,2.5,30"
        let bad = try seg(["apply", plan.path, "--chunk-rows", "2"], input: Data(rows.joined(separator: "\n").utf8))
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("standard input, line 5, column 'recency_days': 'x"), bad.stderr)
        let noColumn = try seg(["apply", plan.path], input: Data("customer_id,recency_days,monetary\nC1,3,4.5\n".utf8))
        XCTAssertEqual(noColumn.status, 1)
        XCTAssertTrue(noColumn.stderr.contains("standard input, line 1, column 'frequency': is missing from the header"), noColumn.stderr)
        XCTAssertEqual(noColumn.stdout, "", "no header line before an error")
        let headerOnly = try seg(["apply", plan.path], input: Data("customer_id,recency_days,frequency,monetary\n".utf8))
        XCTAssertEqual(headerOnly.status, 0, headerOnly.stderr)
        XCTAssertEqual(headerOnly.stdout, "customer_id,segment,value_score\n")
    }

    /// What a hostile pass found: a stray or unclosed quote no longer swallows the rest of the input silently;
    /// doctored limits, outputs and formats are refused (no crash); a row without an id is refused in any chunk;
    /// the segment limit counts over the whole input; a closed pipe or SIGTERM leaves no temporary folder.
    func testHostileInputsAndDoctoredPlans() throws {
        let (ws, _, features) = try demoRun()
        defer { ws.remove() }
        let plan = ws.root.appendingPathComponent("plan.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", plan.path]).status, 0)
        let header = "customer_id,recency_days,frequency,monetary\n"
        for (input, says) in [(header + "ab\"c,1,2,3\nc2,1,2,3\n", "line 2: field 1 contains a quote"),
                              (header + "c1,1,2,3\n\"c0,1,2,3\n" + String(repeating: "c2,1,2,3\n", count: 1000), "line 3: a quoted field opens in this record and never closes"),
                              (header + "c1,1,2,3\n,4,5,6\n", "line 3, column 'customer_id': has no customer id")] {
            let r = try seg(["apply", plan.path], input: Data(input.utf8))
            XCTAssertEqual(r.status, 1, input.prefix(80) + "")
            XCTAssertTrue(r.stderr.contains("standard input, " + says), r.stderr)
        }
        // A JSON Lines record without an id, in a chunk where others have one.
        let jl = try seg(["apply", plan.path, "--format", "jsonl"], input: Data("{\"customer_id\":\"a\",\"recency_days\":1,\"frequency\":2,\"monetary\":3}\n{\"recency_days\":1,\"frequency\":2,\"monetary\":3}\n".utf8))
        XCTAssertEqual(jl.status, 1, jl.stdout)
        XCTAssertTrue(jl.stderr.contains("line 2, column 'customer_id': has no customer id"), jl.stderr)

        let text = try String(contentsOf: plan, encoding: .utf8)
        func doctored(_ name: String, _ edit: (String) -> String) throws -> URL {
            let url = ws.root.appendingPathComponent(name)
            let changed = edit(text)
            XCTAssertNotEqual(changed, text, name)
            try changed.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        let limits = try doctored("limits.seg") { $0.replacingOccurrences(of: #""instructions" : 100000000"#, with: #""instructions" : 4611686018427387904"#) }
        let format0 = try doctored("format0.seg") { $0.replacingOccurrences(of: #""format" : 1"#, with: #""format" : 0"#) }
        let outputs = try doctored("outputs.seg") { $0.replacingOccurrences(of: #""outputs" : ["#, with: #""outputs" : ["extra", "#) }
        for (url, says) in [(limits, "\"limits\" are out of range"), (format0, "plans start at format 1"), (outputs, "\"outputs\" (extra, ")] {
            let r = try seg(["apply", url.path, "--format", "jsonl"], input: Data(features.utf8))
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains(says), r.stderr)
        }
        // limits.segments counts the segments of the whole input, not of each chunk.
        let three = try doctored("three.seg") { $0.replacingOccurrences(of: #""segments" : 1000"#, with: #""segments" : 3"#) }
        let r = try seg(["apply", three.path, "--chunk-rows", "1"], input: Data(features.utf8))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("segments") && r.stderr.contains("3"), r.stderr)

        // A reader that closes the pipe: exit 141 and the temporary folder gone.
        let tmp = ws.root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let many = header + (0..<200_000).map { "c\($0),\($0 % 300),\($0 % 9),\($0 % 1000).5" }.joined(separator: "\n") + "\n"
        let file = ws.root.appendingPathComponent("many.csv")
        try many.write(to: file, atomically: true, encoding: .utf8)
        let piped = try SegProcess.run(["-c", "TMPDIR='\(tmp.path)' \"$0\" apply '\(plan.path)' < '\(file.path)' | head -1 > /dev/null; echo ${PIPESTATUS[0]}", SegProcess.binary.path],
                                       executable: URL(fileURLWithPath: "/bin/bash"))
        XCTAssertEqual(piped.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "141", piped.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
    }

    /// Statistics reach the plan exactly as the file writes them (JSONSerialization on Linux was off in the last
    /// bits of numbers such as 35.220000000000006).
    func testStatisticsAreReadToTheBit() throws {
        let (ws, _, _) = try demoRun()
        defer { ws.remove() }
        let local = ws.root.appendingPathComponent("local.seg"), plan = ws.root.appendingPathComponent("stats.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", local.path]).status, 0)
        var stats = String(decoding: try statsFile(from: local), as: UTF8.self)
        // Replace one monetary percentile by a number that JSONSerialization reads as 35.22000000000001.
        let p = try json(local)
        let m = ((p["criteria"] as! [[String: Any]])[0]["stats"] as! [String: Any])["monetary"] as! [String: Any]
        let values = (m["p"] as! [Any]).map { ($0 as! NSNumber).doubleValue }
        XCTAssertTrue(values[13] <= 35.220000000000006 && 35.220000000000006 <= values[15], "\(values[13...15])")
        let stat = ws.root.appendingPathComponent("stats.json")
        let object = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as! [String: Any]
        var cols = object["columns"] as! [String: Any]; var mon = cols["monetary"] as! [String: Any]
        var ps = mon["p"] as! [Any]; ps[14] = 35.25; mon["p"] = ps; cols["monetary"] = mon
        var edited = object; edited["columns"] = cols
        stats = String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self)
            .replacingOccurrences(of: "35.25", with: "35.220000000000006")
        try stats.write(to: stat, atomically: true, encoding: .utf8)
        let made = try SegProcess.run(["plan", ws.root.path, "rfm", "--stats", stat.path, "--out", plan.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(try String(contentsOf: plan, encoding: .utf8).contains("35.220000000000006"))
    }

    /// A clustering cannot be frozen yet: refused with the reason, before any data is read.
    func testADefinitionThatClustersIsRefused() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try SegProcess.run(["plan", ws.root.path, "clusters", "--out", ws.root.appendingPathComponent("c.seg").path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("segmentations/clusters.yaml: uses features.clusters; a plan cannot freeze a clustering yet"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("c.seg").path))
    }

    /// Output appears chunk by chunk while the input is still open: a long-lived seg apply in a pipe.
    func testApplyAnswersEachChunkBeforeTheInputEnds() throws {
        let (ws, membership, features) = try demoRun()
        defer { ws.remove() }
        let plan = ws.root.appendingPathComponent("plan.seg")
        XCTAssertEqual(try SegProcess.run(["plan", ws.root.path, "rfm", "--out", plan.path]).status, 0)
        let p = Process()
        p.executableURL = SegProcess.binary
        p.arguments = ["apply", plan.path, "--chunk-rows", "10"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output; p.standardError = FileHandle.nullDevice
        try p.run()
        let lines = features.split(separator: "\n").map { $0 + "\n" }
        // The header and 25 rows; the input stays open.
        input.fileHandleForWriting.write(Data(lines[0...25].joined().utf8))
        var got = Data()
        let expected = membership.split(separator: "\n").prefix(26).map { $0 + "\n" }.joined()
        while got.count < expected.utf8.count {
            let more = output.fileHandleForReading.availableData   // blocks until seg writes; EOF would be empty
            XCTAssertFalse(more.isEmpty, "seg apply ended its output before the input did")
            if more.isEmpty { break }
            got.append(more)
        }
        XCTAssertEqual(String(decoding: got, as: UTF8.self), expected)
        XCTAssertTrue(p.isRunning)
        input.fileHandleForWriting.write(Data(lines[26...].joined().utf8))
        try input.fileHandleForWriting.close()
        got.append(output.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(String(decoding: got, as: UTF8.self), membership)
    }

    func testAHostilePluginInAPlanCannotHangApply() throws {
        let ws = try TempWorkspace(files: [
            "data/customers.csv": "customer_id,x\nc1,1\n",
            "segmentations/d.yaml": """
                population: customers
                id: customer_id
                datasets:
                  customers: { file: data/customers.csv }
                criteria:
                  - plugin: spin
                as_of: 2024-01-01
                """,
            "plugins/spin.lua": """
                return {
                  api = 1, kind = "criterion", name = "spin", version = "1.0.0", description = "test",
                  uses = { "x" },
                  prepare = function(stats, p) return { cut = stats.x.p[50] } end,
                  assign = function(row, p)
                    if row.x > 5 then while true do end end
                    return row.x > p.cut and "high" or "low"
                  end,
                }
                """,
        ], limits: "limits: { instructions: 1000000, seconds: 1 }\n")
        defer { ws.remove() }
        let stats = ws.root.appendingPathComponent("stats.json"), plan = ws.root.appendingPathComponent("plan.seg")
        let p = (0...100).map { "\(Double($0) / 10)" }.joined(separator: ",")
        try Data("""
            {"format": 1, "rows": 10, "quantiles": "exact", "columns": {"x": {"type": "integer", "count": 10, "missing": 0,
             "min": 0, "max": 10, "mean": 5, "sum": 50, "p": [\(p)]}}}
            """.utf8).write(to: stats)
        let made = try SegProcess.run(["plan", ws.root.path, "d", "--stats", stats.path, "--out", plan.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let r = try seg(["apply", plan.path], input: Data("customer_id,x\nc1,1\nc2,9\n".utf8))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("exceeded its instruction budget of 1000000 instructions"), r.stderr)
        XCTAssertTrue(r.stderr.contains("c2"), r.stderr)
        XCTAssertTrue(r.stderr.contains("standard input, line 3"), r.stderr)
    }
}
