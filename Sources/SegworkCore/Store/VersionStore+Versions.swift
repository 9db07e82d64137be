import Foundation
import SegworkData

extension VersionStore {
    /// Columns read for a summary, in the order `decodeSummary` expects.
    private static let summaryColumns = """
        number, created_at, definition, definition_sha256, run_id, as_of, segwork_version, seed, frozen_time, \
        inputs, plugins, customers, segments, profiles_sha256, membership_sha256, record_sha256, definition_text
        """
    /// Summary columns plus the two blobs.
    static let recordColumns = summaryColumns + ", profiles_json, membership_csv"

    /// Saves a version in one transaction: the number is one more than any number ever saved, `createdAt` is set
    /// by the store (`draft.number` and `draft.createdAt` are ignored), and SHA-256 checksums of both blobs and of
    /// the whole record are stored with it. `gatesPassed` (whether every gate passed, see `History.recordRun`) and
    /// `files` (what the exports beyond profiles and membership are made from, see `files(of:)`) are recorded in the
    /// same transaction. Returns the stored version.
    @discardableResult
    public func save(_ draft: VersionRecord, gatesPassed: Bool? = nil, files: [String: Data] = [:]) throws -> VersionRecord {
        if gatesPassed != nil { try migrateIfNeeded() }
        let inputs = try Self.json(draft.inputs)
        let plugins = try Self.json(draft.plugins)
        let profilesSHA = draft.profilesSHA256
        let membershipSHA = draft.membershipSHA256
        return try sql {
            try db.transaction {
                let highest = try db.row("SELECT COALESCE(MAX(number), 0) FROM versions")?.int(0) ?? 0
                let saved = Int64(try db.row("SELECT value FROM meta WHERE key = 'versions_saved'")?.text(0) ?? "0") ?? 0
                var record = draft
                record.number = Int(max(highest, saved) + 1)
                record.createdAt = timestamp()
                let checksum = Self.recordChecksum([
                    String(record.number), record.createdAt, record.definition, record.definitionText,
                    record.definitionSHA256, record.runID, record.asOf, record.segworkVersion, String(record.seed),
                    String(record.frozenTime), inputs, plugins, String(record.customers), String(record.segments),
                    profilesSHA, membershipSHA,
                ])
                try db.rows("""
                    INSERT INTO versions (number, created_at, definition, definition_text, definition_sha256, run_id,
                        as_of, segwork_version, seed, frozen_time, inputs, plugins, customers, segments, profiles_json,
                        membership_csv, profiles_sha256, membership_sha256, record_sha256)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
                    """, [
                        .integer(Int64(record.number)), .text(record.createdAt), .text(record.definition),
                        .text(record.definitionText), .text(record.definitionSHA256), .text(record.runID),
                        .text(record.asOf), .text(record.segworkVersion), .integer(record.seed),
                        .integer(record.frozenTime), .text(inputs), .text(plugins),
                        .integer(Int64(record.customers)), .integer(Int64(record.segments)),
                        .blob(record.profilesJSON), .blob(record.membershipCSV), .text(profilesSHA),
                        .text(membershipSHA), .text(checksum),
                    ])
                try db.rows("INSERT OR REPLACE INTO meta(key, value) VALUES ('versions_saved', ?1)",
                            [.text(String(record.number))])
                if let gatesPassed { try insertOutcome(number: record.number, passed: gatesPassed, at: record.createdAt) }
                try insertFiles(files, number: record.number)
                checkpoint("version-inserted")
                return record
            }
        }
    }

    /// Every version (of `definition` when given), ascending by number, blobs included and checked.
    public func versions(definition: String? = nil) throws -> [VersionRecord] {
        let rows = try sql {
            try definition.map {
                try db.rows("SELECT \(Self.recordColumns) FROM versions WHERE definition = ?1 ORDER BY number", [.text($0)])
            } ?? db.rows("SELECT \(Self.recordColumns) FROM versions ORDER BY number")
        }
        return try rows.map(decodeRecord)
    }

    /// Every version (of `definition` when given) without blobs, ascending by number; metadata is checked against
    /// the record checksum, blobs are neither loaded nor hashed.
    public func versionSummaries(definition: String? = nil) throws -> [VersionSummary] {
        let rows = try sql {
            try definition.map {
                try db.rows("SELECT \(Self.summaryColumns) FROM versions WHERE definition = ?1 ORDER BY number", [.text($0)])
            } ?? db.rows("SELECT \(Self.summaryColumns) FROM versions ORDER BY number")
        }
        return try rows.map { try decodeSummary($0).summary }
    }

    /// Definition names that have versions, sorted.
    public func definitionNames() throws -> [String] {
        try sql { try db.rows("SELECT DISTINCT definition FROM versions ORDER BY definition").compactMap { $0.text(0) } }
    }

    /// The version `ref` names: `v3` or `3`; a run id or a prefix of one (at least 4 characters; several versions
    /// of the same run → the latest of them); `latest`; `latest:<definition>`; `previous:<definition>` (the one
    /// before the latest). A number written without `v` that is no version's number is tried as a run-id prefix.
    /// Its checksums are checked.
    public func version(_ ref: String) throws -> VersionRecord {
        let ref = ref.trimmingCharacters(in: .whitespaces)
        if ref.hasPrefix("previous:") {
            let name = String(ref.dropFirst("previous:".count))
            let latest: VersionRecord
            do { latest = try version("latest:" + name) } catch StoreError.unknownVersion {
                throw StoreError.unknownVersion(ref, available: try definitionNames().map { "previous:\($0)" })
            }
            guard let before = try previous(of: latest) else {
                throw StoreError.unknownVersion(ref, available: [latest.id + " (the only version of \(name))"])
            }
            return before
        }
        let number: Int64? = try sql {
            if ref == "latest" {
                return try db.row("SELECT MAX(number) FROM versions")?.int(0)
            }
            if ref.hasPrefix("latest:") {
                let name = String(ref.dropFirst("latest:".count))
                if let n = try db.row("SELECT MAX(number) FROM versions WHERE definition = ?1", [.text(name)])?.int(0) {
                    return n
                }
                throw StoreError.unknownVersion(ref, available: try definitionNames().map { "latest:\($0)" })
            }
            let digits = ref.hasPrefix("v") || ref.hasPrefix("V") ? String(ref.dropFirst()) : ref
            if !digits.isEmpty, digits.allSatisfy(Self.isDigit), let n = Int64(digits),
               try db.row("SELECT 1 FROM versions WHERE number = ?1", [.integer(n)]) != nil {
                return n
            }
            guard ref.count >= 4, digits == ref || !digits.allSatisfy(Self.isDigit) else { return nil }
            let matches = try db.rows("""
                SELECT run_id, MAX(number) FROM versions WHERE substr(run_id, 1, ?2) = ?1
                GROUP BY run_id ORDER BY run_id
                """, [.text(ref), .integer(Int64(ref.utf8.count))])
            if matches.count > 1 {
                throw StoreError.ambiguousVersion(ref, matches: matches.map { "v\($0.int(1) ?? 0) (run \($0.text(0) ?? ""))" })
            }
            return matches.first?.int(1)
        }
        guard let number else { throw StoreError.unknownVersion(ref, available: try recentIDs()) }
        let row = try sql { try db.row("SELECT \(Self.recordColumns) FROM versions WHERE number = ?1", [.integer(number)]) }
        guard let row else { throw StoreError.unknownVersion(ref, available: try recentIDs()) }
        return try decodeRecord(row)
    }

    /// The latest version of the same definition numbered below `v`, if any.
    public func previous(of v: VersionRecord) throws -> VersionRecord? {
        let row = try sql {
            try db.row("""
                SELECT \(Self.recordColumns) FROM versions WHERE definition = ?1 AND number < ?2
                ORDER BY number DESC LIMIT 1
                """, [.text(v.definition), .integer(Int64(v.number))])
        }
        return try row.map(decodeRecord)
    }

    /// Whether `c` is one of 0-9.
    private static func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }

    /// The ids of the latest few versions, ascending (for "unknown version" messages).
    func recentIDs(limit: Int = 8) throws -> [String] {
        try sql {
            try db.rows("SELECT number FROM versions ORDER BY number DESC LIMIT ?1", [.integer(Int64(limit))])
                .compactMap { $0.int(0) }.reversed().map { "v\($0)" }
        }
    }

    /// SHA-256 over the fields, each as `<byte count>:<text>\n`, so no two different records share an encoding.
    static func recordChecksum(_ fields: [String]) -> String {
        var hasher = SHA256()
        for field in fields {
            hasher.update(Array("\(field.utf8.count):".utf8))
            hasher.update(Array(field.utf8))
            hasher.update(CollectionOfOne(UInt8(ascii: "\n")))
        }
        return hasher.hexDigest()
    }

    /// A summary row, checked against its record checksum; also returns the definition text.
    private func decodeSummary(_ row: SQLiteRow) throws -> (summary: VersionSummary, definitionText: String, seed: Int64, frozenTime: Int64) {
        let label = "version v\(row.int(0).map(String.init) ?? "?")"
        func text(_ i: Int, _ name: String) throws -> String {
            guard let s = row.text(i) else { throw damaged("\(label) has no \(name)") }
            return s
        }
        func int(_ i: Int, _ name: String) throws -> Int64 {
            guard let n = row.int(i) else { throw damaged("\(label) has a missing or non-integer \(name)") }
            return n
        }
        let number = try int(0, "number")
        let inputsJSON = try text(9, "inputs"), pluginsJSON = try text(10, "plugins")
        let summary = VersionSummary(
            number: Int(number), createdAt: try text(1, "created_at"), definition: try text(2, "definition"),
            definitionSHA256: try text(3, "definition_sha256"), runID: try text(4, "run_id"), asOf: try text(5, "as_of"),
            segworkVersion: try text(6, "segwork_version"),
            inputs: try decode([InputInfo].self, inputsJSON, "the inputs of \(label)"),
            plugins: try decode([PluginInfo].self, pluginsJSON, "the plugins of \(label)"),
            customers: Int(try int(11, "customers")), segments: Int(try int(12, "segments")),
            profilesSHA256: try text(13, "profiles_sha256"), membershipSHA256: try text(14, "membership_sha256"))
        let seed = try int(7, "seed"), frozenTime = try int(8, "frozen_time")
        let definitionText = try text(16, "definition_text")
        let expected = Self.recordChecksum([
            String(number), summary.createdAt, summary.definition, definitionText, summary.definitionSHA256,
            summary.runID, summary.asOf, summary.segworkVersion, String(seed), String(frozenTime), inputsJSON,
            pluginsJSON, String(summary.customers), String(summary.segments), summary.profilesSHA256,
            summary.membershipSHA256,
        ])
        let stored = try text(15, "record_sha256")
        if stored != expected {
            throw damaged("the metadata of \(label) does not match its checksum (a field was changed after it was saved)")
        }
        return (summary, definitionText, seed, frozenTime)
    }

    /// A full row: summary checks plus both blobs hashed against their stored checksums.
    func decodeRecord(_ row: SQLiteRow) throws -> VersionRecord {
        let (s, definitionText, seed, frozenTime) = try decodeSummary(row)
        guard let profiles = row.blob(17), let membership = row.blob(18) else {
            throw damaged("version \(s.id) has a missing profiles_json or membership_csv")
        }
        for (name, data, stored) in [("profiles.json", profiles, s.profilesSHA256),
                                     ("membership.csv", membership, s.membershipSHA256)] {
            let actual = SHA256.hex(data)
            if actual != stored {
                throw damaged("the \(name) of version \(s.id) does not match its checksum "
                              + "(stored \(stored.prefix(12))…, now \(actual.prefix(12))…)")
            }
        }
        return VersionRecord(number: s.number, createdAt: s.createdAt, definition: s.definition,
                             definitionText: definitionText, definitionSHA256: s.definitionSHA256, runID: s.runID,
                             asOf: s.asOf, segworkVersion: s.segworkVersion, seed: seed, frozenTime: frozenTime,
                             inputs: s.inputs, plugins: s.plugins, customers: s.customers, segments: s.segments,
                             profilesJSON: profiles, membershipCSV: membership)
    }

    /// The stored `profiles.json` of version `id` (`v3`) alone, checked against its checksum: for walking a history
    /// without reading every membership.
    public func profilesJSON(of id: String) throws -> Data {
        guard id.hasPrefix("v"), let n = Int64(id.dropFirst()),
              let row = try sql({ try db.row("SELECT profiles_json, profiles_sha256 FROM versions WHERE number = ?1", [.integer(n)]) })
        else { throw StoreError.unknownVersion(id, available: []) }
        guard let profiles = row.blob(0), let stored = row.text(1) else { throw damaged("version \(id) has a missing profiles_json") }
        let actual = SHA256.hex(profiles)
        if actual != stored {
            throw damaged("the profiles.json of version \(id) does not match its checksum (stored \(stored.prefix(12))…, now \(actual.prefix(12))…)")
        }
        return profiles
    }

    /// A `.corrupted` error about this store.
    func damaged(_ detail: String) -> StoreError { .corrupted(path: databaseURL.path, detail: detail) }
}
