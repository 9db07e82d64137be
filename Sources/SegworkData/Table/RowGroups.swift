import Foundation

/// Groups the rows of a table by the values of some of its columns, the way `dedupe` compares them: two rows are in
/// one group when every key column holds equal values in both, as Segwork writes them (`Column.string(at:)`), so
/// `0` and `-0.0` are equal, every NaN equals every NaN, and a text value equals the same text wherever it sits in
/// the column's dictionary. A row with a missing key value is in no group.
///
/// The comparison works on each value's typed bits, never on rebuilt text: each key column becomes one 64-bit word
/// per row (integers and dates as themselves, doubles as canonical bit patterns, text as the index of the first equal
/// dictionary entry), rows are hashed over those words on every core, and an open-addressing table finds each row's
/// group, checking full equality of the words on every hash match.
package enum RowGroups {
    /// For every row, the first row (in table order) whose key equals its key; -1 for a row with a missing key value.
    package static func leaders(_ keys: [Column]) -> [Int32] {
        let n = keys.first?.count ?? 0
        guard n > 0 else { return [] }
        let words = keys.map(canonicalWords)
        let missing = missingRows(keys, n)
        // Row hashes, in parallel chunks (each row's hash depends on that row only, so the result does not).
        var hashes = [UInt64](repeating: 0, count: n)
        let chunk = 1 << 16
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let base = out.baseAddress!  // each chunk writes its own rows
            DispatchQueue.concurrentPerform(iterations: (n + chunk - 1) / chunk) { c in
                for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
                    for w in words { h = mix(h ^ w[i]) }
                    base[i] = h
                }
            }
        }
        var capacity = 1
        while capacity < n * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var leader = [Int32](repeating: -1, count: n)
        for i in 0..<n where !missing[i] {
            var s = Int(truncatingIfNeeded: hashes[i]) & mask
            while true {
                let j = Int(slots[s])
                if j < 0 { slots[s] = Int32(i); leader[i] = Int32(i); break }
                if hashes[j] == hashes[i] && words.allSatisfy({ $0[j] == $0[i] }) { leader[i] = Int32(j); break }
                s = (s + 1) & mask
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

    /// One word per row that is equal for two rows exactly when `string(at:)` is (missing rows: any word).
    private static func canonicalWords(_ c: Column) -> [UInt64] {
        switch c.storage {
        case .integer(let v): return v.map { UInt64(bitPattern: $0) }
        case .date(let v): return v.map { UInt64(UInt32(bitPattern: $0)) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        case .double(let v):
            // formatDouble: every NaN is "NaN", -0 and 0 are "0", otherwise the shortest round-trip text (one per value).
            return v.map { d in d.isNaN ? Double.nan.bitPattern : d == 0 ? 0 : d.bitPattern }
        case .string(let codes, let dictionary):
            // A dictionary may hold a text twice (after a gather or a standardise step): equal texts, one word.
            var first: [String: UInt64] = [:]
            let canonical = dictionary.enumerated().map { k, s -> UInt64 in
                if let f = first[s] { return f }
                first[s] = UInt64(k); return UInt64(k)
            }
            return codes.map { canonical[Int($0)] }
        }
    }

    private static func missingRows(_ keys: [Column], _ n: Int) -> [Bool] {
        var missing = [Bool](repeating: false, count: n)
        for k in keys {
            guard let valid = k.validity else { continue }
            for i in 0..<n where !valid[i] { missing[i] = true }
        }
        return missing
    }
}
