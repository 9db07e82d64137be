import Foundation
import XCTest
@testable import LuaHost

/// The lua-language-server definitions in plugins/types/ describe the real sandbox: every `seg.*` entry, every
/// global and every `os` function a loaded plugin can reach, and every field of the plugin table, no more and no
/// less. A host change that adds or removes one fails here until plugins/types/ says the same.
final class TypeDefinitionTests: XCTestCase {
    static let types = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("plugins/types")
    /// The standard libraries the generated .luarc.json leaves to LuaLS's own definitions (EditorSupport turns off
    /// basic, debug, io, os and package; types/seg.lua declares what the sandbox keeps of basic and os).
    static let luaLSLibraries: Set<String> = ["coroutine", "math", "string", "table", "utf8"]

    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func meta(_ file: String) throws -> String {
        try String(contentsOf: Self.types.appendingPathComponent(file), encoding: .utf8)
    }

    /// Names captured by `pattern` (group 1) on the lines of `text`.
    func names(_ pattern: String, in text: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern, options: .anchorsMatchLines)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }

    /// What the sandbox holds, as seen by a plugin's top level: `seg` entries (`name:function` or `name:value`),
    /// globals and `os` functions.
    func sandbox() throws -> (seg: Set<String>, globals: Set<String>, os: Set<String>) {
        let plugin = try folder.load("probe.lua", """
        local function list(t, typed)
          local out = {}
          for k, v in pairs(t) do out[#out + 1] = typed and (k .. ":" .. (type(v) == "function" and "function" or "value")) or k end
          table.sort(out)
          return table.concat(out, ",")
        end
        return { api = 1, kind = "criterion", name = "probe", version = "1", description = "lists the sandbox", uses = {},
                 params = { seg = list(seg, true), globals = list(_G), os = list(os) },
                 assign = function(row, p) return nil end }
        """)
        func set(_ key: String) -> Set<String> {
            guard case .string(let s)? = plugin.manifest.params[key] else { return [] }
            return Set(s.split(separator: ",").map(String.init))
        }
        return (set("seg"), set("globals"), set("os"))
    }

    func testSegEntriesMatchTheDefinitions() throws {
        let text = try meta("seg.lua")
        let declared = try names(#"^function seg\.(\w+)\("#, in: text).map { "\($0):function" }
            + names(#"^seg\.(\w+)\s*="#, in: text).map { "\($0):value" }
        let real = try sandbox().seg
        XCTAssertFalse(real.isEmpty)
        XCTAssertEqual(real.subtracting(declared).sorted(), [], "the sandbox has seg entries plugins/types/seg.lua does not describe")
        XCTAssertEqual(Set(declared).subtracting(real).sorted(), [], "plugins/types/seg.lua describes seg entries the sandbox lacks")
    }

    func testGlobalsAndOSMatchTheDefinitions() throws {
        let text = try meta("seg.lua")
        let declared = try names(#"^function (\w+)\("#, in: text).union(names(#"^(\w+)\s*="#, in: text))
            .union(Self.luaLSLibraries)
        let real = try sandbox()
        XCTAssertEqual(real.globals.subtracting(declared).sorted(), [], "globals the sandbox has and plugins/types/seg.lua lacks")
        XCTAssertEqual(declared.subtracting(real.globals).sorted(), [], "globals plugins/types/seg.lua declares and the sandbox lacks")
        XCTAssertEqual(try names(#"^function os\.(\w+)\("#, in: text), real.os)
    }

    /// The fields each `---@class Seg<Kind>: SegPlugin` declares (with SegPlugin's) are the host's fields for that kind.
    func testPluginTableFieldsMatchTheValidator() throws {
        let text = try meta("plugin.lua")
        var fields: [String: Set<String>] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---@class ") {
                current = line.dropFirst("---@class ".count).split(separator: ":").first.map { String($0).trimmingCharacters(in: .whitespaces) }
            } else if line.hasPrefix("---@field "), let current {
                fields[current, default: []].insert(String(line.dropFirst("---@field ".count).prefix { $0 != " " && $0 != "?" }))
            } else if !line.hasPrefix("---") {
                current = nil
            }
        }
        let common = Set(ManifestValidator.knownFields).subtracting(ManifestValidator.kindFields.values.flatMap { $0 })
        XCTAssertEqual(fields["SegPlugin"], common)
        let classes: [PluginKind: String] = [.criterion: "SegCriterion", .scorer: "SegScorer", .source: "SegSource", .cleaner: "SegCleaner"]
        XCTAssertEqual(Set(classes.keys), Set(PluginKind.allCases))
        for (kind, name) in classes {
            let declared = (fields[name] ?? []).union(fields["SegPlugin"] ?? [])
            XCTAssertEqual(declared.sorted(), common.union(ManifestValidator.kindFields[kind] ?? []).sorted(), name)
        }
        for name in ["SegRow", "SegParams", "SegStats", "SegNumericStats", "SegTextStats", "SegSrc"] {
            XCTAssertTrue(text.contains("---@class \(name)\n"), name)
        }
    }

    /// The definition files are valid Lua 5.4 (LuaLS reads them as code): run as a plugin they get as far as
    /// "must return a table", never a syntax or runtime error.
    func testDefinitionFilesAreValidLua() throws {
        for file in ["seg.lua", "plugin.lua"] {
            XCTAssertThrowsError(try Plugin.load(path: Self.types.appendingPathComponent(file).path)) { error in
                guard case .badManifest(let field, let problem)? = (error as? PluginError)?.reason else {
                    return XCTFail("\(file): \(error)")
                }
                XCTAssertEqual(field, "", file)
                XCTAssertTrue(problem.hasPrefix("must return a table"), "\(file): \(problem)")
            }
        }
    }
}
