import Foundation

/// Groups the rows of a table by the values of some of its columns, the way `dedupe` compares them: two rows are in
/// one group when every key column holds equal values in both, as Segwork writes them (`Column.string(at:)`), so
/// `0` and `-0.0` are equal, every NaN equals every NaN, and a text value equals the same text wherever it sits in
/// the column's dictionary. A row with a missing key value is in no group.
///
/// The comparison works on each value's typed bits, never on rebuilt text: each key column gives one 64-bit word
/// per row, read from its own arrays when needed (integers and dates as themselves, doubles as canonical bit
/// patterns, text as the index of the first equal dictionary entry); rows are hashed over those words on every core,
/// and open-addressing tables (one per core, each for the rows whose hash falls in its part) find each row's group,
/// checking full equality of the words on every hash match.
package enum RowGroups {
    /// For every row, the first row (in table order) whose key equals its key; -1 for a row with a missing key value.
    ///
    /// Memory beyond the result: 4 bytes of hash per row and an index of 4 bytes per slot (at least 1.5 slots per
    /// row, in one table per core); the key columns are read where they are, never copied.
    package static func leaders(_ keys: [Column]) -> [Int32] {
        let n = keys.first?.count ?? 0
        guard n > 0 else { return [] }
        let words = keys.map(KeyWords.init)
        // Row hashes, in parallel chunks (each row's hash depends on that row only, so the result does not).
        var hashes = [UInt32](repeating: 0, count: n)
        let chunk = 1 << 16
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each chunk writes its own rows
            DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
                for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
                    for w in words { h = mix(h ^ w.word(i)) }
                    base[i] = UInt32(truncatingIfNeeded: h >> 32)
                }
            }
        }
        // Rows are split by their hash's top bits into one part per core; equal keys have equal hashes, so a group
        // never spans two parts, and each part finds its groups in its own table, scanning rows in table order.
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let validities = keys.compactMap(\.validity)
        var leader = [Int32](repeating: -1, count: n)
        leader.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each part writes only its own rows
            hashes.withUnsafeBufferPointer { hashBuffer in
                nonisolated(unsafe) let hash = hashBuffer
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    @inline(__always) func mine(_ i: Int) -> Bool { Int(hash[i] >> 26) % parts == part }
                    var rows = 0
                    for i in 0..<n where mine(i) { rows += 1 }
                    var capacity = 1
                    while capacity < rows + rows / 2 { capacity <<= 1 }
                    let mask = capacity - 1
                    var slots = [Int32](repeating: -1, count: capacity)
                    for i in 0..<n where mine(i) && validities.allSatisfy({ $0[i] }) {
                        var s = Int(hash[i]) & mask
                        while true {
                            let j = Int(slots[s])
                            if j < 0 { slots[s] = Int32(i); base[i] = Int32(i); break }
                            if hash[j] == hash[i] && words.allSatisfy({ $0.word(j) == $0.word(i) }) { base[i] = Int32(j); break }
                            s = (s + 1) & mask
                        }
                    }
                }
            }
        }
        return leader
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One word per row of a key column that is equal for two rows exactly when `string(at:)` is (missing rows: any
    /// word), read from the column's own arrays.
    private enum KeyWords {
        case integer([Int64]), date([Int32]), bool([Bool]), double([Double])
        /// Text: the codes, and per dictionary entry the first entry with equal text.
        case text([Int32], [UInt64])

        init(_ c: Column) {
            switch c.storage {
            case .integer(let v): self = .integer(v)
            case .date(let v): self = .date(v)
            case .bool(let v): self = .bool(v)
            case .double(let v): self = .double(v)
            case .string(let codes, let dictionary):
                // A dictionary may hold a text twice (after a gather or a standardise step): equal texts, one word.
                var first: [String: UInt64] = [:]
                let canonical = dictionary.enumerated().map { k, s -> UInt64 in
                    if let f = first[s] { return f }
                    first[s] = UInt64(k); return UInt64(k)
                }
                self = .text(codes, canonical)
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
