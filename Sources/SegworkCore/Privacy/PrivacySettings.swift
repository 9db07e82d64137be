import Foundation
import Yams
import SegworkData

/// The `privacy:` section of `workspace.yaml` (see `docs/PRIVACY.md`):
///
/// ```yaml
/// privacy:
///   hash_ids: true            # membership exports carry salted hashes instead of customer ids
///   salt_env: ACME_SALT       # the environment variable holding the salt (default SEG_ID_SALT)
///   min_group_size: 5         # suppress profile statistics over fewer than 5 customers
///   # suppress_small_groups: true   # the same with the default k = 5
/// ```
public struct PrivacySettings: Sendable, Equatable {
    /// `k` when `suppress_small_groups: true` names no number.
    public static let defaultMinGroupSize = 5
    /// The environment variable read for the salt unless `salt_env` names another.
    public static let defaultSaltVariable = "SEG_ID_SALT"

    /// Hash customer ids in every export (`hash_ids: true`); `seg run --hash-ids` asks for it per run.
    public var hashIDs = false
    /// The environment variable the salt is read from.
    public var saltVariable = PrivacySettings.defaultSaltVariable
    /// The salt, read from `saltVariable` when the workspace was opened; nil when unset or empty. It is kept in
    /// memory only and never written anywhere.
    public var salt: String?
    /// Profile statistics over fewer than this many customers are suppressed; nil when suppression is off.
    public var minGroupSize: Int?

    /// Settings with everything off.
    public init() {}

    /// The hasher for this workspace's salt, or an error saying how to provide one. `file` is the
    /// workspace.yaml path as shown to the user.
    public func hasher(file: String) throws -> IDHasher {
        guard let salt else {
            throw DefinitionError(file: file, "hashing customer ids needs a salt, but the environment variable \(saltVariable) is not set (or empty); export \(saltVariable)=<a long random secret> (name another variable with privacy: { salt_env: NAME }) and keep the same salt for every run whose hashes must match")
        }
        return IDHasher(salt: salt)
    }

    /// Reads the salt from `environment[saltVariable]` (an empty value counts as unset).
    mutating func readSalt(from environment: [String: String]) {
        salt = environment[saltVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every key of `privacy:`.
    package static let knownKeys = ["hash_ids", "salt_env", "min_group_size", "suppress_small_groups"]

    /// Parses the `privacy:` mapping of workspace.yaml (the salt is read by ``readSalt(from:)``).
    static func parse(_ node: Node, _ y: YAMLFields) throws -> PrivacySettings {
        var p = PrivacySettings()
        var suppress: Bool?
        for (k, v) in try y.mapping(node, "privacy", known: knownKeys) {
            switch k {
            case "hash_ids": p.hashIDs = try y.bool(v, "privacy.hash_ids")
            case "salt_env":
                p.saltVariable = try y.string(v, "privacy.salt_env")
                guard p.saltVariable.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                    throw y.error(v, "'privacy.salt_env' must name an environment variable (letters, digits, '_'); got '\(p.saltVariable)'")
                }
            case "min_group_size":
                let n = try y.int(v, "privacy.min_group_size")
                guard n >= 1 else { throw y.error(v, "'privacy.min_group_size' must be at least 1 (got \(n)); leave it out to turn suppression off") }
                p.minGroupSize = n
            default: suppress = try y.bool(v, "privacy.suppress_small_groups")
            }
        }
        if suppress == true, p.minGroupSize == nil { p.minGroupSize = defaultMinGroupSize }
        if suppress == false { p.minGroupSize = nil }
        return p
    }
}

/// What a run did for privacy, recorded in its metadata (`run.privacy` in profiles.json; absent when the run
/// used none of it, so reports of earlier runs keep their bytes).
public struct PrivacyInfo: Codable, Sendable, Equatable {
    /// Columns tagged `pii: true` in the definition's schemas (names only), sorted.
    public var piiColumns: [String]
    /// True when customer ids in membership exports are salted hashes.
    public var hashedIDs: Bool
    /// `k` of small-group suppression, nil when it was off.
    public var minGroupSize: Int?

    /// Creates the record.
    public init(piiColumns: [String], hashedIDs: Bool, minGroupSize: Int?) {
        self.piiColumns = piiColumns; self.hashedIDs = hashedIDs; self.minGroupSize = minGroupSize
    }
}

/// Privacy choices for one run, overriding the workspace's settings.
public struct PrivacyOptions: Sendable, Equatable {
    /// Hash customer ids in exports.
    public var hashIDs: Bool
    /// Suppression threshold, nil for none.
    public var minGroupSize: Int?

    /// Creates options.
    public init(hashIDs: Bool, minGroupSize: Int?) { self.hashIDs = hashIDs; self.minGroupSize = minGroupSize }
}
