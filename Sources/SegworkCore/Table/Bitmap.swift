/// A fixed-length bit set: bit `i` is set when row `i` has a value. Used as the validity mask of a column.
public struct Bitmap: Sendable, Equatable {
    /// The bits, 64 rows per word, row `i` in bit `i % 64` of word `i / 64`.
    public private(set) var words: [UInt64]
    /// Number of rows covered.
    public private(set) var count: Int

    /// A bitmap of `count` rows, all set (`true`) or all clear.
    public init(count: Int, allSet: Bool) {
        self.count = count
        let n = (count + 63) / 64
        words = [UInt64](repeating: allSet ? ~0 : 0, count: n)
        if allSet, count % 64 != 0, n > 0 { words[n - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
    }

    /// A bitmap from one Bool per row.
    public init(_ bits: [Bool]) {
        self.init(count: bits.count, allSet: false)
        for (i, b) in bits.enumerated() where b { self[i] = true }
    }

    /// Whether row `i` is set.
    @inline(__always)
    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (UInt64(1) << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
            else { words[i >> 6] &= ~(UInt64(1) << UInt64(i & 63)) }
        }
    }

    /// Appends one row.
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        count += 1
        if bit { self[count - 1] = true }
    }

    /// Number of set rows.
    public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every row is set.
    public var allSet: Bool { setCount == count }
}
