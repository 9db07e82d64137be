import Foundation
import SegworkData

/// The stored version a run compares itself with: the scorecard's growth per segment is measured against its
/// profiles (and clusterings keep their ids by matching its centroids).
///
/// Which version it is must not depend on when the run happens, or the same inputs would give different bytes.
/// The rule (``History/priorVersion(definition:inputsID:)``): a run whose inputs (`RunInfo.inputsID`) a stored
/// version of the definition already had compares with what that version compared with; otherwise with the
/// latest stored version of the definition. So re-running gives the same version, and a run returning to earlier
/// inputs after others returns to the same run id; the run id covers the previous version's run id.
package struct PriorVersion: Sendable {
    /// Its version id and run id.
    public var reference: PreviousRun
    /// Its profiles.
    public var report: ProfileReport
    /// Its stored membership (the report's migration starts from it); nil when not loaded.
    public var membership: Data?
    /// Segment sizes of it and the versions before it, reached through `RunInfo.previous` (oldest first, at most
    /// `ReportData.HistoryPoint.limit`), for the report's history chart.
    public var history: [ReportData.HistoryPoint] = []

    /// Creates a prior version.
    public init(reference: PreviousRun, report: ProfileReport, membership: Data? = nil) {
        self.reference = reference; self.report = report; self.membership = membership
    }
}

/// Finds the version a run compares with, given the run's inputs id (nil: none). The runner calls it once, on
/// its own thread, while the caller waits (the store it reads is not shared across threads).
package struct PriorLookup: @unchecked Sendable {
    private let find: (_ inputsID: String) throws -> PriorVersion?
    /// A lookup calling `find`.
    package init(_ find: @escaping (_ inputsID: String) throws -> PriorVersion?) { self.find = find }
    /// The version a run with inputs `inputsID` compares with.
    package func callAsFunction(_ inputsID: String) throws -> PriorVersion? { try find(inputsID) }
}

extension History {
    /// The version a run of `definition` with inputs `inputsID` compares with (see ``PriorVersion``): the one the
    /// most recent version with the same inputs compared with, else the latest version of the definition.
    package func priorVersion(definition: String, inputsID: String) throws -> PriorVersion? {
        let summaries = try store.versionSummaries(definition: definition)
        guard let latest = summaries.last else { return nil }
        for s in summaries.reversed() {
            let run = try Self.report(profiles: try store.profilesJSON(of: s.id), of: s.id).run
            guard run.inputsID == inputsID else { continue }
            guard let previous = run.previous else { return nil }
            return try load(previous)
        }
        return try load(PreviousRun(version: latest.id, runID: latest.runID))
    }

    /// The version `reference` names, with its profiles (a verification compares with what the run compared with).
    package func load(_ reference: PreviousRun) throws -> PriorVersion {
        let v: VersionRecord
        do { v = try store.version(reference.version) } catch {
            throw StoreError.corrupted(path: ".seg/store.sqlite",
                                       detail: "version \(reference.version), which a stored run compared with, is missing")
        }
        var prior = PriorVersion(reference: reference, report: try Self.report(of: v), membership: v.membershipCSV)
        prior.history = try chain(from: reference, report: prior.report)
        return prior
    }

    /// The segment sizes of `reference` and of the versions before it through `previous`, oldest first.
    /// Determined by the run ids alone: each run id covers its previous version's run id.
    func chain(from reference: PreviousRun, report: ProfileReport) throws -> [ReportData.HistoryPoint] {
        var points = [ReportDataBuilder.point(report, version: reference.version)]
        var next = report.run.previous
        while let r = next, points.count < ReportData.HistoryPoint.limit {
            let earlier = try Self.report(profiles: try store.profilesJSON(of: r.version), of: r.version)
            points.append(ReportDataBuilder.point(earlier, version: r.version))
            next = earlier.run.previous
        }
        return points.reversed()
    }
}
