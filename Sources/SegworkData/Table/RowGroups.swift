import Foundation

/// Groups the rows of a table by the values of some of its columns, the way `dedupe` compares them: two rows are in
/// one group when every key column holds equal values in both, as Segwork writes them (`Column.string(at:)`), so
/// `0` and `-0.0` are equal, every NaN equals every NaN, and a text value equals the same bytes wherever it sits in
/// the column's dictionary (texts compare by their UTF-8 bytes, as pandas, polars and DuckDB compare them: a composed
/// "é" and "e" + U+0301 differ). A row with a missing key value is in no group.
///
/// The comparison works on each value's typed bits, never on rebuilt text: each key column gives one 64-bit word
/// per row, read from its own arrays when needed (integers and dates as themselves, doubles as canonical bit
/// patterns, text as the index of the first dictionary entry with the same bytes). Rows are hashed over those words
/// on every core, a column at a time per block of rows, then scattered by the hash's top bits into 64 to 1,024 parts
/// of at most about 128 K rows (in table order within each); the parts are grouped on every core, each in an
/// open-addressing table small enough to stay in the cache (2 MB or less). A slot holds the row and its 32-bit hash, so probing never leaves the table; the rows' words
/// are compared only when the hashes are equal.
package enum RowGroups {
    /// For every row, the first row (in table order) whose key equals its key; -1 for a row with a missing key value.
    ///
    /// Memory beyond the result: 12 bytes per row at most (the hashes, then each row and its hash in part order) and
    /// one part's table per core (8 bytes per slot, 1.5 to 3 slots per row of the part); the key columns are read
    /// where they are, never copied.
    ///
    /// `partRows` is the most rows a part should hold (tests make it small to reach many parts on few rows).
    package static func leaders(_ keys: [Column], partRows: Int = 1 << 17) -> [Int32] {
        let n = keys.first?.count ?? 0
        guard n > 0 else { return [] }
        let words = keys.map(KeyWords.init)
        let validities = keys.compactMap(\.validity)
        // Enough parts that each holds about `partRows` rows or fewer (128 K: 6 bits up to 8 M rows, then one more per
        // doubling), at most 1,024.
        var bits = 6
        while bits < 10 && n / (partRows << bits) > 0 { bits += 1 }
        let parts = 1 << bits
        let (rows, hashes, starts) = partitioned(rowHashes(words, n), bits: bits, validities: validities)
        var leader = [Int32](repeating: -1, count: n)
        leader.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each part writes only its own rows
            rows.withUnsafeBufferPointer { rowBuffer in
                hashes.withUnsafeBufferPointer { hashBuffer in
                    nonisolated(unsafe) let row = rowBuffer, hash = hashBuffer
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let range = starts[part]..<starts[part + 1]
                        var capacity = 16
                        while capacity < range.count + range.count / 2 { capacity <<= 1 }
                        let mask = capacity - 1
                        // A slot: the hash in the high half, the row + 1 in the low half; 0 is empty.
                        var slots = [UInt64](repeating: 0, count: capacity)
                        slots.withUnsafeMutableBufferPointer { slots in
                            for k in range {
                                let i = Int(row[k]), h = hash[k]
                                let tag = UInt64(h) << 32
                                var s = Int(h) & mask
                                while true {
                                    let entry = slots[s]
                                    if entry == 0 { slots[s] = tag | UInt64(i + 1); base[i] = Int32(i); break }
                                    if entry & 0xFFFF_FFFF_0000_0000 == tag {
                                        let j = Int(entry & 0xFFFF_FFFF) - 1
                                        if words.allSatisfy({ $0.word(j) == $0.word(i) }) { base[i] = Int32(j); break }
                                    }
                                    s = (s + 1) & mask
                                }
                            }
                        }
                    }
                }
            }
        }
        return leader
    }

    /// Rows and their hashes are handled in blocks of this many rows.
    private static let block = 1 << 14

    /// Every row's 32-bit hash over its key words, on every core.
    private static func rowHashes(_ words: [KeyWords], _ n: Int) -> [UInt32] {
        var hashes = [UInt32](repeating: 0, count: n)
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each block writes its own rows
            DispatchQueue.concurrentPerform(iterations: (n + block - 1) / block) { b in
                let rows = (b * block)..<min(n, (b + 1) * block)
                var h = [UInt64](repeating: 0x9E37_79B9_7F4A_7C15, count: rows.count)
                h.withUnsafeMutableBufferPointer { h in
                    for w in words { w.mix(into: h, rows: rows) }
                    for k in rows.indices { base[k] = UInt32(truncatingIfNeeded: h[k - rows.lowerBound] >> 32) }
                }
            }
        }
        return hashes
    }

    /// The rows with every key value present, and their hashes, reordered by part (the hash's top `bits` bits) and in
    /// table order within each part; part `p` is `starts[p] ..< starts[p + 1]`. Counted and scattered on every
    /// core: each block of rows writes its own ranges.
    private static func partitioned(_ hashes: consuming [UInt32], bits: Int, validities: [Bitmap])
        -> (rows: [Int32], hashes: [UInt32], starts: [Int]) {
        let n = hashes.count
        let parts = 1 << bits, shift = UInt32(32 - bits)
        let blocks = (n + block - 1) / block
        @Sendable @inline(__always) func present(_ i: Int) -> Bool { validities.allSatisfy { $0[i] } }
        // counts[b * parts + p]: rows of block b in part p; then, in place, where block b starts writing part p.
        var counts = [Int](repeating: 0, count: blocks * parts)
        hashes.withUnsafeBufferPointer { hash in
            counts.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let count = out.baseAddress!, hash = hash
                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                    for i in (b * block)..<min(n, (b + 1) * block) where present(i) {
                        count[b * parts + Int(hash[i] >> shift)] += 1
                    }
                }
            }
        }
        var starts = [Int](repeating: 0, count: parts + 1)
        var at = 0
        for p in 0..<parts {
            starts[p] = at
            for b in 0..<blocks { let c = counts[b * parts + p]; counts[b * parts + p] = at; at += c }
        }
        starts[parts] = at
        var rows = [Int32](repeating: 0, count: at)
        var sorted = [UInt32](repeating: 0, count: at)
        hashes.withUnsafeBufferPointer { hash in
            rows.withUnsafeMutableBufferPointer { rowOut in
                sorted.withUnsafeMutableBufferPointer { hashOut in
                    counts.withUnsafeBufferPointer { next in
                        nonisolated(unsafe) let row = rowOut.baseAddress!, out = hashOut.baseAddress!, hash = hash, next = next
                        DispatchQueue.concurrentPerform(iterations: blocks) { b in
                            var position = Array(next[(b * parts)..<((b + 1) * parts)])
                            for i in (b * block)..<min(n, (b + 1) * block) where present(i) {
                                let p = Int(hash[i] >> shift)
                                row[position[p]] = Int32(i)
                                out[position[p]] = hash[i]
                                position[p] += 1
                            }
                        }
                    }
                }
            }
        }
        return (rows, sorted, starts)
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    @inline(__always) fileprivate static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// For every dictionary entry, the index of the first entry with the same UTF-8 bytes (a dictionary may hold a
    /// text twice after a gather or a standardise step). Entries are hashed on every core.
    static func firstEqualEntries(_ dictionary: [String]) -> [UInt64] {
        let m = dictionary.count
        var hashes = [UInt64](repeating: 0, count: m)
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each block writes its own entries
            DispatchQueue.concurrentPerform(iterations: (m + block - 1) / block) { b in
                for k in (b * block)..<min(m, (b + 1) * block) {
                    var s = dictionary[k]
                    base[k] = s.withUTF8 { ByteDictionary.hash($0) }
                }
            }
        }
        var capacity = 16
        while capacity < 2 * m { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var first = [UInt64](repeating: 0, count: m)
        for k in 0..<m {
            var s = Int(truncatingIfNeeded: hashes[k]) & mask
            while true {
                let j = Int(slots[s])
                if j < 0 { slots[s] = Int32(k); first[k] = UInt64(k); break }
                if hashes[j] == hashes[k] && dictionary[j].utf8.elementsEqual(dictionary[k].utf8) { first[k] = UInt64(j); break }
                s = (s + 1) & mask
            }
        }
        return first
    }

    /// One word per row of a key column that is equal for two rows exactly when `string(at:)` has the same bytes
    /// (missing rows: any word), read from the column's own arrays.
    private enum KeyWords {
        case integer([Int64]), date([Int32]), bool([Bool]), double([Double])
        /// Text: the codes, and per dictionary entry the first entry with the same bytes.
        case text([Int32], [UInt64])

        init(_ c: Column) {
            switch c.storage {
            case .integer(let v): self = .integer(v)
            case .date(let v): self = .date(v)
            case .bool(let v): self = .bool(v)
            case .double(let v): self = .double(v)
            case .string(let codes, let dictionary):
                // A column with no value present has an empty dictionary, and its (missing) rows hold code 0: give
                // that code a word, so hashing every row never reads past the table.
                self = .text(codes, dictionary.isEmpty ? [0] : RowGroups.firstEqualEntries(dictionary))
            }
        }

        /// Mixes the words of `rows` into `h` (`h[k]` is row `rows.lowerBound + k`): one loop per storage type.
        func mix(into h: UnsafeMutableBufferPointer<UInt64>, rows: Range<Int>) {
            let lo = rows.lowerBound
            switch self {
            case .integer(let v):
                v.withUnsafeBufferPointer { v in for k in h.indices { h[k] = RowGroups.mix(h[k] ^ UInt64(bitPattern: v[lo + k])) } }
            case .date(let v):
                v.withUnsafeBufferPointer { v in for k in h.indices { h[k] = RowGroups.mix(h[k] ^ UInt64(UInt32(bitPattern: v[lo + k]))) } }
            case .bool(let v):
                v.withUnsafeBufferPointer { v in for k in h.indices { h[k] = RowGroups.mix(h[k] ^ (v[lo + k] ? 1 : 0)) } }
            case .double:
                for k in h.indices { h[k] = RowGroups.mix(h[k] ^ word(lo + k)) }
            case .text(let codes, let canonical):
                codes.withUnsafeBufferPointer { codes in
                    canonical.withUnsafeBufferPointer { canonical in
                        for k in h.indices { h[k] = RowGroups.mix(h[k] ^ canonical[Int(codes[lo + k])]) }
                    }
                }
            }
        }

        @inline(__always) func word(_ i: Int) -> UInt64 {
            switch self {
            case .integer(let v): return UInt64(bitPattern: v[i])
            case .date(let v): return UInt64(UInt32(bitPattern: v[i]))
            case .bool(let v): return v[i] ? 1 : 0
            case .double(let v):
                // formatDouble: every NaN is "NaN", -0 and 0 are "0", otherwise the shortest round-trip text (one per value).
                let d = v[i]
                return d.isNaN ? Double.nan.bitPattern : d == 0 ? 0 : d.bitPattern
            case .text(let codes, let canonical): return canonical[Int(codes[i])]
            }
        }
    }
}
