import Foundation
import SegworkData

extension History {
    /// The hasher for re-exporting `versions` (`seg export`, `seg diff`): ids are hashed when asked for
    /// (`--hash-ids`), when the workspace sets `hash_ids: true`, or when any of the versions was run with hashed
    /// ids. nil when none of these holds; an error when hashing is needed and the salt is not set.
    public func exportHasher(for versions: [VersionRecord], requested: Bool) throws -> IDHasher? {
        var hash = requested || workspace.privacy.hashIDs
        for v in versions where !hash { hash = try Self.report(of: v).run.privacy?.hashedIDs ?? false }
        return hash ? try workspace.privacy.hasher(file: workspace.configDisplay) : nil
    }
}
