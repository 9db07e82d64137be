import Foundation
import SegworkData

/// Recognises the customers of one erasure by their salted hashes, so an interrupted erasure can be completed
/// without the ids: a field matches when HMAC-SHA256(salt, field bytes) is one of the erasure's hashes. In
/// exported memberships written with `--hash-ids`, a field of 16 hex digits also matches when it is the first 16
/// digits of one of them (the id's exported hash with the same salt). Ids are compared byte for byte (no trimming,
/// case folding or Unicode normalisation).
struct ErasureMatcher {
    let hasher: IDHasher
    /// Full hash → index in the erasure's `idHashes`.
    private let index: [String: Int]
    /// First 16 hex digits → index.
    private let short: [String: Int]
    /// The ids' bytes → index, when the ids are known (then fields are compared, not hashed: much faster).
    private let plain: [[UInt8]: Int]?

    /// A matcher for `hashes`; `ids`, when given, must be the ids those hashes were made from (others are ignored).
    init(hasher: IDHasher, hashes: [String], ids: [String] = []) {
        self.hasher = hasher
        var index: [String: Int] = [:], short: [String: Int] = [:]
        for (i, h) in hashes.enumerated() {
            index[h] = i
            short[String(h.prefix(IDHasher.hexLength))] = i
        }
        var plain: [[UInt8]: Int] = [:]
        for id in ids { if let i = index[hasher.hmac(Array(id.utf8))] { plain[Array(id.utf8)] = i } }
        self.index = index
        self.short = short
        self.plain = !ids.isEmpty && plain.count == hashes.count ? plain : nil
    }

    /// The index of the id whose bytes are `field`, or nil.
    func raw(_ field: [UInt8]) -> Int? {
        if let plain { return plain[field] }
        return field.isEmpty ? nil : index[hasher.hmac(field)]
    }

    /// `rawOrHashed` of a membership.csv id field, as `Exporter.membership` wrote it: guarded against spreadsheet
    /// formulas (`'=x` for the id `=x`), so the guard comes off before matching.
    func membershipID(_ field: [UInt8]) -> Int? { rawOrHashed(CSVText.unguarded(field)) }

    /// `raw`, or the index of the id whose exported hash is `field`.
    func rawOrHashed(_ field: [UInt8]) -> Int? {
        if field.count == IDHasher.hexLength, let i = short[String(decoding: field, as: UTF8.self)] { return i }
        return raw(field)
    }
}
