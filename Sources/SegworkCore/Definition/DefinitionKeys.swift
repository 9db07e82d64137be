extension Definition {
    /// Every top-level key a definition file accepts (schemas/definition.schema.json lists the same; a test
    /// compares them).
    package static let knownKeys = ["name", "description", "population", "id", "datasets", "features", "criteria",
                                    "combine", "scorers", "profile", "exports", "as_of", "gates", "scorecard", "membership"]
    /// Every key of one dataset under `datasets:`.
    package static let datasetKeys = ["file", "source", "dataset", "postgres", "params", "schema", "join", "clean", "invalid_utf8"]
        + formatKeys + PluginPin.keys
    /// Every key of `features:`.
    package static let featuresKeys = ["rfm", "days_since", "clusters"]
    /// Every key of `features.clusters` (parsed in ClusterOptions.swift).
    package static let clusterKeys = ["columns", "categorical", "k", "scale", "seed", "sample", "n_init", "max_iter",
                                      "tol", "output", "min_silhouette"]
    /// Every key of `features.rfm`.
    package static let rfmKeys = ["transactions", "customer", "order", "date", "amount"] + RFMOptions.keys
    /// Every key of one item of `criteria:` or `scorers:` in its long form.
    package static let pluginUseKeys = ["plugin", "params", "columns", "labels", "descriptions"] + PluginPin.keys
    /// Every key of `profile:`.
    package static let profileKeys = ["numeric", "categorical", "monetary"]
    /// Every key of a schema entry in its long form (`col: { type: date, format: "%d/%m/%Y", pii: true }`).
    package static let schemaEntryKeys = ["type", "pii", "format"]
}
