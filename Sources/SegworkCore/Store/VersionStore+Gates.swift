import Foundation
import SegworkData

/// What the store knows about a version's gates: what they said when the version was run, and whether a person
/// accepted it with `seg approve`.
package struct GateStanding: Sendable, Equatable {
    /// Whether every gate passed (a version without gates passed), as recorded when the version was saved; nil when
    /// not recorded (stored before schema 2, or an earlier version was approved since): evaluate it again.
    public var passed: Bool?
    /// When the version was approved (ISO 8601 UTC), nil when it was not.
    public var approvedAt: String?

}

/// Schema 2: gate outcomes and approvals (docs/STORE.md, docs/GATES.md).
///
/// - `gate_outcomes(number PRIMARY KEY → versions.number, passed 0|1, recorded_at, record_sha256)`: written in the
///   same transaction as the version, so a version and what its gates said are stored together or not at all.
/// - `approvals(number PRIMARY KEY → versions.number, approved_at, command, record_sha256)`: `seg approve`.
///
/// Both rows carry a checksum over their fields (like versions), so a hand edit is noticed when they are read.
/// A schema 1 store is read as it is (no outcomes, no approvals) and upgraded in place, in one transaction, the
/// first time it is written under the workspace lock.
extension VersionStore {
    /// The statements that turn a schema 1 store into schema 2.
    static let schema2SQL = """
        CREATE TABLE IF NOT EXISTS gate_outcomes (number INTEGER PRIMARY KEY REFERENCES versions(number),
                                                  passed INTEGER NOT NULL, recorded_at TEXT NOT NULL,
                                                  record_sha256 TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS approvals (number INTEGER PRIMARY KEY REFERENCES versions(number),
                                              approved_at TEXT NOT NULL, command TEXT NOT NULL,
                                              record_sha256 TEXT NOT NULL);
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        """

    /// Whether the gate tables exist (schema 2 or later).
    var hasGateTables: Bool {
        (try? db.row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'approvals'")) != nil
    }

    /// Upgrades a schema 1 store to schema 2 in one transaction (call only under the write lock, or on a store
    /// just created). Does nothing on a schema 2 store.
    func migrateIfNeeded() throws {
        if hasGateTables { return }
        try sql { try db.transaction { try db.execute(Self.schema2SQL) } }
    }

    /// Records inside the version's own transaction (called by `save`).
    func insertOutcome(number: Int, passed: Bool, at time: String) throws {
        let checksum = Self.recordChecksum(["outcome", String(number), passed ? "1" : "0", time])
        try db.rows("INSERT OR REPLACE INTO gate_outcomes(number, passed, recorded_at, record_sha256) VALUES (?1, ?2, ?3, ?4)",
                    [.integer(Int64(number)), .integer(passed ? 1 : 0), .text(time), .text(checksum)])
    }

    /// Records (or replaces) whether version `number` passed its gates, in its own transaction. Call under the lock.
    public func recordOutcome(_ number: Int, passed: Bool) throws {
        try migrateIfNeeded()
        try sql { try db.transaction { try insertOutcome(number: number, passed: passed, at: timestamp()) } }
    }

    /// What the store knows about version `number`'s gates; checksums are checked.
    package func gateStanding(_ number: Int) throws -> GateStanding {
        guard hasGateTables else { return GateStanding(passed: nil, approvedAt: nil) }
        var standing = GateStanding(passed: nil, approvedAt: nil)
        if let row = try sql({ try db.row("SELECT passed, recorded_at, record_sha256 FROM gate_outcomes WHERE number = ?1",
                                          [.integer(Int64(number))]) }) {
            let passed = row.int(0), time = row.text(1) ?? ""
            guard let passed, passed == 0 || passed == 1,
                  row.text(2) == Self.recordChecksum(["outcome", String(number), String(passed), time]) else {
                throw damaged("the recorded gate outcome of version v\(number) does not match its checksum (edited by hand)")
            }
            standing.passed = passed == 1
        }
        if let row = try sql({ try db.row("SELECT approved_at, command, record_sha256 FROM approvals WHERE number = ?1",
                                          [.integer(Int64(number))]) }) {
            let time = row.text(0) ?? "", command = row.text(1) ?? ""
            guard row.text(2) == Self.recordChecksum(["approval", String(number), time, command]) else {
                throw damaged("the approval of version v\(number) does not match its checksum (edited by hand)")
            }
            standing.approvedAt = time
        }
        return standing
    }

    /// Records that a person accepted version `number` (`seg approve`): its gate failures no longer fail `seg check`
    /// or an unchanged re-run, and later runs of its definition measure drift against it (when it is the most
    /// recent accepted version). Returns the approval time, and false when it was already approved (nothing is
    /// written). Call under the write lock.
    @discardableResult
    public func approve(_ number: Int, command: String) throws -> (approvedAt: String, isNew: Bool) {
        try migrateIfNeeded()
        if let earlier = try gateStanding(number).approvedAt { return (earlier, false) }
        let time = timestamp()
        try sql {
            try db.transaction {
                guard try db.row("SELECT 1 FROM versions WHERE number = ?1", [.integer(Int64(number))]) != nil else {
                    throw StoreError.unknownVersion("v\(number)", available: try recentIDs())
                }
                let checksum = Self.recordChecksum(["approval", String(number), time, command])
                try db.rows("INSERT INTO approvals(number, approved_at, command, record_sha256) VALUES (?1, ?2, ?3, ?4)",
                            [.integer(Int64(number)), .text(time), .text(command), .text(checksum)])
                // Later versions of the definition may now have this one as their baseline: their recorded outcomes
                // are evaluated again when next needed (History.standings).
                try db.rows("""
                    DELETE FROM gate_outcomes WHERE number > ?1 AND number IN
                        (SELECT number FROM versions WHERE definition = (SELECT definition FROM versions WHERE number = ?1))
                    """, [.integer(Int64(number))])
            }
        }
        return (time, true)
    }

    /// Checks every gate outcome and approval against its checksum (part of `verifyIntegrity`). Returns how many.
    func verifyGateRecords() throws -> Int {
        guard hasGateTables else { return 0 }
        let numbers = try sql {
            try db.rows("SELECT number FROM gate_outcomes UNION SELECT number FROM approvals ORDER BY 1").compactMap { $0.int(0) }
        }
        for n in numbers { _ = try gateStanding(Int(n)) }
        return numbers.count
    }
}
