import Foundation

extension History {
    /// The clustering of the latest stored version of `definition`, whose cluster ids a new run keeps
    /// (docs/CLUSTERING.md, "Stable ids"); nil when the definition does not cluster, has no version yet, or its
    /// latest version did not cluster into the same output column.
    package func previousClusters(for definition: Definition) throws -> PreviousClusters? {
        guard let spec = definition.clusters else { return nil }
        let latest: VersionRecord
        do { latest = try store.version("latest:" + definition.name) } catch StoreError.unknownVersion { return nil }
        let report = try Self.report(of: latest)
        guard let clusters = report.clusters, clusters.output == spec.output else { return nil }
        return PreviousClusters(report: clusters, runID: report.run.runID)
    }

    /// The clustering a stored version kept its ids from (`clusters.idsFrom` in profiles.json), for re-running it exactly.
    package func clustersKept(by report: ProfileReport) throws -> PreviousClusters? {
        guard let from = report.clusters?.idsFrom else { return nil }
        let source = try Self.report(of: try store.version(from))
        return source.clusters.map { PreviousClusters(report: $0, runID: source.run.runID) }
    }
}
