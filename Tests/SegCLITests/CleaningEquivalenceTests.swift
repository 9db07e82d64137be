import Foundation
import XCTest

/// Issue 11: the faster clean steps give the same rows, order, values, rejects and `cleaning.json` as the code before
/// them. Tests/Fixtures/cleaning-equivalence holds awkward data, one definition per kind of step and keep mode, and
/// what commit 1882b86 (before any issue-11 change) wrote for each (`expected/`, see the fixture's README.md). This
/// runs the current `seg` on a copy of that workspace and compares every expected file byte for byte.
///
/// Compared: `cleaning.json`, `rejects.csv` and `membership.csv` (every cleaned row in order, with every non-personal
/// column and a fingerprint of all values); for a run that stops, its exit status and `seg: error:` lines. Not
/// compared: `profiles.json`, `profiles.md` and `notes.txt`, which name Segwork's version and the run id.
final class CleaningEquivalenceTests: XCTestCase {
    static let fixture = SegProcess.root.appendingPathComponent("Tests/Fixtures/cleaning-equivalence")

    func testEveryDefinitionCleansAsThePreIssue11CodeDid() throws {
        let fm = FileManager.default
        let expected = Self.fixture.appendingPathComponent("expected")
        let definitions = try fm.contentsOfDirectory(atPath: Self.fixture.appendingPathComponent("segmentations").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertGreaterThanOrEqual(definitions.count, 12, "the fixture lost definitions")
        let folders = try fm.contentsOfDirectory(atPath: expected.path).filter { !$0.hasPrefix(".") && $0 != "PRODUCED_WITH" }
        XCTAssertEqual(folders.sorted(), definitions, "every definition has expected outputs and no expected outputs lack a definition")
        XCTAssertTrue(try String(contentsOf: expected.appendingPathComponent("PRODUCED_WITH"), encoding: .utf8)
            .contains("commit 1882b86"), "expected/ must come from the pre-issue-11 code")

        let ws = fm.temporaryDirectory.appendingPathComponent("cleaning-equivalence-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: ws) }
        try fm.createDirectory(at: ws, withIntermediateDirectories: true)
        for item in ["workspace.yaml", "data", "plugins", "segmentations"] {
            try fm.copyItem(at: Self.fixture.appendingPathComponent(item), to: ws.appendingPathComponent(item))
        }

        for name in definitions {
            let want = expected.appendingPathComponent(name)
            let r = try SegProcess.run(["run", ws.path, name, "--quiet"])
            if let status = try? String(contentsOf: want.appendingPathComponent("exit_status"), encoding: .utf8) {
                XCTAssertEqual(String(r.status), status.trimmingCharacters(in: .whitespacesAndNewlines), "\(name): exit status; \(r.stderr)")
                let errors = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { $0.hasPrefix("seg: error: ") }.map { $0.replacingOccurrences(of: ws.path + "/", with: "") }
                let got = Data(errors.map { $0 + "\n" }.joined().utf8)
                try compare(got, want.appendingPathComponent("stderr.txt"), name)
                continue
            }
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            let runs = try fm.contentsOfDirectory(atPath: ws.appendingPathComponent("exports/\(name)").path).filter { !$0.hasPrefix(".") }
            guard runs.count == 1, let run = runs.first else { XCTFail("\(name): expected one run folder, got \(runs)"); continue }
            let files = try fm.contentsOfDirectory(atPath: want.path).sorted()
            XCTAssertEqual(files, ["cleaning.json", "membership.csv", "rejects.csv"], name)
            for file in files {
                let got = try Data(contentsOf: ws.appendingPathComponent("exports/\(name)/\(run)/\(file)"))
                try compare(got, want.appendingPathComponent(file), name)
            }
        }
    }

    /// Byte-for-byte equality, reporting the first line that differs (expected and got) when the bytes do not match.
    private func compare(_ got: Data, _ expectedFile: URL, _ definition: String, line: UInt = #line) throws {
        let want = try Data(contentsOf: expectedFile)
        guard got != want else { return }
        let a = want.split(separator: 10, omittingEmptySubsequences: false)
        let b = got.split(separator: 10, omittingEmptySubsequences: false)
        let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        func show(_ lines: [Data], _ i: Int) -> String {
            i < lines.count ? String(decoding: lines[i], as: UTF8.self).debugDescription : "(no line)"
        }
        XCTFail("""
            \(definition)/\(expectedFile.lastPathComponent) differs from the pre-issue-11 output (\(want.count) bytes \
            expected, \(got.count) got); first difference at line \(i + 1) (of the file, counting line feeds):
              expected: \(show(a, i))
              got:      \(show(b, i))
            """, line: line)
    }
}
