import Foundation
import LuaHost
import XCTest

/// Version pins mean what npm's `semver` says they mean: every (version, range) pair below is checked against
/// node-semver (the Python port of npm's semver, installed by scripts/ensure-deps in .build/venv), including
/// pre-releases, 0.x carets, partial versions and `||`; and precedence is semver.org's, compared the same way.
final class VersionRangeTests: XCTestCase {
    static let versions = ["0.0.1", "0.0.3", "0.0.4", "0.1.0", "0.2.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.0.0-rc.1",
                           "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.2.0", "1.2.2", "1.2.3", "1.2.3-beta",
                           "1.2.4", "1.3.0", "1.3.0-0", "1.9.9", "1.10.0", "2.0.0", "2.0.0-rc.1", "2.1.0", "10.0.0"]
    static let ranges = ["1.2.3", "=1.2.3", "1.2", "1.2.x", "1", "1.x", "*", "^1.2.3", "^1.2", "^1", "^0.2.3", "^0.2",
                         "^0.0.3", "^0.0", "^0", "~1.2.3", "~1.2", "~1", "~0.2.3", ">=1.0 <2", ">1.2", ">=1.2.3", "<1.3",
                         "<=1.2", ">1.2.3 <=2.0.0", "^1.2.3-beta", "~1.2.3-beta", ">=1.0.0-rc.1", "^2.0.0-rc.1",
                         "1.2.3 || ^2", "<1.0.0 || >=2.1.0", "^1.2 || ~0.2.3", ">=1.0.0 <1.0.0"]

    private func python() throws -> URL {
        let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/venv/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: venv.path) else {
            throw XCTSkip("run scripts/ensure-deps first: it creates .build/venv with node-semver")
        }
        return venv
    }

    private func nodeSemver(_ script: String) throws -> Any {
        let p = Process()
        p.executableURL = try python()
        p.arguments = ["-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try JSONSerialization.jsonObject(with: data)
    }

    func testEveryPairMeansWhatNpmSemverSays() throws {
        let script = """
        import json, nodesemver
        vs = \(try String(decoding: JSONSerialization.data(withJSONObject: Self.versions), as: UTF8.self))
        rs = \(try String(decoding: JSONSerialization.data(withJSONObject: Self.ranges), as: UTF8.self))
        print(json.dumps([[bool(nodesemver.satisfies(v, r, loose=False)) for v in vs] for r in rs]))
        """
        let expected = try XCTUnwrap(try nodeSemver(script) as? [[Bool]])
        XCTAssertEqual(expected.count, Self.ranges.count)
        XCTAssertTrue(expected.joined().contains(true) && expected.joined().contains(false), "a matrix with both answers")
        var checked = 0
        for (r, row) in zip(Self.ranges, expected) {
            let range = try XCTUnwrap(VersionRange(r), r)
            for (v, want) in zip(Self.versions, row) {
                let version = try XCTUnwrap(SemanticVersion(v), v)
                XCTAssertEqual(range.contains(version), want, "\(v) in \(r) (\(range.expanded))")
                checked += 1
            }
        }
        XCTAssertEqual(checked, Self.ranges.count * Self.versions.count)
    }

    func testPrecedenceIsSemverOrgs() throws {
        let script = """
        import json, functools, nodesemver
        vs = \(try String(decoding: JSONSerialization.data(withJSONObject: Self.versions), as: UTF8.self))
        print(json.dumps(sorted(vs, key=functools.cmp_to_key(lambda a, b: nodesemver.compare(a, b, False)))))
        """
        let expected = try XCTUnwrap(try nodeSemver(script) as? [String])
        XCTAssertEqual(Self.versions.compactMap { SemanticVersion($0) }.sorted().map(\.description), expected)
    }

    func testWhatIsNotAVersionOrARange() {
        for bad in ["1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "", "1.2.3.4"] {
            XCTAssertNil(SemanticVersion(bad), bad)
        }
        XCTAssertEqual(SemanticVersion(lenient: "1")?.description, "1.0.0")
        XCTAssertEqual(SemanticVersion(lenient: "2.5")?.description, "2.5.0")
        XCTAssertNil(SemanticVersion(lenient: "one"))
        for bad in ["one", ">>1", "^", "1.2.3.4", "||", "^1.x.3"] { XCTAssertNil(VersionRange(bad), bad) }
    }
}
