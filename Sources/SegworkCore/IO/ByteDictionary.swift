/// Dictionary encoder keyed by raw UTF-8 bytes: a repeated value costs one hash and one byte comparison, and
/// a `String` is made only the first time a value is seen. Codes are given in order of first appearance.
struct ByteDictionary {
    /// Decoded strings, `strings[code]` (empty when made with `keepStrings: false`; see `string(_:)`).
    private(set) var strings: [String] = []
    /// Whether `strings` is kept up to date as values are added.
    private let keepStrings: Bool
    /// Number of distinct values.
    private(set) var count = 0
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing table of codes, -1 for empty; its size is a power of two.
    private var slots: [Int32]
    private var mask: Int

    /// A dictionary sized for about `expected` values; with `keepStrings` false no `String` is made while
    /// values are added (a parser's per-chunk dictionary, merged later by bytes).
    init(expected: Int = 16, keepStrings: Bool = true) {
        self.keepStrings = keepStrings
        var size = 16
        while size < expected * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The value of `code`, decoded.
    func string(_ code: Int) -> String {
        if keepStrings { return strings[code] }
        return withBytes(code) { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` over the bytes of `code`'s value.
    func withBytes<R>(_ code: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { a in
            try body(UnsafeBufferPointer(start: a.baseAddress.map { $0 + starts[code] }, count: lengths[code]))
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
    mutating func code(for bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteDictionary.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = slots[slot]
            if c < 0 { break }
            let ci = Int(c)
            if hashes[ci] == h, lengths[ci] == bytes.count, equal(ci, bytes) { return c }
            slot = (slot + 1) & mask
        }
        let code = Int32(count)
        starts.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(h)
        arena.append(contentsOf: bytes)
        if keepStrings { strings.append(String(decoding: bytes, as: UTF8.self)) }
        count += 1
        slots[slot] = code
        if count * 2 > slots.count { grow() }
        return code
    }

    @inline(__always)
    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        if n == 0 { return true }
        let start = starts[code]
        return arena.withUnsafeBufferPointer { a in
            memcmpBytes(a.baseAddress! + start, bytes.baseAddress!, n)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for c in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[c]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(c)
        }
    }
}

/// Byte equality of two regions.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
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
