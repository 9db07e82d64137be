import Foundation

/// What a clustering found, as `profiles.json` stores it under `clusters` (docs/CLUSTERING.md): the features, the
/// candidates for k, and each cluster's size, centroid and the features that set it apart. The next run of the
/// same definition reads it back to keep the cluster ids (`ClusterMatching`).
public struct ClusterReport: Codable, Sendable, Equatable {
    /// The cluster id column.
    public var output: String
    /// The readable label column.
    public var labelColumn: String
    /// The columns of the clustering matrix, in order.
    public var features: [ClusterFeatureInfo]
    /// The chosen k.
    public var k: Int
    /// Silhouette of the chosen clustering on the sample (nil for k = 1).
    public var silhouette: Double?
    /// Every k tried, in order.
    public var candidates: [ClusterCandidate]
    /// Rows in the silhouette sample.
    public var sample: Int
    /// The seed.
    public var seed: Int64
    /// Customers clustered (no feature missing).
    public var clustered: Int
    /// Customers left unclustered because a feature was missing.
    public var unclustered: Int
    /// Whether the ids were kept from the prior version's clusters (``PriorVersion``) and differ from a first run's
    /// numbering (largest cluster first).
    public var keptIDs: Bool
    /// The clusters, by id.
    public var clusters: [ClusterSummary]
    /// The highest id any version of this clustering has used, when it is above every id in `clusters` (a
    /// cluster that disappeared had it); absent otherwise. Ids are never reused: a new cluster takes the next one.
    public var highestID: Int? = nil
}

/// One column of the clustering matrix: a numeric column, or one value of a categorical column (one-hot).
public struct ClusterFeatureInfo: Codable, Sendable, Equatable {
    /// The name shown: the column, or `column=value` for a one-hot column.
    public var name: String
    /// The table column.
    public var column: String
    /// The value of a one-hot column; nil for a numeric one.
    public var value: String?
    /// `zscore`, `minmax`, `log`, `none`, or `onehot`.
    public var scale: String
    /// The scaled value is (t(x) − center) / scale, where t is log1p for `log` and x itself otherwise.
    public var center: Double
    /// See `center`.
    public var scaleBy: Double
}

/// One k tried.
public struct ClusterCandidate: Codable, Sendable, Equatable {
    /// k.
    public var k: Int
    /// Mean silhouette on the sample (nil for k = 1).
    public var silhouette: Double?
    /// Sum of squared distances to the centres, in the scaled space.
    public var inertia: Double
}

/// One cluster.
public struct ClusterSummary: Codable, Sendable, Equatable {
    /// Its id (1…), the value of the id column.
    public var id: Int
    /// Its readable label (the label column).
    public var label: String
    /// Customers in it.
    public var size: Int
    /// Mean of each feature over its customers in original units (a share for a one-hot column), in feature order.
    public var centroid: [Double]
    /// The centre in the scaled space, in feature order.
    public var scaled: [Double]
    /// The features that set it apart, largest |z| first (at most 5), z as in docs/CLUSTERING.md.
    public var apart: [ClusterApart]
    /// True when the cluster is smaller than the workspace's `min_group_size`: `centroid` and `apart` are then
    /// empty (docs/PRIVACY.md); absent otherwise.
    public var suppressed: Bool?
}

/// A feature that sets a cluster apart.
public struct ClusterApart: Codable, Sendable, Equatable {
    /// The feature's name.
    public var feature: String
    /// The z-score of the cluster's mean against all clustered customers (in the log space for `log` columns).
    public var z: Double
}
