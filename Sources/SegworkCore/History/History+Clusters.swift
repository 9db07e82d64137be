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
        return PreviousClusters(report: clusters)
    }

    /// For re-running a stored version exactly: its own clustering, whose centres the re-run's match one to one, so
    /// the re-run numbers the clusters as the version did.
    package static func clustersKept(by report: ProfileReport) -> PreviousClusters? {
        report.clusters.map { PreviousClusters(report: $0) }
    }
}
