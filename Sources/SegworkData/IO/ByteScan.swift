import LuaHost

/// Whole-buffer checks done once before parsing: UTF-8 validity and NUL bytes, and line numbers for offsets.
package enum ByteScan {
    /// A problem found by `validate`.
    package enum Problem: Equatable {
        /// A byte sequence that is not UTF-8, starting at the offset.
        case invalidUTF8(offset: Int)
        /// A NUL byte at the offset.
        case nul(offset: Int)
    }

    /// The first invalid UTF-8 sequence or NUL byte in `bytes`, or nil when the text is clean.
    /// Rejects overlong forms, surrogates and code points above U+10FFFF, as the Unicode standard requires.
    package static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        while i < n {
            // Fast path: 8 ASCII bytes with no zero among them.
            if i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & high == 0 && (w &- ones) & ~w & high == 0 { i += 8; continue }
            }
            let b = base[i]
            if b == 0 { return .nul(offset: i) }
            if b < 0x80 { i += 1; continue }
            let length = sequenceLength(base, i, n)
            guard length > 0 else { return .invalidUTF8(offset: i) }
            i += length
        }
        return nil
    }

    /// The 1-based physical line of `offset`, counting LF, CRLF and a lone CR as line ends.
    package static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, loneCR: Bool = true) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            else if b == 0x0D, loneCR, i + 1 >= bytes.count || bytes[i + 1] != 0x0A { line += 1 }
            i += 1
        }
        return line
    }

    /// Throws a `DataError` naming the line when `bytes` is not clean UTF-8 text without NUL bytes.
    /// `firstLine` is the line of `bytes[0]` in the file.
    static func requireText(_ bytes: UnsafeBufferPointer<UInt8>, origin: String, loneCR: Bool, firstLine: Int = 1) throws {
        switch validate(bytes) {
        case nil:
            return
        case .invalidUTF8(let offset)?:
            throw DataError(file: origin, line: firstLine - 1 + line(of: offset, in: bytes, loneCR: loneCR),
                            message: "the file is not valid UTF-8 text (bad byte 0x"
                                + String(bytes[offset], radix: 16, uppercase: true)
                                + "); re-save it as UTF-8")
        case .nul(let offset)?:
            throw DataError(file: origin, line: firstLine - 1 + line(of: offset, in: bytes, loneCR: loneCR),
                            message: "the file contains a NUL byte, so it is probably binary or UTF-16; "
                                + "export it as UTF-8 text")
        }
    }
}

extension ByteScan {
    /// A repaired copy of a buffer: see `repairUTF8`.
    struct UTF8Repair: Equatable {
        /// The bytes, every ill-formed sequence replaced.
        var bytes: [UInt8]
        /// How many U+FFFD were written.
        var replacements: Int
        /// The offset, in the input, of the first replaced byte.
        var firstOffset: Int
    }

    /// `utf8SequenceLength` (LuaHost): positive for a well-formed sequence, minus the maximal subpart otherwise.
    @inline(__always)
    static func sequenceLength(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        utf8SequenceLength(base, i, n)
    }

    /// A copy of `bytes` in which each maximal subpart of an ill-formed UTF-8 sequence is replaced by U+FFFD
    /// (the Unicode standard's "substitution of maximal subparts", §3.9: `E2 82 41` gives U+FFFD then `A`; `C0 AF`
    /// gives two), with the number of replacements; nil when `bytes` is already valid UTF-8. NUL bytes are kept.
    static func repairUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8Repair? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        var first = -1
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & high == 0 { i += 8; continue }
            let len = sequenceLength(base, i, n)
            if len < 0 { first = i; break }
            i += len
        }
        guard first >= 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(n + n / 16 + 16)
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: first))
        var count = 0
        i = first
        while i < n {
            let len = sequenceLength(base, i, n)
            if len > 0 {
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: len))
                i += len
            } else {
                out.append(0xEF); out.append(0xBF); out.append(0xBD)
                count += 1
                i -= len
            }
        }
        return UTF8Repair(bytes: out, replacements: count, firstOffset: first)
    }

}

/// A reusable byte buffer with a stable address, for values that must be rewritten (unescaped) before use.
package final class Scratch {
    package private(set) var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    package init(capacity: Int = 256) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` bytes; earlier contents are lost.
    package func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
    }
}
