import Foundation
import XCTest

/// Privacy end to end through the real binary: a personal column read by a criterion never reaches an exported
/// file or a command's output, hashed ids replace raw ones everywhere they are exported, and the salt is written
/// nowhere.
final class PrivacyCLITests: XCTestCase {
    private let salt = "pepper-7f3a9c-never-in-any-file"
    private let ids = (1...12).map { String(format: "CUST-SECRET-%04d", $0) }
    private var emails: [String] {
        ids.indices.map { i in "zephyr.person\(i)@\(i % 3 == 0 ? "corp" : "mail").privacy-test.example" }
    }

    private func customers(movedRow: Int? = nil) -> String {
        var lines = ["customer_id,email,age,city"]
        for (i, id) in ids.enumerated() {
            var email = emails[i]
            if i == movedRow { email = email.replacingOccurrences(of: "@mail.", with: "@corp.") }
            lines.append("\(id),\(email),\(20 + i * 3),\(["Oslo", "Lima", "Pune"][i % 3])")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func workspace(definitionExtra: String = "", workspaceYAML: String? = nil) throws -> TempWorkspace {
        var files = [
            "data/customers.csv": customers(),
            "segmentations/mail.yaml": """
            population: customers
            id: customer_id
            datasets:
              customers:
                file: data/customers.csv
                schema: { email: { type: string, pii: true }, age: integer\(definitionExtra) }
            criteria:
              - plugin: by_domain
            profile: { numeric: [age], categorical: [city] }
            as_of: 2024-01-01
            """,
            "plugins/by_domain.lua": """
            return {
              api = 1, kind = "criterion", name = "by_domain", version = "1.0.0", description = "email domain",
              uses = { "email" },
              -- Tries to smuggle personal values out through the recorded parameters.
              prepare = function(s, p)
                local top = s.email.top and s.email.top[1]
                return { leak = top and top.value or "withheld", seen = s.email.count }
              end,
              assign = function(row, p)
                if string.find(row.email, "@corp.", 1, true) then return "corporate" end
                return "personal"
              end,
            }
            """,
        ]
        if let workspaceYAML {
            files["workspace.yaml"] = workspaceYAML + "plugins: [plugins, \(SegProcess.root.appendingPathComponent("plugins").path)]\n"
        }
        return try TempWorkspace(files: files)
    }

    /// Every file under `folder`, recursively, as bytes.
    private func contents(under folder: URL) throws -> [(String, Data)] {
        guard let e = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return try e.compactMap { $0 as? String }.sorted().compactMap { rel in
            var isDir: ObjCBool = false
            let url = folder.appendingPathComponent(rel)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            return (rel, try Data(contentsOf: url))
        }
    }

    private func assertAbsent(_ secrets: [String], in texts: [(String, Data)], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(texts.isEmpty, "nothing to search", file: file, line: line)
        for (name, data) in texts {
            for s in secrets where data.range(of: Data(s.utf8)) != nil {
                XCTFail("'\(s)' appears in \(name)", file: file, line: line)
            }
        }
    }

    func testPIIAndRawIDsAppearInNoExportAndTheSaltNowhere() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let env = ["SEG_ID_SALT": salt]
        let first = try SegProcess.run(["run", ws.root.path, "--hash-ids", "--format", "json,csv,md"], environment: env)
        XCTAssertEqual(first.status, 0, first.stderr)
        // The criterion really read the emails: both segments exist.
        let files = ws.exportedFiles()
        let membershipPath = try XCTUnwrap(files.first { $0.hasSuffix("membership.csv") })
        let membership = try String(contentsOf: ws.root.appendingPathComponent("exports/" + membershipPath), encoding: .utf8)
        XCTAssertTrue(membership.contains(",corporate\n") && membership.contains(",personal\n"), membership)
        XCTAssertEqual(membership.split(separator: "\n").count, 13)
        let json = try String(contentsOf: ws.root.appendingPathComponent("exports/" + membershipPath.replacingOccurrences(of: "membership.csv", with: "profiles.json")), encoding: .utf8)
        XCTAssertTrue(json.contains("\"piiColumns\" : [\n        \"email\"\n      ]"), json)
        XCTAssertTrue(json.contains("\"hashedIDs\" : true"), json)

        // A second version in which one customer changed segment, then a diff listing movers and a re-export.
        try customers(movedRow: 1).write(to: ws.root.appendingPathComponent("data/customers.csv"), atomically: true, encoding: .utf8)
        let second = try SegProcess.run(["run", ws.root.path, "--hash-ids"], environment: env)
        XCTAssertEqual(second.status, 0, second.stderr)
        let diff = try SegProcess.run(["diff", ws.root.path, "v1", "v2", "--customers"], environment: env)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("personal → corporate"), diff.stdout)
        let export = try SegProcess.run(["export", ws.root.path, "v1"], environment: env)
        XCTAssertEqual(export.status, 0, export.stderr)
        let reexported = try String(contentsOf: ws.root.appendingPathComponent("exports/" + membershipPath), encoding: .utf8)
        XCTAssertEqual(reexported, membership, "seg export hashes the ids the way the run did")
        let verify = try SegProcess.run(["run", ws.root.path, "--verify", "v1"], environment: env)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("reproduces byte for byte"), verify.stdout)

        var searched = try contents(under: ws.root.appendingPathComponent("exports"))
        XCTAssertTrue(searched.contains { $0.0.hasSuffix("diff.csv") } && searched.contains { $0.0.hasSuffix("profiles.md") },
                      "\(searched.map(\.0))")
        for (name, r) in [("run", first), ("run 2", second), ("diff", diff), ("export", export), ("verify", verify)] {
            searched.append(("stdout of \(name)", Data(r.stdout.utf8)))
            searched.append(("stderr of \(name)", Data(r.stderr.utf8)))
        }
        assertAbsent(emails + ids + ["privacy-test.example"], in: searched)
        // The salt is in no export and not in the version store.
        assertAbsent([salt], in: searched + (try contents(under: ws.root.appendingPathComponent(".seg"))))
    }

    func testAPersonalIDColumnIsAlwaysHashed() throws {
        let ws = try workspace(definitionExtra: ", customer_id: { pii: true }")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path], environment: ["SEG_ID_SALT": salt])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertAbsent(ids + emails, in: try contents(under: ws.root.appendingPathComponent("exports")))
    }

    func testAMissingSaltFailsBeforeAnyWork() throws {
        let ws = try workspace(workspaceYAML: "name: t\nprivacy: { hash_ids: true, salt_env: SEG_TEST_NO_SUCH_SALT }\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("SEG_TEST_NO_SUCH_SALT") && r.stderr.contains("workspace.yaml"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent(".seg").path), "no store made")
    }

    func testSmallGroupsAreSuppressedInEveryFormat() throws {
        let ws = try workspace(workspaceYAML: "name: t\nprivacy: { min_group_size: 5 }\n")
        defer { ws.remove() }
        // 4 corporate customers (fewer than 5), 8 personal.
        let r = try SegProcess.run(["run", ws.root.path, "--format", "json,csv,md"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let exported = try contents(under: ws.root.appendingPathComponent("exports"))
        func text(_ suffix: String) throws -> String {
            String(decoding: try XCTUnwrap(exported.first { $0.0.hasSuffix(suffix) }).1, as: UTF8.self)
        }
        XCTAssertTrue(try text("profiles.csv").contains("corporate,,suppressed,,true\n"))
        XCTAssertFalse(try text("profiles.csv").contains("personal,,suppressed"))
        XCTAssertTrue(try text("profiles.md").contains("4 customers (33.3%) (suppressed: fewer than 5 customers)"))
        XCTAssertTrue(try text("profiles.json").contains("\"minGroupSize\" : 5"))
    }
}
