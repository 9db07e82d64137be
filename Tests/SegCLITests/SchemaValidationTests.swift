import Foundation
import XCTest

/// Every YAML file of the repository (the example workspaces, the ```yaml examples of the docs) and what `seg init`
/// writes is valid against schemas/, checked by a real JSON Schema validator (Python's jsonschema, through
/// scripts/validate-yaml.py; `scripts/ensure-deps` installs it into .build/venv).
final class SchemaValidationTests: XCTestCase {
    struct Output { var status: Int32; var text: String }

    /// Runs scripts/validate-yaml.py with `args`; stdout and stderr together.
    func validate(_ args: [String]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", SegProcess.root.appendingPathComponent("scripts/validate-yaml.py").path] + args
        p.currentDirectoryURL = SegProcess.root
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try handle.close()
        return Output(status: p.terminationStatus, text: try String(contentsOf: file, encoding: .utf8))
    }

    func testRepositoryYAMLAndDocExamplesAreValid() throws {
        let out = try validate(["--docs"])
        XCTAssertEqual(out.status, 0, out.text)
        XCTAssertTrue(out.text.hasSuffix(" invalid\n") && out.text.contains(" files valid, 0 invalid"), out.text)
        // The demo's workspace.yaml and three definitions, and a dozen doc examples.
        let valid = Int(out.text.split(separator: "\n").last?.split(separator: " ").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(valid, 15, out.text)
    }

    func testSegInitWritesValidFilesThatNameTheSchemasAndTypes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seginit-schema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let initRun = try SegProcess.run(["init", dir.path])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let schemas = SegProcess.root.appendingPathComponent("schemas").standardizedFileURL.path
        let workspace = try String(contentsOf: dir.appendingPathComponent("workspace.yaml"), encoding: .utf8)
        XCTAssertTrue(workspace.hasPrefix("# yaml-language-server: $schema=\(schemas)/workspace.schema.json\n"), workspace)
        let definition = try String(contentsOf: dir.appendingPathComponent("segmentations/example_rfm.yaml"), encoding: .utf8)
        XCTAssertTrue(definition.hasPrefix("# yaml-language-server: $schema=\(schemas)/definition.schema.json\n"), definition)
        let luarc = try String(contentsOf: dir.appendingPathComponent(".luarc.json"), encoding: .utf8)
        let types = SegProcess.root.appendingPathComponent("plugins/types").standardizedFileURL.path
        XCTAssertTrue(luarc.contains("\"library\": [\"\(types)\", "), luarc)
        XCTAssertTrue(luarc.contains("\"version\": \"Lua 5.4\""), luarc)
        let out = try validate([dir.path])
        XCTAssertEqual(out.status, 0, out.text)
        XCTAssertTrue(out.text.hasSuffix("2 files valid, 0 invalid\n"), out.text)
    }

    func testAViolationFailsWithFileLineAndKey() throws {
        let ws = try TempWorkspace(files: [
            "segmentations/bad.yaml": """
            # yaml-language-server: $schema=../../nowhere/definition.schema.json
            population: customers
            id: customer_id
            datasets:
              customers: { file: data/c.csv, sorce: crm }
            criteria: [rfm]
            gates: { max_segment_share: 1.5 }

            """,
        ])
        defer { ws.remove() }
        let out = try validate([ws.root.path])
        XCTAssertEqual(out.status, 1, out.text)
        XCTAssertTrue(out.text.contains("bad.yaml:1: names the schema ../../nowhere/definition.schema.json, which does not exist from here"), out.text)
        XCTAssertTrue(out.text.contains("bad.yaml:5: datasets.customers: Additional properties are not allowed ('sorce' was unexpected)"), out.text)
        XCTAssertTrue(out.text.contains("bad.yaml:7: gates.max_segment_share: 1.5 is greater than the maximum of 1"), out.text)
        XCTAssertTrue(out.text.hasSuffix("1 files valid, 1 invalid\n"), out.text)
    }

    /// docs/WORKSPACES.md shows `scripts/validate-yaml.py workspaces/demo` and its output: both as printed.
    func testTheDocumentedCommandPrintsWhatTheDocsShow() throws {
        let page = try String(contentsOf: SegProcess.root.appendingPathComponent("docs/WORKSPACES.md"), encoding: .utf8)
        let start = try XCTUnwrap(page.range(of: "```\n$ scripts/validate-yaml.py "))
        let end = try XCTUnwrap(page.range(of: "```", range: start.upperBound..<page.endIndex))
        let lines = page[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        // `start` ends after the command itself: the first line holds its arguments.
        let args = lines[0].split(separator: " ").map(String.init)
        XCTAssertEqual(args, ["workspaces/demo"], "the documented command's arguments")
        let out = try validate(args)
        XCTAssertEqual(out.status, 0, out.text)
        XCTAssertEqual(out.text, lines.dropFirst().joined(separator: "\n"))
    }
}
