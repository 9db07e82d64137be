import XCTest
@testable import SegworkCore
@testable import SegworkData

final class ExportAtomicWriterTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("segwork-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func listing(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    private func read(_ url: URL, _ name: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(name)), as: UTF8.self)
    }

    private func makeOld(_ dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: dir.appendingPathComponent("old.txt"))
    }

    func testWritesAllFilesIntoANewFolder() throws {
        let dir = root.appendingPathComponent("exports/v1")
        try AtomicWriter.writeDirectory(["profile.json": Data("{}\n".utf8), "profile.csv": Data("a\n".utf8),
                                         "sub/membership.csv": Data("id\n".utf8)], to: dir)
        XCTAssertEqual(try listing(dir), ["profile.csv", "profile.json", "sub"])
        XCTAssertEqual(try read(dir, "profile.json"), "{}\n")
        XCTAssertEqual(try read(dir, "sub/membership.csv"), "id\n")
        XCTAssertEqual(try listing(dir.deletingLastPathComponent()), ["v1"], "no temporary folder left")
    }

    func testReplacesAnExistingFolder() throws {
        let dir = root.appendingPathComponent("out")
        try makeOld(dir)
        try AtomicWriter.writeDirectory(["new.txt": Data("new".utf8)], to: dir)
        XCTAssertEqual(try listing(dir), ["new.txt"])
        XCTAssertEqual(try read(dir, "new.txt"), "new")
        XCTAssertEqual(try listing(root), ["out"], "neither the old nor the temporary folder is left")
    }

    func testFailedWriteLeavesOldFolderUntouched() throws {
        let dir = root.appendingPathComponent("out")
        try makeOld(dir)
        // A 300-byte name cannot be created (NAME_MAX is 255): the write fails after other files were written.
        let files = ["a.txt": Data("a".utf8), String(repeating: "x", count: 300): Data("x".utf8)]
        XCTAssertThrowsError(try AtomicWriter.writeDirectory(files, to: dir)) { error in
            guard case AtomicWriteError.io(let op, _, _)? = error as? AtomicWriteError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(op, "create the file")
            XCTAssertTrue((error as? AtomicWriteError)?.description.contains("Nothing was changed") ?? false)
        }
        XCTAssertEqual(try listing(dir), ["old.txt"])
        XCTAssertEqual(try read(dir, "old.txt"), "old")
        XCTAssertEqual(try listing(root), ["out"], "temporary folder removed")
    }

    func testFailedWriteCreatesNothingWhenFolderIsNew() throws {
        let dir = root.appendingPathComponent("fresh")
        // "a" is a file, so "a/b" cannot be created under it.
        XCTAssertThrowsError(try AtomicWriter.writeDirectory(["a": Data(), "a/b": Data()], to: dir))
        XCTAssertEqual(try listing(root), [])
    }

    func testRejectsBadNamesAndNonFolderDestination() throws {
        let dir = root.appendingPathComponent("out")
        try makeOld(dir)
        for bad in ["", "/etc/x", "../x", "a//b", "a/./b"] {
            XCTAssertThrowsError(try AtomicWriter.writeDirectory([bad: Data()], to: dir)) { error in
                XCTAssertEqual(error as? AtomicWriteError, .invalidName(bad))
            }
        }
        XCTAssertEqual(try listing(dir), ["old.txt"])
        let file = root.appendingPathComponent("plain.txt")
        try Data("f".utf8).write(to: file)
        XCTAssertThrowsError(try AtomicWriter.writeDirectory(["x": Data()], to: file)) { error in
            XCTAssertEqual(error as? AtomicWriteError, .notAFolder(path: file.standardizedFileURL.path))
        }
        XCTAssertEqual(try read(root, "plain.txt"), "f")
    }
}

final class ExportLeftoverTests: XCTestCase {
    func testLeftoversOfKilledWritersAreRecovered() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("leftovers-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let def = root.appendingPathComponent("rfm")
        for dir in [".abc.tmp-1234", ".lost.old-99", ".kept.old-98", "kept", "abc-live"] {
            try fm.createDirectory(at: def.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try Data("x".utf8).write(to: def.appendingPathComponent(".lost.old-99/profiles.json"))
        XCTAssertEqual(AtomicWriter.recoverLeftovers(under: root), 3)
        let names = try fm.contentsOfDirectory(atPath: def.path).sorted()
        XCTAssertEqual(names, ["abc-live", "kept", "lost"], "staged copy removed, replaced folder restored, stale old copy removed")
        XCTAssertTrue(fm.fileExists(atPath: def.appendingPathComponent("lost/profiles.json").path))
    }
}
