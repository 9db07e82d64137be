import XCTest
@testable import LuaHost

/// The optional criterion field `descriptions = { Label = "…" }`: a short description per declared label.
final class ManifestDescriptionsTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    let base = "api = 1, kind = 'criterion', name = 'nps', version = '1.0.0', description = 'd', uses = {}, assign = function() return nil end,"
    let labels = "labels = { 'Promoter', 'Passive', 'Detractor' },"

    func testDescriptionsAreOptionalAndKeyedByLabel() throws {
        XCTAssertNil(try folder.load("a.lua", "return { \(base) \(labels) }").manifest.descriptions)
        let p = try folder.load("b.lua", "return { \(base) \(labels) descriptions = { Promoter = 'Would recommend us', Detractor = 'Unhappy' } }")
        XCTAssertEqual(p.manifest.descriptions, ["Promoter": "Would recommend us", "Detractor": "Unhappy"])
        // Decomposed text is stored in NFC, like labels.
        let c = try folder.load("c.lua", "return { \(base) labels = { 'Caf\\u{E9}' }, descriptions = { ['Caf\\u{E9}'] = 'cafe\\u{301} lovers' } }")
        XCTAssertEqual(c.manifest.descriptions, ["Caf\u{E9}": "caf\u{E9} lovers"])
    }

    func testBadDescriptionsAreManifestErrorsNamingThePlugin() throws {
        let long = String(repeating: "x", count: 161)
        for (fields, problem) in [
            ("\(labels) descriptions = 'x'", "must be a table of label = \"short description\""),
            ("descriptions = { Promoter = 'x' }", "describes labels, so the plugin must declare them: add labels = { \"Promoter\" }"),
            ("\(labels) descriptions = { Promotor = 'x' }", "describes 'Promotor', which is not one of the declared labels (did you mean 'Promoter'?); declared: Promoter, Passive, Detractor"),
            ("\(labels) descriptions = { Promoter = '' }", "entry 'Promoter' must be a non-empty string"),
            ("\(labels) descriptions = { Promoter = 3 }", "entry 'Promoter' must be a non-empty string (got 3)"),
            ("\(labels) descriptions = { Promoter = 'two\\nlines' }", "entry 'Promoter' holds the control character U+000A"),
            ("\(labels) descriptions = { Promoter = '\(long)' }", "entry 'Promoter' has 161 characters; keep it to 160"),
        ] {
            let path = try folder.write("nps.lua", "return { \(base) \(fields) }")
            XCTAssertThrowsError(try Plugin.load(path: path), fields) { e in
                guard let error = e as? PluginError, case .badManifest(let field, let text) = error.reason else { return XCTFail("\(e)") }
                XCTAssertEqual(error.plugin, "nps.lua")
                XCTAssertEqual(field, "descriptions")
                XCTAssertTrue(text.hasPrefix(problem), "\(text)\nwanted: \(problem)")
            }
        }
        let scorer = try folder.write("s.lua", "return { api = 1, kind = 'scorer', name = 's', version = '1', description = 'd', uses = {}, descriptions = {}, score = function() return 1 end }")
        XCTAssertThrowsError(try Plugin.load(path: scorer)) { e in
            XCTAssertTrue("\(e)".contains("field 'descriptions' is not used by a scorer plugin (it belongs to criterion plugins)"), "\(e)")
        }
    }
}
