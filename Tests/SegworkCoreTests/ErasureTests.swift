import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

/// Erasure in the library: record filtering byte for byte, and `Erasure.forget` over a store built by hand
/// (imported snapshots in CSV, TSV and JSON Lines, versions whose definitions name the id columns).
final class ErasureTests: XCTestCase {
    private var root: URL!
    private let salt = "erasure-test-salt"

    override func setUpWithError() throws { root = try StoreFixture.tempWorkspace("erasure") }
    override func tearDownWithError() throws { StoreFixture.remove(root) }

    // MARK: RecordFilter

    func testDelimitedFilterKeepsEveryOtherByteAndCountsLinesLikeTheReader() {
        // BOM, CRLF, a quoted field with a line break, a blank line, a lone CR, no final line end.
        let text = "\u{FEFF}id,note\r\nX1,\"two\nlines\"\r\nK1,plain\r\n\r\nX1,again\rK2,\"q\"\"uote\"\nX1,last"
        let r = RecordFilter.delimited(Data(text.utf8), delimiter: UInt8(ascii: ",")) { header, fields in
            XCTAssertEqual(header, ["id", "note"])
            return String(decoding: fields[0], as: UTF8.self) == "X1" ? 7 : nil
        }
        XCTAssertEqual(String(decoding: r.data, as: UTF8.self), "\u{FEFF}id,note\r\nK1,plain\r\n\r\nK2,\"q\"\"uote\"\n")
        XCTAssertEqual(r.removed, [RecordFilter.Removed(key: 7, line: 2, lineCount: 2),
                                   RecordFilter.Removed(key: 7, line: 6, lineCount: 1),
                                   RecordFilter.Removed(key: 7, line: 8, lineCount: 1)])
    }

    func testJSONLinesFilterMatchesStringAndNumberIds() {
        let text = "{\"id\":\"X1\",\"a\":1}\n{\"id\":42}\r\n\n{\"id\":\"K\"}\nnot json\n"
        let r = RecordFilter.jsonLines(Data(text.utf8)) { fields in
            guard let id = fields["id"] else { return nil }
            return ["X1", "42"].contains(String(decoding: id, as: UTF8.self)) ? 0 : nil
        }
        XCTAssertEqual(String(decoding: r.data, as: UTF8.self), "\n{\"id\":\"K\"}\nnot json\n")
        XCTAssertEqual(r.removed.map(\.line), [1, 2])
    }

    func testJSONLinesFilterSeesNumbersAsTheReaderWritesThem() {
        // The reader keeps a JSON number's text as written (`1e2` is the id "1e2", not "100"), and a BOM is not
        // part of the first record.
        let text = "\u{FEFF}{\"id\": 1e2}\n{\"id\":-0}\r\n{\"id\": 12.50 }\n{\"id\":100}\n{\"id\":0}\n{\"id\":12.5}\n{\"id\":\"A\\u0042\"}\n"
        var seen: [String] = []
        let r = RecordFilter.jsonLines(Data(text.utf8)) { fields in
            guard let id = fields["id"].map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
            seen.append(id)
            return ["1e2", "-0", "12.50", "AB"].firstIndex(of: id)
        }
        XCTAssertEqual(seen, ["1e2", "-0", "12.50", "100", "0", "12.5", "AB"])
        XCTAssertEqual(String(decoding: r.data, as: UTF8.self), "\u{FEFF}{\"id\":100}\n{\"id\":0}\n{\"id\":12.5}\n")
        XCTAssertEqual(r.removed.map(\.key), [0, 1, 2, 3])
        XCTAssertEqual(r.removed.map(\.line), [1, 2, 3, 7])
    }

    // MARK: Erasure.forget

    /// A workspace with imported `people` (CSV), `visits` (TSV, keyed by `person`) and `events` (JSON Lines), and
    /// one version of a definition that reads all three.
    private func makeWorkspace() throws -> (Workspace, VersionStore, [String: DatasetVersion]) {
        try "name: t\n".write(to: root.appendingPathComponent("workspace.yaml"), atomically: true, encoding: .utf8)
        let files = [
            "people.csv": "pid,age\nP-1001,30\n\"P-1002\",40\nP-1003,50\n",
            "visits.tsv": "visit\tperson\tnote\n1\tP-1002\t\"a\nb\"\n2\tP-1001\tx\n3\tP-1002\ty\n",
            "events.jsonl": "{\"who\":\"P-1002\",\"n\":1}\n{\"who\":\"P-1003\",\"n\":2}\n",
        ]
        let store = try VersionStore.open(workspace: root, create: true)
        var imported: [String: DatasetVersion] = [:]
        for (name, text) in files {
            let url = root.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            imported[name] = try store.importDataset(name: String(name.split(separator: ".")[0]), file: url).version
        }
        let definition = """
            population: people
            id: pid
            datasets:
              people: { dataset: people }
              visits: { dataset: visits, join: person }
              events: { dataset: events, join: who }
            criteria:
              - plugin: tier

            """
        let inputs = ["people.csv", "visits.tsv", "events.jsonl"].map { f in
            InputInfo(name: String(f.split(separator: ".")[0]), file: "dataset:\(f.split(separator: ".")[0])",
                      sha256: imported[f]!.sha256, rows: 3)
        }
        _ = try store.save(DiffFixture.record(1, "pid,segment\nP-1001,A\nP-1002,B\nP-1003,A\n", definition: "d",
                                              definitionText: definition, inputs: inputs))
        let ws = try Workspace.open(root.path, environment: ["SEG_ID_SALT": salt])
        return (ws, store, imported)
    }

    func testForgetRewritesSnapshotsAndMembershipAndKeepsAnAuditWithoutTheId() throws {
        let (ws, _, imported) = try makeWorkspace()
        let outcome = try Erasure.forget(ids: ["P-1002", "nobody"], in: ws)
        let store = try VersionStore.open(workspace: root, create: false)
        XCTAssertEqual(try store.verifyIntegrity().snapshots, 3, "the rewritten snapshots pass the integrity check")

        let people = try XCTUnwrap(try store.latestDataset(name: "people"))
        let visits = try XCTUnwrap(try store.latestDataset(name: "visits"))
        let events = try XCTUnwrap(try store.latestDataset(name: "events"))
        func text(_ d: DatasetVersion) throws -> String {
            try String(contentsOf: store.directory.appendingPathComponent(d.snapshot), encoding: .utf8)
        }
        XCTAssertEqual(try text(people), "pid,age\nP-1001,30\nP-1003,50\n")
        XCTAssertEqual(try text(visits), "visit\tperson\tnote\n2\tP-1001\tx\n")
        XCTAssertEqual(try text(events), "{\"who\":\"P-1003\",\"n\":2}\n")
        XCTAssertEqual(people.sha256, SHA256.hex("pid,age\nP-1001,30\nP-1003,50\n"), "a new content address")
        XCTAssertEqual(people.rows, 2)
        for old in imported.values {
            XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent(old.snapshot).path),
                           "the old snapshot \(old.snapshot) is deleted")
        }
        let rewrites = try store.db.rows("SELECT old_sha256, new_sha256 FROM erasure_rewrites ORDER BY old_path")
        XCTAssertEqual(Set(rewrites.compactMap { $0.text(0) }), Set(imported.values.map(\.sha256)))
        XCTAssertEqual(try store.db.row("SELECT value FROM meta WHERE key = 'schema_version'")?.text(0), String(VersionStore.erasureSchemaVersion), "the first erasure adds its tables and makes the store version 3")

        let v = try store.version("v1")
        XCTAssertEqual(String(decoding: v.membershipCSV, as: UTF8.self), "pid,segment\nP-1001,A\nP-1003,A\n")
        let e = try XCTUnwrap(outcome.erasure)
        XCTAssertNotNil(e.completedAt)
        XCTAssertEqual(outcome.notFound, ["nobody"])
        XCTAssertEqual(e.counts.snapshotRows, 4)
        XCTAssertEqual(e.counts.membershipRows, 1)
        XCTAssertEqual(e.counts.versionsChanged, 1)
        let hash = IDHasher(salt: salt).hmac(Array("P-1002".utf8))
        XCTAssertEqual(e.found[try XCTUnwrap(e.idHashes.firstIndex(of: hash))], 5)
        XCTAssertEqual(try store.erasures(affecting: 1).map(\.number), [1])

        let verification = try History(workspace: ws, create: false).verify(v)
        XCTAssertEqual(verification.erasedBy.map(\.number), [1])
        XCTAssertTrue(verification.erasureNote?.contains("erasure #1") == true, verification.erasureNote ?? "")

        // Nothing in .seg holds the id any more: not the files, not the database (secure_delete), not the audit.
        for file in try FileManager.default.subpathsOfDirectory(atPath: store.directory.path) where file != "datasets" {
            let data = try Data(contentsOf: store.directory.appendingPathComponent(file))
            XCTAssertNil(data.range(of: Data("P-1002".utf8)), ".seg/\(file) still holds the id")
        }
    }

    func testSourcePluginInputsAreNamedForTheReminder() throws {
        let (ws, store, _) = try makeWorkspace()
        let dir = root.appendingPathComponent("segmentations")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "population: p\nid: pid\ndatasets:\n  p: { dataset: people }\n  s: { source: legacy_pipe, params: { file: data/s.txt }, join: pid }\ncriteria:\n  - plugin: tier\n"
            .write(to: dir.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let erasure = Erasure(workspace: ws, store: store, hasher: IDHasher(salt: salt))
        XCTAssertEqual(erasure.sourceInputs(), ["s (legacy_pipe, data/s.txt)"])
    }

    func testAnErasureTurnsOnSecureDeleteWhateverSQLiteDefaultsTo() throws {
        // Debian's SQLite overwrites freed pages by default; other builds do not, and removed rows would linger.
        let (_, store, _) = try makeWorkspace()
        try store.db.execute("PRAGMA secure_delete=OFF")
        _ = try store.beginErasure(idHashes: [], saltVariable: "SEG_ID_SALT", saltFingerprint: "x")
        XCTAssertEqual(try store.db.row("PRAGMA secure_delete")?.int(0), 1)
    }

    func testRejectedLinesAreMappedBackThroughEveryRewrite() throws {
        let (ws, store, imported) = try makeWorkspace()
        _ = try Erasure.forget(ids: ["P-1001"], in: ws)      // visits line 4 (the record after the two-line one)
        _ = try Erasure.forget(ids: ["P-1002"], in: ws)      // visits lines 2-3 and 5, counted in the rewritten file
        let again = try VersionStore.open(workspace: root, create: false)
        XCTAssertEqual(try again.erasedLines(ofSnapshot: imported["visits.tsv"]!.sha256), [2, 4, 5])
        XCTAssertEqual(try again.erasures().map(\.number), [1, 2])
        XCTAssertEqual(try again.erasures(affecting: 1).map(\.number), [1, 2])
        _ = store
    }

    func testAFileWithoutAKnownIdColumnThatMentionsTheCustomerIsRefusedAndNothingChanges() throws {
        let (ws, store, _) = try makeWorkspace()
        let other = root.appendingPathComponent("notes.csv")
        try "author,text\nP-1002,hello\n".write(to: other, atomically: true, encoding: .utf8)
        _ = try store.importDataset(name: "notes", file: other)
        let before = try store.datasetVersions()
        XCTAssertThrowsError(try Erasure.forget(ids: ["P-1002"], in: ws)) { error in
            guard case StoreError.erasureUnsupported(let what, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("notes"), what)
        }
        let after = try VersionStore.open(workspace: root, create: false)
        XCTAssertEqual(try after.datasetVersions(), before)
        XCTAssertEqual(try after.erasures(), [], "a refused erasure leaves no incomplete audit row")
    }

    func testACustomerInAMembershipButNotFoundInItsPopulationSnapshotIsRefusedAndNothingChanges() throws {
        // The population snapshot is searched record by record; a customer its version's membership holds but none
        // of its records matched would stay in the store while the erasure reported it found.
        let (ws, store, _) = try makeWorkspace()
        let v1 = try store.version("v1")
        _ = try store.save(DiffFixture.record(2, "pid,segment\nP-1001,A\nP-9999,B\n", definition: "d",
                                              definitionText: v1.definitionText, inputs: v1.inputs))
        let before = try store.datasetVersions()
        XCTAssertThrowsError(try Erasure.forget(ids: ["P-9999"], in: ws)) { error in
            guard case StoreError.erasureUnsupported(let what, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("people"), what)
            XCTAssertTrue(reason.contains("v2"), reason)
        }
        let after = try VersionStore.open(workspace: root, create: false)
        XCTAssertEqual(try after.datasetVersions(), before)
        XCTAssertEqual(try after.erasures(), [], "a refused erasure leaves no incomplete audit row")
        XCTAssertTrue(String(decoding: try after.version("v2").membershipCSV, as: UTF8.self).contains("P-9999"))
    }

    func testAnInterruptedErasureIsCompletedWithoutTheIdsAndNeedsItsSalt() throws {
        let (ws, store, _) = try makeWorkspace()
        let hash = IDHasher(salt: salt).hmac(Array("P-1003".utf8))
        _ = try store.beginErasure(idHashes: [hash], saltVariable: "SEG_ID_SALT", saltFingerprint: IDHasher(salt: salt).fingerprint)
        XCTAssertThrowsError(try History(workspace: ws, create: false).requireCompleteErasures(workspace: "ws")) {
            XCTAssertTrue("\($0)".contains("erasure #1"), "\($0)")
        }
        let wrongSalt = try Workspace.open(root.path, environment: ["SEG_ID_SALT": "another"])
        XCTAssertThrowsError(try Erasure.forget(ids: [], in: wrongSalt)) {
            guard case StoreError.erasureSaltChanged = $0 else { return XCTFail("\($0)") }
        }
        let outcome = try Erasure.forget(ids: [], in: ws)
        XCTAssertEqual(outcome.completed.map(\.number), [1])
        XCTAssertEqual(outcome.completed.first?.found, [3])
        let after = try VersionStore.open(workspace: root, create: false)
        XCTAssertEqual(try after.incompleteErasures(), [])
        XCTAssertEqual(String(decoding: try after.version("v1").membershipCSV, as: UTF8.self), "pid,segment\nP-1001,A\nP-1002,B\n")
    }
}
