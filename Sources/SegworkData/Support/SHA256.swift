import CHash
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 (FIPS 180-4), used to fingerprint inputs, plugins and definitions so a run says exactly what it read.
/// The compression runs in C (`CHash`): with the x86-64 SHA extensions when the CPU has them, portable C
/// otherwise. Checked against the NIST test vectors, and the two paths against each other, in the tests.
public struct SHA256 {
    private var context = chash_sha256()

    /// A new hash, using the CPU's SHA instructions when it has them.
    public init() { chash_sha256_init(&context, 1) }

    /// A new hash that never uses the CPU's SHA instructions (`portable: true`), so tests can compare both paths.
    init(portable: Bool) { chash_sha256_init(&context, portable ? 0 : 1) }

    /// True when this CPU has the SHA extensions and hashes made with `init()` use them.
    public static var isAccelerated: Bool { chash_sha256_accelerated_available() != 0 }

    /// Adds bytes.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(bytes: UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        var chunk = [UInt8]()
        chunk.reserveCapacity(256)
        for b in bytes {
            chunk.append(b)
            if chunk.count == 256 { chunk.withUnsafeBytes { update(bytes: $0) }; chunk.removeAll(keepingCapacity: true) }
        }
        chunk.withUnsafeBytes { update(bytes: $0) }
    }

    /// Adds the bytes of `data`.
    public mutating func update(data: Data) {
        data.withUnsafeBytes { update(bytes: $0) }
    }

    /// Adds the bytes in `bytes`.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        chash_sha256_update(&context, base, bytes.count)
    }

    /// The digest as 64 lowercase hex characters. Finishes the hash: it starts over afterwards.
    public mutating func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { chash_sha256_final(&context, $0.baseAddress!) }
        chash_sha256_init(&context, context.accelerated == 0 ? 0 : 1)
        return Self.hex(digest: digest)
    }

    /// Lowercase hex of a digest.
    static func hex(digest: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for b in digest { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex digest of `data`.
    public static func hex(_ data: Data) -> String { var s = SHA256(); s.update(data: data); return s.hexDigest() }

    /// Hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String { var s = SHA256(); s.update(text.utf8); return s.hexDigest() }

    /// Hex digest of a file's bytes, read in 4 MiB chunks.
    public static func hex(fileAt path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw DataError(file: path, line: nil, message: "cannot be read (\(String(cString: strerror(errno)))); check that it exists and is readable")
        }
        defer { close(fd) }
        var s = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 22, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataError(file: path, line: nil, message: "cannot be read (\(String(cString: strerror(errno)))); check that it exists and is readable")
            }
            if n == 0 { break }
            s.update(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return s.hexDigest()
    }
}
