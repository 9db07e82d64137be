import XCTest
@testable import LuaHost

/// The optional criterion field `labels = {…}`: the labels `assign` may return (for lint and the rule-set checks).
final class ManifestLabelsTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    let base = "api = 1, kind = 'criterion', name = 'nps', version = '1.0.0', description = 'd', uses = {}, assign = function() return nil end,"

    func testLabelsAreOptionalAndKeptInOrder() throws {
        XCTAssertNil(try folder.load("a.lua", "return { \(base) }").manifest.labels)
        let p = try folder.load("b.lua", "return { \(base) labels = { 'Promoter', 'Passive' } }")
        XCTAssertEqual(p.manifest.labels, ["Promoter", "Passive"])
    }

    func testBadLabelsAreManifestErrors() throws {
        for (labels, problem) in [("'x'", "must be a list of the labels assign may return"),
                                  ("{ 'A', '' }", "entry 2 must be a non-empty label string"),
                                  ("{ 'A', 'A' }", "lists 'A' twice")] {
            let path = try folder.write("m.lua", "return { \(base) labels = \(labels) }")
            XCTAssertThrowsError(try Plugin.load(path: path)) { e in
                guard case .badManifest(let field, let text) = (e as? PluginError)?.reason else { return XCTFail("\(e)") }
                XCTAssertEqual(field, "labels")
                XCTAssertTrue(text.hasPrefix(problem), text)
            }
        }
        let scorer = try folder.write("s.lua", "return { api = 1, kind = 'scorer', name = 's', version = '1', description = 'd', uses = {}, labels = { 'A' }, score = function() return 1 end }")
        XCTAssertThrowsError(try Plugin.load(path: scorer)) { e in
            XCTAssertTrue("\(e)".contains("field 'labels' is not used by a scorer plugin (it belongs to criterion plugins)"), "\(e)")
        }
    }
}
