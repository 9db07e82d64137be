import Yams

/// The `gates:` section of a definition: checks every run must pass (see docs/WORKSPACES.md).
public struct GateSet: Sendable, Equatable {
    /// Parses the `gates:` mapping.
    static func parse(_ node: Node, _ y: YAMLFields) throws -> GateSet {
        throw y.error(node, "'gates' are not supported by this build yet")
    }
}
