import Dispatch

/// Dictionary encoder keyed by raw UTF-8 bytes: a repeated value costs one hash and one byte comparison, and
/// a `String` is made only the first time a value is seen. Codes are given in order of first appearance.
package struct ByteDictionary {
    /// Decoded strings, `strings[code]` (empty when made with `keepStrings: false`; see `string(_:)`).
    package private(set) var strings: [String] = []
    /// Whether `strings` is kept up to date as values are added.
    private let keepStrings: Bool
    /// Number of distinct values.
    package private(set) var count = 0
    /// The values' bytes, one after the other; value `c` is `arena[offsets[c] ..< offsets[c + 1]]`.
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Open addressing table of three words per slot, its size a power of two. Word 0: 0 for empty, else `tag`
    /// (24 hash bits and the length) over `code + 1`; words 1 and 2: the value's first 16 bytes, zero-padded.
    /// A value of up to 16 bytes (most ids and categories) is compared inside its slot: a hit costs one probe.
    private var slots: [UInt64]
    private var mask: Int

    /// A dictionary sized for about `expected` values; with `keepStrings` false no `String` is made while
    /// values are added (a parser's per-chunk dictionary, merged later by bytes).
    package init(expected: Int = 16, keepStrings: Bool = true) {
        self.keepStrings = keepStrings
        var size = 16
        while size < expected * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: 3 * size)
        mask = size - 1
    }

    /// Word 0 of a slot without the code: 24 bits of the hash and the length (capped at 255).
    @inline(__always)
    private static func tag(_ h: UInt64, _ n: Int) -> UInt64 {
        (h & 0xFFFF_FF00_0000_0000) | (UInt64(min(n, 255)) << 32)
    }

    /// Bytes `from ..< from + 8` of a value of `n` bytes as a word, zero-padded past the end.
    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>?, _ n: Int, _ from: Int) -> UInt64 {
        guard let p, n > from else { return 0 }
        if n - from >= 8 { return UnsafeRawPointer(p + from).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        for k in 0..<(n - from) { w |= UInt64(p[from + k]) << (8 * UInt64(k)) }
        return w
    }

    /// Frees the lookup table, keeping the values: afterwards only `count`, `string(_:)` and `withBytes` may be
    /// used (a parsing thread's dictionary once its chunks are parsed, until its codes are merged).
    mutating func releaseIndex() {
        slots = []
        mask = -1
    }

    /// Every value decoded, `[code]`, made on every core (for a dictionary built with `keepStrings: false`).
    package func decodedStrings() -> [String] {
        if keepStrings { return strings }
        var out = [String](repeating: "", count: count)
        let block = 8192
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!  // each block writes its own entries
            DispatchQueue.concurrentPerform(iterations: (count + block - 1) / block) { b in
                for c in (b * block)..<min(count, (b + 1) * block) { base[c] = string(c) }
            }
        }
        return out
    }

    /// The value of `code`, decoded.
    func string(_ code: Int) -> String {
        if keepStrings { return strings[code] }
        return withBytes(code) { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` over the bytes of `code`'s value.
    func withBytes<R>(_ code: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { a in
            try body(UnsafeBufferPointer(start: a.baseAddress.map { $0 + offsets[code] },
                                         count: offsets[code + 1] - offsets[code]))
        }
    }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: b.count)
        // An empty value hashes the same whether or not its buffer has an address.
        let p = b.baseAddress ?? UnsafePointer(bitPattern: 8)!
        let raw = UnsafeRawPointer(p)
        var i = 0
        let n = b.baseAddress == nil ? 0 : b.count
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }

    /// The code of `bytes`, adding it when new. `bytes` must be valid UTF-8.
    @inline(__always)
    package mutating func code(for bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let key = Key(bytes)
        let (found, slot) = probe(key)
        if let found { return found }
        let code = Int32(count)
        if key.count > 0 { arena.append(contentsOf: bytes) }
        offsets.append(arena.count)
        if keepStrings { strings.append(String(decoding: bytes, as: UTF8.self)) }
        count += 1
        slots[3 * slot] = key.tag | UInt64(count)
        slots[3 * slot + 1] = key.w0
        slots[3 * slot + 2] = key.w1
        if count * 2 > mask + 1 { grow() }
        return code
    }

    /// The code of `bytes` when the dictionary has it, without adding it.
    package func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { probe(Key(bytes)).found }

    /// A value being looked up: its bytes, hash and slot words.
    private struct Key {
        let bytes: UnsafePointer<UInt8>?
        let count: Int
        let hash: UInt64
        let tag: UInt64
        let w0: UInt64
        let w1: UInt64

        @inline(__always)
        init(_ b: UnsafeBufferPointer<UInt8>) {
            bytes = b.baseAddress
            count = b.baseAddress == nil ? 0 : b.count
            hash = ByteDictionary.hash(b)
            tag = ByteDictionary.tag(hash, count)
            w0 = ByteDictionary.word(bytes, count, 0)
            w1 = ByteDictionary.word(bytes, count, 8)
        }
    }

    /// The key's code, or nil and the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: Key) -> (found: Int32?, slot: Int) {
        var slot = Int(truncatingIfNeeded: key.hash) & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let e = table[3 * slot]
                if e == 0 { return (nil, slot) }
                if e & 0xFFFF_FFFF_0000_0000 == key.tag, table[3 * slot + 1] == key.w0, table[3 * slot + 2] == key.w1 {
                    let c = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                    // Same length and first 16 bytes: equal unless longer values differ further on.
                    if key.count <= 16 { return (Int32(c), slot) }
                    let equal = offsets.withUnsafeBufferPointer { off in
                        arena.withUnsafeBufferPointer { a in
                            off[c + 1] - off[c] == key.count && memcmpBytes(a.baseAddress! + off[c], key.bytes!, key.count)
                        }
                    }
                    if equal { return (Int32(c), slot) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Doubles the table, rehashing every value from the arena.
    private mutating func grow() { rehash((mask + 1) * 2) }

    /// A table of `size` slots (a power of two) holding every value, rehashed from the arena.
    private mutating func rehash(_ size: Int) {
        var table = [UInt64](repeating: 0, count: 3 * size)
        mask = size - 1
        offsets.withUnsafeBufferPointer { off in
            arena.withUnsafeBufferPointer { a in
                for c in 0..<count {
                    let v = UnsafeBufferPointer(start: a.baseAddress.map { $0 + off[c] }, count: off[c + 1] - off[c])
                    let h = ByteDictionary.hash(v)
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while table[3 * slot] != 0 { slot = (slot + 1) & mask }
                    table[3 * slot] = ByteDictionary.tag(h, v.count) | UInt64(c + 1)
                    table[3 * slot + 1] = ByteDictionary.word(v.baseAddress, v.count, 0)
                    table[3 * slot + 2] = ByteDictionary.word(v.baseAddress, v.count, 8)
                }
            }
        }
        slots = table
    }
}

/// Byte equality of two regions.
@inline(__always)
package func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
