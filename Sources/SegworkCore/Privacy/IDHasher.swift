import Foundation
import SegworkData

/// Replaces customer ids with salted hashes: the first 16 hex digits (64 bits) of HMAC-SHA256 keyed with the
/// salt over the id's UTF-8 bytes. The same salt always gives the same hash (exports of different runs can be
/// joined on it); without the salt the ids cannot be recovered by hashing guesses. With 64 bits, the chance
/// that any two of n ids collide is about n² / 2⁶⁵: 3 × 10⁻⁸ for a million customers, 3 × 10⁻⁶ for ten million.
public struct IDHasher: Sendable {
    /// Hex digits kept.
    public static let hexLength = 16
    private let innerPad: [UInt8]
    private let outerPad: [UInt8]

    /// A hasher keyed with `salt`.
    public init(salt: String) {
        var key = Array(salt.utf8)
        if key.count > 64 { key = IDHasher.digest(key) }
        key += [UInt8](repeating: 0, count: 64 - key.count)
        innerPad = key.map { $0 ^ 0x36 }
        outerPad = key.map { $0 ^ 0x5c }
    }

    /// The full HMAC-SHA256 of `message`, 64 lowercase hex digits.
    public func hmac(_ message: [UInt8]) -> String {
        var outer = SHA256()
        outer.update(outerPad)
        outer.update(IDHasher.digest(innerPad + message))
        return outer.hexDigest()
    }

    /// The hashed form of `id`: 16 lowercase hex digits.
    public func hash(_ id: String) -> String { String(hmac(Array(id.utf8)).prefix(Self.hexLength)) }

    /// A fingerprint of the salt for the run id (so a new salt gives a new run id), which reveals no more
    /// about the salt than the hashed ids do.
    var fingerprint: String { String(hmac(Array("segwork salt fingerprint".utf8)).prefix(Self.hexLength)) }

    private static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var s = SHA256()
        s.update(bytes)
        let hex = Array(s.hexDigest().utf8)
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }

    /// A membership CSV (as `Exporter.membership` writes it) with the first field of every record after the
    /// header replaced by its hash; everything else is copied byte for byte.
    public func hashMembership(_ csv: Data) -> Data {
        let bytes = [UInt8](csv)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var header = true
        while i < bytes.count {
            if !header {
                // The first field: quoted (doubled quotes inside) or plain up to a comma or line end.
                var field: [UInt8] = []
                if bytes[i] == 0x22 {
                    i += 1
                    while i < bytes.count {
                        if bytes[i] == 0x22 {
                            if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                            i += 1; break
                        }
                        field.append(bytes[i]); i += 1
                    }
                } else {
                    while i < bytes.count, bytes[i] != 0x2C, bytes[i] != 0x0A { field.append(bytes[i]); i += 1 }
                }
                // The id itself, without the quote that guards it against spreadsheet formulas.
                let id = field.withUnsafeBufferPointer { String(decoding: CSVText.unguarded($0), as: UTF8.self) }
                out += Array(hash(id).utf8)
            }
            header = false
            // The rest of the record, as is, up to an unquoted line end.
            var quoted = false
            while i < bytes.count {
                let b = bytes[i]
                out.append(b); i += 1
                if b == 0x22 { quoted.toggle() } else if b == 0x0A, !quoted { break }
            }
        }
        return Data(out)
    }

    /// `diff` with every mover's id hashed; within each (from, to) pair movers are ordered by hash, so the
    /// order does not reveal the ids either.
    public func hashMovers(_ diff: VersionDiff) -> VersionDiff {
        guard let movers = diff.movers else { return diff }
        var out = diff
        var hashed: [Mover] = []
        var start = 0
        while start < movers.count {
            var end = start
            while end < movers.count, movers[end].from == movers[start].from, movers[end].to == movers[start].to { end += 1 }
            hashed += movers[start..<end].map { Mover(customerID: hash($0.customerID), from: $0.from, to: $0.to) }
                .sorted { $0.customerID < $1.customerID }
            start = end
        }
        out.movers = hashed
        return out
    }
}
