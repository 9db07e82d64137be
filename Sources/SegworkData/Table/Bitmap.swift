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

    /// Appends `n` rows, all set or all clear.
    public mutating func append(repeating bit: Bool, count n: Int) {
        guard n > 0 else { return }
        var left = n
        // Fill the partial last word bit by bit, then whole words.
        while left > 0, count & 63 != 0 { append(bit); left -= 1 }
        while left >= 64 { words.append(bit ? ~0 : 0); count += 64; left -= 64 }
        while left > 0 { append(bit); left -= 1 }
    }

    /// Appends every row of `other`.
    public mutating func append(contentsOf other: Bitmap) {
        if other.count == 0 { return }
        if count & 63 == 0 {
            // Word-aligned: copy the words (the last one's unused bits are clear in every bitmap).
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        let shift = UInt64(count & 63)
        for w in other.words.indices {
            let bits = other.words[w]
            let n = min(64, other.count - w * 64)
            // Low part completes the current last word; the rest starts a new one.
            words[words.count - 1] |= bits << shift
            let usedInLast = 64 - Int(shift)
            if n > usedInLast { words.append(bits >> (64 - shift)) }
            count += n
        }
    }

    /// Reserves room for `n` rows in total.
    public mutating func reserveCapacity(_ n: Int) { words.reserveCapacity((n + 63) / 64) }

    /// Number of set rows.
    public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every row is set.
    public var allSet: Bool { setCount == count }
}
