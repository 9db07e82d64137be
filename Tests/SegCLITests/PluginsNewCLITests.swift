import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `seg plugins new` (a template that passes its own tests) and `seg plugins test --junit`.
final class PluginsNewCLITests: XCTestCase {
    private func tempFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("segnew-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testNewThenTestPassesForEachKind() throws {
        let lib = try tempFolder()
        for (kind, folder) in [("criterion", "criteria"), ("scorer", "scorers"), ("source", "sources"), ("cleaner", "cleaners")] {
            let made = try SegProcess.run(["plugins", "new", kind, "my_\(kind)", "--library", lib.path])
            XCTAssertEqual(made.status, 0, made.stderr)
            XCTAssertTrue(made.stdout.contains("wrote \(lib.path)/\(folder)/my_\(kind).lua\nwrote \(lib.path)/\(folder)/my_\(kind).test.lua\n"), made.stdout)
            let tested = try SegProcess.run(["plugins", "test", lib.path, "my_\(kind)"])
            XCTAssertEqual(tested.status, 0, tested.stdout + tested.stderr)
            XCTAssertFalse(tested.stdout.contains("FAIL"), tested.stdout)
            XCTAssertNotNil(tested.stdout.range(of: #"\n[2-9] passed, 0 failed\n$"#, options: .regularExpression), tested.stdout)
        }
        // The templates are plugins a workspace lists (the test files and fixtures are not).
        let ws = try TempWorkspace(files: [:])
        defer { ws.remove() }
        let listed = try SegProcess.run(["plugins", "list", ws.root.path], environment: ["SEG_PLUGIN_PATH": lib.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        for kind in ["criterion", "scorer", "source", "cleaner"] { XCTAssertTrue(listed.stdout.contains("my_\(kind) "), listed.stdout) }
        XCTAssertFalse(listed.stdout.contains(".test"), listed.stdout)
    }

    func testNewRefusesOverwritesBadKindsAndNames() throws {
        let lib = try tempFolder()
        XCTAssertEqual(try SegProcess.run(["plugins", "new", "criterion", "tier", "--library", lib.path]).status, 0)
        let file = lib.appendingPathComponent("criteria/tier.lua")
        try "-- mine\n".write(to: file, atomically: true, encoding: .utf8)
        let again = try SegProcess.run(["plugins", "new", "criterion", "tier", "--library", lib.path])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("\(lib.path)/criteria/tier.lua already exists; nothing was written"), again.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "-- mine\n")
        let sameName = try SegProcess.run(["plugins", "new", "scorer", "tier", "--library", lib.path])
        XCTAssertEqual(sameName.status, 2)
        XCTAssertTrue(sameName.stderr.contains("a plugin named 'tier' already exists: \(lib.path)/criteria/tier.lua"), sameName.stderr)
        let typo = try SegProcess.run(["plugins", "new", "scorr", "x", "--library", lib.path])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("unknown plugin kind 'scorr'; did you mean 'scorer'?"), typo.stderr)
        let badName = try SegProcess.run(["plugins", "new", "scorer", "Value-Score", "--library", lib.path])
        XCTAssertEqual(badName.status, 2)
        XCTAssertTrue(badName.stderr.contains("'Value-Score' is not a plugin name"), badName.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lib.appendingPathComponent("scorers").path))
        let nowhere = try SegProcess.run(["plugins", "new", "scorer", "x"], cwd: lib)
        XCTAssertEqual(nowhere.status, 2)
        XCTAssertTrue(nowhere.stderr.contains("give --library DIR, or --in WORKSPACE"), nowhere.stderr)
    }

    func testNewInAWorkspaceWritesItsPluginsFolder() throws {
        let ws = try TempWorkspace(files: [:])
        defer { ws.remove() }
        let made = try SegProcess.run(["plugins", "new", "criterion", "tier"], cwd: ws.root)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.stdout, "wrote plugins/criteria/tier.lua\nwrote plugins/criteria/tier.test.lua\n"
                       + "next: edit plugins/criteria/tier.lua, then run: seg plugins test tier\n")
        let tested = try SegProcess.run(["plugins", "test"], cwd: ws.root)
        XCTAssertEqual(tested.status, 0, tested.stdout)
        XCTAssertTrue(tested.stdout.contains("PASS tier › at the threshold\n"), tested.stdout)
    }

    func testJUnitReportIsWellFormedXML() throws {
        let lib = try tempFolder()
        XCTAssertEqual(try SegProcess.run(["plugins", "new", "criterion", "tier", "--library", lib.path]).status, 0)
        let tests = lib.appendingPathComponent("criteria/tier.test.lua")
        var text = try String(contentsOf: tests, encoding: .utf8)
        text = text.replacingOccurrences(of: #"label = "Low" },"#, with: #"label = "<Low & \"odd\">" },"#)
        try text.write(to: tests, atomically: true, encoding: .utf8)
        try "return {".write(to: lib.appendingPathComponent("criteria/broken.test.lua"), atomically: true, encoding: .utf8)
        try String(contentsOf: lib.appendingPathComponent("criteria/tier.lua"), encoding: .utf8)
            .replacingOccurrences(of: "\"tier\"", with: "\"broken\"")
            .write(to: lib.appendingPathComponent("criteria/broken.lua"), atomically: true, encoding: .utf8)
        let report = lib.appendingPathComponent("junit.xml")
        let r = try SegProcess.run(["plugins", "test", lib.path, "--junit", report.path])
        XCTAssertEqual(r.status, 1, r.stdout)
        let doc = try XMLDocument(contentsOf: report, options: [])
        let root = try XCTUnwrap(doc.rootElement())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "2")
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, ["broken", "tier"])
        let broken = try XCTUnwrap(suites.first?.elements(forName: "testcase").first)
        XCTAssertEqual(broken.attribute(forName: "name")?.stringValue, "(test file)")
        XCTAssertTrue(broken.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue?
            .contains("criteria/broken.test.lua:1: syntax error") ?? false)
        let cases = suites[1].elements(forName: "testcase")
        XCTAssertEqual(cases.count, 5)
        XCTAssertEqual(suites[1].attribute(forName: "failures")?.stringValue, "1")
        let failed = cases.filter { !$0.elements(forName: "failure").isEmpty }
        XCTAssertEqual(failed.map { $0.attribute(forName: "name")?.stringValue }, ["just below"])
        XCTAssertEqual(failed.first?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue,
                       #"expected label "<Low & \"odd\">", got label "Low""#)
        XCTAssertEqual(failed.first?.elements(forName: "failure").first?.stringValue,
                       "expected: label \"<Low & \\\"odd\\\">\"\nactual: label \"Low\"")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: lib.path).filter { $0 != "criteria" && $0 != "junit.xml" }
        XCTAssertEqual(leftovers, [], "written atomically: no temporary file left")
    }
}
