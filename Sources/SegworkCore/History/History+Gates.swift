import Foundation
import SegworkData

/// A stored version's gates, judged against its baseline (docs/GATES.md, "Baseline").
public struct GateCheck: Sendable {
    /// Every gate's result (empty when the definition declares none).
    public var results: [GateResult]
    /// Share of the customers in both this version and the baseline who changed segment; nil without a baseline.
    public var drift: Double?
    /// The baseline's id (`v3`): the most recent earlier version of the definition that passed its gates or was
    /// approved; nil when there is none.
    public var baseline: String?
    /// When this version was approved with `seg approve` (its failures are then accepted), nil when it was not.
    public var approvedAt: String?

    /// The results that failed.
    public var failures: [GateResult] { results.filter { !$0.passed } }
    /// True when a gate failed and the version was not approved: `seg run` and `seg check` exit with status 3.
    public var failed: Bool { approvedAt == nil && !failures.isEmpty }
}

/// What `History.recordRun` did with a computed run.
package struct RecordedRun: Sendable {
    /// The version the run is: the new one, or the existing one it repeats.
    public var version: VersionRecord
    /// False when the run repeated the latest version of its definition (same run id, same bytes): nothing new was
    /// stored, and `version` is that latest version.
    public var isNew: Bool
    /// Its gates.
    public var gates: GateCheck
}

extension History {
    /// Stores a computed run as a version, unless it repeats the latest version of its definition.
    ///
    /// - Same run id as a stored version of the definition (the most recent such, unless an erasure changed it):
    ///   the bytes must be the same as that version's; otherwise the run is not reproducible and
    ///   `AtomicWriteError.notReproducible` is thrown (nothing is stored). When that version is the latest,
    ///   nothing is stored (`isNew` false); an older one (a run returning to earlier inputs) gives a new version. The gates are evaluated again (an approval may have been added since).
    /// - Otherwise: dataset snapshots and plugin sources are stored, the gates are evaluated against the baseline,
    ///   and the version is saved together with whether every gate passed, in one transaction.
    ///
    /// Call under the workspace lock.
    package func recordRun(_ r: RunResult) throws -> RecordedRun { try recordRun(r, prefetch: nil) }

    /// `recordRun(_:)` taking the snapshot copies `prefetch` made while the run computed.
    func recordRun(_ r: RunResult, prefetch: SnapshotPrefetch?) throws -> RecordedRun {
        let runID = r.report.run.runID
        // The most recent stored version with this run id (not only the latest version: a run may return to an
        // older run id, and its export folder may be gone), unless an erasure changed it: then it no longer holds
        // what its run id's inputs hold, and a run with that id is simply new.
        let summaries = try store.versionSummaries(definition: r.definition.name)
        if let same = summaries.last(where: { $0.runID == runID }),
           try store.erasures(affecting: same.number).isEmpty {
            let stored = try store.version(same.id)
            let differing = [("membership.csv", r.membership == stored.membershipCSV),
                             ("profiles.json", Exporter.json(r.report) == stored.profilesJSON)].filter { !$0.1 }.map(\.0)
            if !differing.isEmpty {
                throw AtomicWriteError.notReproducible(runID: runID, place: "version \(stored.id) in the store",
                                                       files: differing)
            }
            if summaries.last?.number == stored.number {
                return RecordedRun(version: stored, isNew: false, gates: try checkGates(stored))
            }
        }
        try storeInputs(r, prefetch: prefetch)
        let draft = Self.draft(r)
        let base = try standings(of: draft.definition, record: true).last { $0.accepted }.map { try store.version("v\($0.number)") }
        let (results, drift) = Self.evaluate(r.definition, report: r.report, membership: draft.membershipCSV, baseline: base)
        let version = try Interruption.shared.critical {
            var files = r.storedFiles
            files[Runner.notesFile] = Runner.notesData(r.notes)   // the notes as this run wrote them
            let saved = try store.save(draft, gatesPassed: !results.contains { !$0.passed }, files: files)
            Interruption.shared.storedUnlocked(saved.id, definition: saved.definition)
            return saved
        }
        return RecordedRun(version: version, isNew: true,
                           gates: GateCheck(results: results, drift: drift, baseline: base?.id, approvedAt: nil))
    }

    /// A version's gates (from its stored definition), with drift against its baseline, and its approval.
    public func checkGates(_ v: VersionRecord) throws -> GateCheck {
        let base = try baseline(of: v.definition, before: v.number)
        let (results, drift) = Self.evaluate(try Self.definition(of: v), report: try Self.report(of: v),
                                             membership: v.membershipCSV, baseline: base)
        return GateCheck(results: results, drift: drift, baseline: base?.id,
                         approvedAt: try store.gateStanding(v.number).approvedAt)
    }

    /// The baseline for a version of `definition` numbered `number`: the most recent earlier version of it that
    /// passed all its gates, or was approved (nil when there is none). See `standings`.
    public func baseline(of definition: String, before number: Int) throws -> VersionRecord? {
        let last = try standings(of: definition, before: number).last { $0.accepted }
        return try last.map { try store.version("v\($0.number)") }
    }

    /// One version's standing in its definition's history.
    public struct Standing: Sendable, Equatable {
        /// The version's number.
        public var number: Int
        /// Whether every gate passed (against that version's own baseline); a version without gates passed.
        public var passed: Bool
        /// Whether it was approved with `seg approve`.
        public var approved: Bool
        /// Passed or approved: it can be a baseline.
        public var accepted: Bool { passed || approved }
        /// One word for listings: `approved`, `passed` or `FAILED`.
        public var label: String { approved ? "approved" : passed ? "passed" : "FAILED" }
    }

    /// The standing of every version of `definition` numbered below `number`, ascending. Whether a version passed is
    /// recorded with it when it is saved; a version without a recorded outcome (stored before schema 2, or after an
    /// earlier version was approved, which can change its baseline) is evaluated again from its stored definition,
    /// blobs and baseline — and, when `record` is true (under the workspace lock), the outcome is recorded.
    public func standings(of definition: String, before number: Int = Int.max, record: Bool = false) throws -> [Standing] {
        var out: [Standing] = []
        var baseline: VersionRecord?
        for summary in try store.versionSummaries(definition: definition) where summary.number < number {
            let known = try store.gateStanding(summary.number)
            var passed = known.passed
            if passed == nil {
                let v = try store.version(summary.id)
                if let def = try? Self.definition(of: v), let report = try? Self.report(of: v) {
                    let accepted = out.last(where: \.accepted)
                    if let accepted, accepted.number != baseline?.number { baseline = try store.version("v\(accepted.number)") }
                    let base = accepted == nil ? nil : baseline
                    passed = !Self.evaluate(def, report: report, membership: v.membershipCSV, baseline: base).results.contains { !$0.passed }
                } else {
                    passed = false   // a version whose definition or report cannot be read is no baseline
                }
                if record { try store.recordOutcome(summary.number, passed: passed!) }
            }
            out.append(Standing(number: summary.number, passed: passed!, approved: known.approvedAt != nil))
        }
        return out
    }

    /// Gate results and drift of a run of `definition` against `baseline`.
    static func evaluate(_ definition: Definition, report: ProfileReport, membership: Data,
                         baseline: VersionRecord?) -> (results: [GateResult], drift: Double?) {
        // A baseline that cannot be compared (damaged, or from a time when other labels were allowed) must not fail
        // a run: drift is then unknown, as for a first version.
        // A baseline that can be compared but shares no customer with this version (every id changed) gives no
        // drift: the gate then fails rather than passing as if there were no baseline.
        var comparable: VersionRecord?
        var drift: Double?
        if let baseline {
            do {
                drift = try DiffEngine.drift(from: baseline.membershipCSV, to: membership)
                comparable = baseline
            } catch {
                drift = nil   // not comparable: as for a first version
            }
        }
        guard let gates = definition.gates, !gates.isEmpty else { return ([], drift) }
        return (GateEvaluator.evaluate(gates, report: report, drift: drift, baseline: comparable?.id), drift)
    }

    /// Snapshots every dataset file the run read and stores every plugin's source (before its version is saved).
    /// A copy `prefetch` made while the run computed is renamed into place instead of copying the file now.
    func storeInputs(_ r: RunResult, prefetch: SnapshotPrefetch? = nil) throws {
        for (name, url) in r.datasetFiles.sorted(by: { $0.key < $1.key }) {
            // The run already hashed every input: a snapshot of those bytes (same format) is not copied or hashed
            // again, and a new snapshot's copy is hashed once (`StoreFiles.prepareCopy`), checked against the run's digest.
            let sha = r.report.run.inputs.first(where: { $0.name == name })?.sha256
            if let sha, store.snapshotURL(sha256: sha, extension: url.pathExtension) != nil { continue }
            let prepared = sha.flatMap { prefetch?.take(url, sha256: $0) }
            do {
                _ = try store.snapshot(file: url, sha256: sha, prepared: prepared)
            } catch StoreError.inputChanged {
                // Name the file as the user sees it (the store only knows its absolute path).
                throw StoreError.inputChanged(path: workspace.display(url))
            }
        }
        // The bytes the run hashed (plugins and the modules they require), so `--verify` runs exactly these later.
        for (sha, data) in r.pluginSources.sorted(by: { $0.key < $1.key }) {
            try store.storePluginSource(String(decoding: data, as: UTF8.self), sha256: sha)
        }
    }

    /// The version record of a computed run (number and time are set by the store).
    static func draft(_ r: RunResult) -> VersionRecord {
        let report = r.report
        return VersionRecord(
            number: 0, createdAt: "", definition: r.definition.name, definitionText: r.definition.text,
            definitionSHA256: SHA256.hex(r.definition.text), runID: report.run.runID, asOf: report.run.asOf,
            segworkVersion: report.run.segworkVersion, seed: r.seed, frozenTime: r.frozenTime,
            inputs: report.run.inputs, plugins: report.run.plugins, customers: report.run.customers,
            segments: report.segments.filter { !$0.unassigned && $0.count > 0 }.count,
            profilesJSON: Exporter.json(report), membershipCSV: r.membership)
    }
}
