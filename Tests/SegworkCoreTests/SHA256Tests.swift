import Foundation
@testable import SegworkCore
@testable import SegworkData
import XCTest

/// SHA-256: the NIST vectors on both compression paths (the CPU's SHA instructions and portable C), the two
/// paths agreeing on every short length and on random lengths, and streaming equal to one-shot hashing.
final class SHA256Tests: XCTestCase {
    private func digest(_ bytes: [UInt8], portable: Bool) -> String {
        var s = SHA256(portable: portable)
        s.update(bytes)
        return s.hexDigest()
    }

    /// Deterministic pseudo-random bytes (xorshift64*), so failures repeat.
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var x = seed | 1
        return (0..<count).map { _ in
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27
            return UInt8(truncatingIfNeeded: (x &* 2685821657736338717) >> 56)
        }
    }

    func testNISTVectorsOnBothPaths() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (message, expected) in vectors {
            XCTAssertEqual(digest(Array(message.utf8), portable: true), expected, "portable, \(message.prefix(20))")
            XCTAssertEqual(digest(Array(message.utf8), portable: false), expected, "default, \(message.prefix(20))")
            XCTAssertEqual(SHA256.hex(message), expected)
            XCTAssertEqual(SHA256.hex(Data(message.utf8)), expected)
        }
    }

    func testPathsAgreeOnEveryShortLengthAndRandomLengths() {
        let data = bytes(300, seed: 7)
        for n in 0...300 {
            let slice = Array(data[0..<n])
            XCTAssertEqual(digest(slice, portable: true), digest(slice, portable: false), "length \(n)")
        }
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for round in 0..<40 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let count = Int(x >> 49) // up to 32 KiB
            let message = bytes(count, seed: x)
            XCTAssertEqual(digest(message, portable: true), digest(message, portable: false), "round \(round), length \(count)")
        }
    }

    func testStreamingSplitAtEveryOffsetEqualsOneShot() {
        let message = bytes(203, seed: 42)
        for portable in [true, false] {
            let whole = digest(message, portable: portable)
            for cut in 0...message.count {
                var s = SHA256(portable: portable)
                s.update(message[0..<cut])
                s.update(data: Data(message[cut...]))
                XCTAssertEqual(s.hexDigest(), whole, "cut at \(cut), portable \(portable)")
            }
            // Byte by byte, and in three uneven parts through a non-contiguous sequence.
            var single = SHA256(portable: portable)
            for b in message { single.update(CollectionOfOne(b)) }
            XCTAssertEqual(single.hexDigest(), whole)
            var parts = SHA256(portable: portable)
            parts.update(message[0..<70].lazy.map { $0 })
            parts.update(message[70..<131])
            parts.update(message[131...].reversed().reversed())
            XCTAssertEqual(parts.hexDigest(), whole)
        }
    }

    func testCopiedHashContinuesIndependently() {
        var a = SHA256()
        a.update(Array("ab".utf8))
        var b = a
        a.update(Array("c".utf8))
        b.update(Array("d".utf8))
        XCTAssertEqual(a.hexDigest(), SHA256.hex("abc"))
        XCTAssertEqual(b.hexDigest(), SHA256.hex("abd"))
    }

    func testFileHashMatchesAndNamesAMissingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let block = bytes(4096, seed: 3)
        let content = Data((0..<1025).flatMap { i in block.map { $0 &+ UInt8(truncatingIfNeeded: i) } }) // > 4 MiB read size
        let file = dir.appendingPathComponent("big.bin")
        try content.write(to: file)
        XCTAssertEqual(try SHA256.hex(fileAt: file.path), digest([UInt8](content), portable: true))
        XCTAssertThrowsError(try SHA256.hex(fileAt: dir.appendingPathComponent("missing.csv").path)) { error in
            XCTAssertTrue("\(error)".contains("missing.csv"), "\(error)")
        }
    }
}
