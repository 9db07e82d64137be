import Foundation
import XCTest
@testable import SegworkCore

/// The JSON Schemas in schemas/ describe exactly the keys the YAML parsers accept: a key a parser learns without the
/// schema learning it (or the other way round) fails here, naming the object and the key.
final class SchemaKeysTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Keys the schemas already describe for the plugin-library work (issue 9) whose parsing is not on this branch
    /// yet. A key listed here may be missing from the parser; once the parser accepts it, it must be in the schema
    /// like any other. Empty this when the parsers have them.
    static let pendingInParser: [String: Set<String>] = [:]

    func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("schemas/\(name).schema.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The object at a JSON pointer such as `/properties/limits`.
    func object(_ schema: [String: Any], _ pointer: String) throws -> [String: Any] {
        var node: Any = schema
        for part in pointer.split(separator: "/") {
            if let index = Int(part), let array = node as? [Any] { node = array[index]; continue }
            node = try XCTUnwrap((node as? [String: Any])?[String(part)], "no \(part) in \(pointer)")
        }
        return try XCTUnwrap(node as? [String: Any], pointer)
    }

    func compare(_ file: String, _ pointer: String, _ parserKeys: [String], line: UInt = #line) throws {
        let node = try object(try schema(file), pointer)
        let properties = Set((node["properties"] as? [String: Any] ?? [:]).keys)
        let pending = Self.pendingInParser["\(file):\(pointer.isEmpty ? "/" : pointer)"] ?? []
        let parser = Set(parserKeys)
        XCTAssertEqual(parser.subtracting(properties).sorted(), [],
                       "schemas/\(file).schema.json \(pointer): the parser accepts these keys, the schema lacks them", line: line)
        XCTAssertEqual(properties.subtracting(parser).subtracting(pending).sorted(), [],
                       "schemas/\(file).schema.json \(pointer): the schema describes these keys, the parser rejects them", line: line)
        XCTAssertEqual(node["additionalProperties"] as? Bool, false,
                       "schemas/\(file).schema.json \(pointer): the parser rejects unknown keys, so must the schema", line: line)
    }

    func testWorkspaceSchemaMatchesTheParser() throws {
        try compare("workspace", "", Workspace.knownKeys)
        try compare("workspace", "/properties/limits", Workspace.limitsKeys)
        try compare("workspace", "/properties/privacy", PrivacySettings.knownKeys)
    }

    func testDefinitionSchemaMatchesTheParser() throws {
        try compare("definition", "", Definition.knownKeys)
        try compare("definition", "/$defs/dataset", Definition.datasetKeys)
        try compare("definition", "/properties/population/oneOf/1", Definition.populationKeys)
        try compare("definition", "/properties/features", Definition.featuresKeys)
        try compare("definition", "/properties/features/properties/rfm", Definition.rfmKeys)
        try compare("definition", "/properties/features/properties/clusters", Definition.clusterKeys)
        try compare("definition", "/$defs/pluginUse/oneOf/1", Definition.pluginUseKeys)
        try compare("definition", "/properties/profile", Definition.profileKeys)
        try compare("definition", "/$defs/schemaEntry/oneOf/1", Definition.schemaEntryKeys)
        try compare("definition", "/$defs/gates", GateSet.keys)
        try compare("definition", "/$defs/segmentLimits", GateSet.segmentLimitKeys)
        try compare("definition", "/$defs/profileBound", GateSet.profileBoundKeys)
        try compare("definition", "/$defs/cleanPlugin", CleanStep.pluginKeys)
        for step in CleanStep.stepNames where step != "plugin" {
            try compare("definition", "/$defs/\(step)", try XCTUnwrap(CleanStep.optionKeys[step], step))
        }
        XCTAssertEqual(Set(CleanStep.optionKeys.keys), Set(CleanStep.stepNames).subtracting(["plugin"]))
        // Each built-in step is one branch of cleanStep (besides the plugin step).
        let branches = try XCTUnwrap(try object(try schema("definition"), "/$defs/cleanStep")["oneOf"] as? [[String: Any]])
        let stepBranches = branches.compactMap { ($0["required"] as? [String])?.first }
        XCTAssertEqual(Set(stepBranches), Set(CleanStep.stepNames).subtracting(["plugin"]))
    }

    func testLibrarySchemaHasTheRequiredKeys() throws {
        let library = try schema("library")
        XCTAssertEqual(Set(try XCTUnwrap(library["required"] as? [String])), ["name", "version", "description", "api"])
        XCTAssertEqual(Set((library["properties"] as? [String: Any] ?? [:]).keys), Set(PluginLibrary.knownKeys),
                       "library.yaml: the schema and the parser accept the same keys")
    }

    /// The demo's .luarc.json is the text `seg init` writes, with paths into the sources made relative; so is the
    /// repository's own.
    func testDemoLuarcIsTheScaffoldText() throws {
        let demo = Self.root.appendingPathComponent("workspaces/demo")
        let text = try String(contentsOf: demo.appendingPathComponent(".luarc.json"), encoding: .utf8)
        let plugins = Self.root.appendingPathComponent("plugins")
        XCTAssertEqual(text, EditorSupport.luarc(
            typesPath: EditorSupport.path(plugins.appendingPathComponent("types"), from: demo, within: Self.root),
            libPath: EditorSupport.path(plugins.appendingPathComponent("lib"), from: demo, within: Self.root)))
        XCTAssertTrue(text.contains("\"../../plugins/types\""), text)
        // The repository's own, for editing the bundled plugins.
        let top = try String(contentsOf: Self.root.appendingPathComponent(".luarc.json"), encoding: .utf8)
        XCTAssertEqual(top, EditorSupport.luarc(typesPath: "plugins/types", libPath: "plugins/lib"))
        let outside = URL(fileURLWithPath: "/tmp/shop")
        XCTAssertEqual(EditorSupport.path(plugins, from: outside, within: Self.root), plugins.standardizedFileURL.path)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    /// The bundled library's `types/` files are editor definitions, not plugins: the catalog leaves them out (and
    /// tests, fixtures and `*.test.lua` files with them).
    func testTheCatalogSkipsTypeDefinitions() throws {
        let catalog = try PluginScope.open(Self.root.appendingPathComponent("plugins").path).catalog
        XCTAssertNotNil(catalog.entry("rfm"))
        XCTAssertNil(catalog.entry("seg"))
        XCTAssertNil(catalog.entry("plugin"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in ["criteria/a.lua", "criteria/a.test.lua", "types/b.lua", "tests/c.lua", "fixtures/d.lua", "lib/e.lua"] {
            let url = dir.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("return {}".utf8).write(to: url)
        }
        XCTAssertEqual(PluginCatalog.pluginFiles(in: dir).map(\.1), ["criteria/a.lua"])
    }
}
